// RFC 2852 §4: the BY parameter of MAIL (DELIVERBY).
#pragma once
#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rfc2852 {
namespace pegtl = tao::pegtl;
// §4  by-time = ["-" / "+"]1*9digit   ; -999,999,999 <= by-time <= +999,999,999
struct by_time : pegtl::seq<pegtl::opt<pegtl::one<'-', '+'>>, pegtl::rep_min_max<1, 9, pegtl::ascii::digit>> {
  static constexpr const char* name = "by-time";
};
// §4  by-mode = "N" / "R"   ; "Notify" or "Return" (ABNF strings: case-insensitive)
struct by_mode : pegtl::one<'N', 'n', 'R', 'r'> { static constexpr const char* name = "by-mode"; };
// §4  by-trace = "T"   ; "Trace"
struct by_trace : pegtl::one<'T', 't'> { static constexpr const char* name = "by-trace"; };
// §4  by-value = by-time";"by-mode[by-trace]
struct by_value : pegtl::seq<by_time, pegtl::one<';'>, by_mode, pegtl::opt<by_trace>> {
  static constexpr const char* name = "by-value";
};
// §3 (3)  min-by-time = [1*9DIGIT]   ; the DELIVERBY EHLO keyword's parameter
struct min_by_time : pegtl::rep_min_max<1, 9, pegtl::ascii::digit> { static constexpr const char* name = "min-by-time"; };
// §3 (3)  extension-token = 1*<any CHAR excluding SP, COMMA and all control characters (US ASCII 0-31)>
struct extension_token : pegtl::plus<pegtl::ranges<'!', '+', '-', '~'>> {
  static constexpr const char* name = "extension-token";
};
// §3 (3)  deliverby-param = min-by-time *( ',' extension-token )
struct deliverby_param : pegtl::seq<pegtl::opt<min_by_time>, pegtl::star<pegtl::one<','>, extension_token>> {
  static constexpr const char* name = "deliverby-param";
};
}  // namespace smtpspec::grammar::rfc2852
