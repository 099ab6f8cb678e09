// RFC 3463 §2 (also RFC 2034 §4): enhanced mail system status codes.
// Rule names are the ABNF names ("class" is a C++ keyword, hence class_). No must<>/raise.
#pragma once
#include "smtpspec/grammar/rfc5234.hpp"

namespace smtpspec::grammar::rfc3463 {
namespace pegtl = tao::pegtl;
using rfc5234::DIGIT;

// §2  class = "2"/"4"/"5"
struct class_ : pegtl::one<'2', '4', '5'> { static constexpr const char* name = "class"; };

// §2  "Each numeric sub-code within the status-code MUST be expressed without leading zero
// digits": 1*3digit becomes "0" / %x31-39 0*2DIGIT, and no fourth digit may follow.
struct sub_code : pegtl::seq<pegtl::sor<pegtl::seq<pegtl::one<'0'>>, pegtl::seq<pegtl::range<'1', '9'>, pegtl::rep_max<2, DIGIT>>>,
                             pegtl::not_at<DIGIT>> {};
// §2  subject = 1*3digit
struct subject : sub_code { static constexpr const char* name = "subject"; };
// §2  detail = 1*3digit
struct detail : sub_code { static constexpr const char* name = "detail"; };
struct dot : pegtl::one<'.'> { static constexpr const char* name = "\".\""; };

// §2  status-code = class "." subject "." detail
struct status_code : pegtl::seq<class_, dot, subject, dot, detail> {
  static constexpr const char* name = "status-code";
};

}  // namespace smtpspec::grammar::rfc3463
