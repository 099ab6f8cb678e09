// RFC 8689 §2: the REQUIRETLS parameter of MAIL.
#pragma once
#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rfc8689 {
namespace pegtl = tao::pegtl;
// §2 (8)  requiretls-param = "REQUIRETLS"   ("There is no esmtp-value associated with
// requiretls-param": a value is refused by the parameter table, catalogue/params.inc.)
struct requiretls_param : pegtl::istring<'R', 'E', 'Q', 'U', 'I', 'R', 'E', 'T', 'L', 'S'> {
  static constexpr const char* name = "requiretls-param";
};
}  // namespace smtpspec::grammar::rfc8689
