// RFC 7293 §3.1: the RRVS parameter of RCPT (Require-Recipient-Valid-Since).
#pragma once
#include "smtpspec/grammar/rfc3339.hpp"

namespace smtpspec::grammar::rfc7293 {
namespace pegtl = tao::pegtl;
// §3.1  rrvs-param = "RRVS=" date-time [ ";" ( "C" / "R" ) ]
// date-time is RFC 3339's; §3.1 adds that time-secfrac MUST NOT be used (checked on the value).
// "C": continue (deliver) where the extension is not supported on the next hop, "R": reject.
struct rrvs_mode : pegtl::one<'C', 'c', 'R', 'r'> { static constexpr const char* name = "\"C\" or \"R\""; };
struct rrvs_value : pegtl::seq<rfc3339::date_time, pegtl::opt<pegtl::one<';'>, rrvs_mode>> {
  static constexpr const char* name = "rrvs-value";
};
}  // namespace smtpspec::grammar::rfc7293
