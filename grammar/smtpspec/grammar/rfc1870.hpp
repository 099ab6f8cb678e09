// RFC 1870: the SIZE parameter of MAIL (message size declaration).
#pragma once
#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rfc1870 {
namespace pegtl = tao::pegtl;
// §3 (4)  size-value ::= 1*20DIGIT
struct size_value : pegtl::rep_min_max<1, 20, pegtl::ascii::digit> {
  static constexpr const char* name = "size-value";
};
// §4 (3)  size-param ::= [1*DIGIT]   ; the SIZE EHLO keyword's optional parameter (fixed maximum)
struct size_param : pegtl::plus<pegtl::ascii::digit> { static constexpr const char* name = "size-param"; };
}  // namespace smtpspec::grammar::rfc1870
