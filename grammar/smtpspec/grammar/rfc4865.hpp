// RFC 4865 §3: the HOLDFOR and HOLDUNTIL parameters of MAIL (FUTURERELEASE).
#pragma once
#include "smtpspec/grammar/rfc3339.hpp"

namespace smtpspec::grammar::rfc4865 {
namespace pegtl = tao::pegtl;
// §3 (2)  future-release-integer = %x31-39 *8DIGIT   ; 1-999999999 seconds
struct future_release_integer : pegtl::seq<pegtl::range<'1', '9'>, pegtl::rep_max<8, pegtl::ascii::digit>> {
  static constexpr const char* name = "future-release-integer";
};
// §3 (4)  future-release-interval = future-release-integer
struct future_release_interval : future_release_integer {};
// §3 (4)  future-release-date-time = Internet-style-date-time-UTC. RFC 4865 does not define
// that name; §3 (2) takes date-time from RFC 3339 and says the value is "normalized to UTC",
// so it is an RFC 3339 date-time whose time-offset is "Z".
struct Internet_style_date_time_UTC
    : pegtl::seq<rfc3339::full_date, pegtl::one<'T', 't'>, rfc3339::partial_time, pegtl::one<'Z', 'z'>> {
  static constexpr const char* name = "date-time in UTC (RFC 3339, \"Z\")";
};
struct future_release_date_time : Internet_style_date_time_UTC {};
}  // namespace smtpspec::grammar::rfc4865
