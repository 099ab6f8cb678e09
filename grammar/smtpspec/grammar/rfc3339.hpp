// RFC 3339 §5.6: Internet date/time format, used by HOLDUNTIL (RFC 4865) and RRVS (RFC 7293).
// Field ranges (month 01-12, day by month and leap year, hour 00-23, minute 00-59, second
// 00-60) are the ABNF's comments; they are checked on the matched value (src/esmtp.cpp).
#pragma once
#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rfc3339 {
namespace pegtl = tao::pegtl;
using D = pegtl::ascii::digit;
struct date_fullyear : pegtl::rep<4, D> { static constexpr const char* name = "date-fullyear"; };  // 4DIGIT
struct date_month : pegtl::rep<2, D> { static constexpr const char* name = "date-month"; };        // 2DIGIT 01-12
struct date_mday : pegtl::rep<2, D> { static constexpr const char* name = "date-mday"; };          // 2DIGIT 01-28..31
struct time_hour : pegtl::rep<2, D> { static constexpr const char* name = "time-hour"; };          // 2DIGIT 00-23
struct time_minute : pegtl::rep<2, D> { static constexpr const char* name = "time-minute"; };      // 2DIGIT 00-59
struct time_second : pegtl::rep<2, D> { static constexpr const char* name = "time-second"; };      // 2DIGIT 00-60
// §5.6  time-secfrac = "." 1*DIGIT
struct time_secfrac : pegtl::seq<pegtl::one<'.'>, pegtl::plus<D>> { static constexpr const char* name = "time-secfrac"; };
// §5.6  time-numoffset = ("+" / "-") time-hour ":" time-minute
struct time_numoffset : pegtl::seq<pegtl::one<'+', '-'>, time_hour, pegtl::one<':'>, time_minute> {
  static constexpr const char* name = "time-numoffset";
};
// §5.6  time-offset = "Z" / time-numoffset   (§5.6 NOTE: "T" and "Z" may be lower case)
struct time_offset : pegtl::sor<pegtl::one<'Z', 'z'>, time_numoffset> { static constexpr const char* name = "time-offset"; };
// §5.6  partial-time = time-hour ":" time-minute ":" time-second [time-secfrac]
struct partial_time : pegtl::seq<time_hour, pegtl::one<':'>, time_minute, pegtl::one<':'>, time_second,
                                 pegtl::opt<time_secfrac>> {
  static constexpr const char* name = "partial-time";
};
// §5.6  full-date = date-fullyear "-" date-month "-" date-mday
struct full_date : pegtl::seq<date_fullyear, pegtl::one<'-'>, date_month, pegtl::one<'-'>, date_mday> {
  static constexpr const char* name = "full-date";
};
// §5.6  full-time = partial-time time-offset
struct full_time : pegtl::seq<partial_time, time_offset> { static constexpr const char* name = "full-time"; };
// §5.6  date-time = full-date "T" full-time
struct date_time : pegtl::seq<full_date, pegtl::one<'T', 't'>, full_time> { static constexpr const char* name = "date-time"; };
}  // namespace smtpspec::grammar::rfc3339
