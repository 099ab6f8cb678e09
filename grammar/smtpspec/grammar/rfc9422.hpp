// RFC 9422 §3: the LIMITS EHLO keyword's parameters (server limits, registered with IANA:
// include/smtpspec/catalogue/server_limits.inc).
#pragma once
#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rfc9422 {
namespace pegtl = tao::pegtl;

// limit-name = 1*(ALPHA / DIGIT / "-" / "_")
struct limit_name : pegtl::plus<pegtl::sor<pegtl::ascii::alnum, pegtl::one<'-', '_'>>> {
  static constexpr const char* name = "limit-name";
};
// limit-value = 1*(%x21-3A / %x3C-7E)   ; any VCHAR except ";"
struct limit_value : pegtl::plus<pegtl::ranges<'!', ':', '<', '~'>> { static constexpr const char* name = "limit-value"; };
// limit-name-value = limit-name ["=" limit-value]
struct limit_name_value : pegtl::seq<limit_name, pegtl::opt<pegtl::one<'='>, limit_value>> {
  static constexpr const char* name = "limit-name-value";
};
// IANA "SMTP Server Limits" registry, the syntax of every registered value so far:
// %x31-39 0*5DIGIT   ; "0" not allowed, six-digit maximum
struct registered_limit_value : pegtl::seq<pegtl::range<'1', '9'>, pegtl::rep_max<5, pegtl::ascii::digit>> {
  static constexpr const char* name = "registered-limit-value";
};

}  // namespace smtpspec::grammar::rfc9422
