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
  std::size_t command_line = 512;  // §4.5.3.1.4, including CRLF
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
