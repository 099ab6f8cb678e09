// RFC 4954 §4 and §8: the AUTH command; RFC 4422 §3.1 SASL mechanism names; §5: the AUTH
// parameter of MAIL.
#pragma once
#include "smtpspec/grammar/rfc3461.hpp"
#include "smtpspec/grammar/rfc5321.hpp"

namespace smtpspec::grammar::rfc4954 {
namespace pegtl = tao::pegtl;
using rfc5234::SP;

struct AUTH : pegtl::istring<'A', 'U', 'T', 'H'> {};
// RFC 4422 §3.1  mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
struct mech_char : pegtl::sor<pegtl::range<'A', 'Z'>, pegtl::ascii::digit, pegtl::one<'-', '_'>> {
  static constexpr const char* name = "mech-char";
};
// RFC 4422 §3.1  sasl-mname = 1*20mech-char
struct sasl_mech : pegtl::rep_min_max<1, 20, mech_char> { static constexpr const char* name = "sasl-mech"; };
// RFC 4954 §8  base64-char = ALPHA / DIGIT / "+" / "/"
struct base64_char : pegtl::sor<pegtl::ascii::alnum, pegtl::one<'+', '/'>> {
  static constexpr const char* name = "base64-char";
};
// RFC 4954 §8  base64-terminal = (2base64-char "==") / (3base64-char "=")
struct base64_terminal : pegtl::sor<pegtl::seq<pegtl::rep<2, base64_char>, pegtl::string<'=', '='>>,
                                    pegtl::seq<pegtl::rep<3, base64_char>, pegtl::one<'='>>> {
  static constexpr const char* name = "base64-terminal";
};
// RFC 4954 §8  base64 = base64-terminal / ( 1*(4base64-char) [base64-terminal] )
struct base64 : pegtl::sor<pegtl::seq<pegtl::plus<pegtl::rep<4, base64_char>>, pegtl::opt<base64_terminal>>,
                           base64_terminal> {
  static constexpr const char* name = "base64";
};
// RFC 4954 §8  initial-response = base64 / "="
struct initial_response : pegtl::sor<base64, pegtl::one<'='>> {
  static constexpr const char* name = "initial-response";
};
// RFC 4954 §8  auth-command = "AUTH" SP sasl-mech [SP initial-response] … CRLF
// (The continuation lines of the SASL exchange are separate lines, handled by the session.)
struct auth : pegtl::seq<AUTH, SP, sasl_mech, pegtl::opt<SP, initial_response>, rfc5321::line_end> {};
// §5  AUTH=mailbox: a <mailbox> (RFC 5321 §4.1.2) encoded as xtext (RFC 3461 §4), or "<>" when
// the submitter is unknown. (The decoded text is then checked as a Mailbox.)
struct auth_param_value : pegtl::sor<pegtl::seq<pegtl::string<'<', '>'>, pegtl::eof>, rfc3461::xtext> {
  static constexpr const char* name = "\"<>\" or xtext";
};
}  // namespace smtpspec::grammar::rfc4954
