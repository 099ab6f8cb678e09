// smtpspec — parse options and limits.
#pragma once
#include <cstddef>

#include "smtpspec/extensions.hpp"

namespace smtpspec {

// strict: the RFCs to the letter. lenient: what Postfix and Haraka accept by default; every
// accepted deviation is reported as a diagnostic.
enum class profile : unsigned char { strict, lenient };

// RFC 5321 §4.5.3.1 size limits (octets). Configurable: a server may raise them, never needs to
// lower them below these minimums.
struct limits {
  std::size_t local_part = 64;     // §4.5.3.1.1
  std::size_t domain = 255;        // §4.5.3.1.2
  std::size_t path = 256;          // §4.5.3.1.3, including "<" and ">"
  // §4.5.3.1.4, including CRLF. MAIL and RCPT lines may be longer by what each extension in
  // parse_options::extensions says it adds (line_growth(), catalogue/line_growth.inc): SIZE 26
  // (RFC 1870), BINARYMIME 16 (RFC 3030), AUTH 500 (RFC 4954), DSN 110 on MAIL and 530 on RCPT
  // (RFC 3461 §5.4), SMTPUTF8 10 (RFC 6531), DELIVERBY 17 (RFC 2852), FUTURERELEASE 34 (RFC 4865),
  // MT-PRIORITY 15 (RFC 6710), REQUIRETLS 11 (RFC 8689), RRVS 40 on RCPT (RFC 7293): with every
  // extension, 1251 octets for MAIL and 1082 for RCPT. The check comes before any parsing.
  std::size_t command_line = 512;
  std::size_t label = 63;          // RFC 1035 §2.3.4
};

struct parse_options {
  smtpspec::profile profile = profile::strict;
  smtpspec::limits limits{};
  // RFC 6531: UTF-8 in local parts, domains (U-labels) and esmtp-values. Off: any non-ASCII
  // octet is an error naming RFC 6531 §3.3.
  bool smtputf8 = false;
  // The service extensions whose MAIL/RCPT parameters are accepted (default: every one
  // smtpspec knows); a parameter of another extension is refused with 555 5.5.4.
  extension_set extensions = extension_set::all();
};

inline constexpr parse_options strict_options{};
inline constexpr parse_options lenient_options{profile::lenient, {}};

}  // namespace smtpspec
