// RFC 6710 §7: the MT-PRIORITY parameter of MAIL.
#pragma once
#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rfc6710 {
namespace pegtl = tao::pegtl;
// §7  NZDIGIT = %x31-39
struct NZDIGIT : pegtl::range<'1', '9'> { static constexpr const char* name = "NZDIGIT"; };
// §7  priority-value = (["-"] NZDIGIT) / "0"   ; -9 to 9 inclusive (no "+", no leading zero)
struct priority_value : pegtl::sor<pegtl::seq<pegtl::opt<pegtl::one<'-'>>, NZDIGIT>, pegtl::one<'0'>> {
  static constexpr const char* name = "priority-value";
};
// §7  priority-profile = 1*20(ALPHA / DIGIT / "-" / "_" / ".")   ; the MT-PRIORITY EHLO parameter
struct priority_profile : pegtl::rep_min_max<1, 20, pegtl::sor<pegtl::ascii::alnum, pegtl::one<'-', '_', '.'>>> {
  static constexpr const char* name = "priority-profile";
};
}  // namespace smtpspec::grammar::rfc6710
