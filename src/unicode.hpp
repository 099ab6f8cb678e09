// Internal UTF-8 helpers shared by the address and parameter parsers (RFC 3629, RFC 6531).
#pragma once
#include <cstddef>
#include <string_view>

#include "smtpspec/grammar/rfc6531.hpp"

namespace smtpspec::detail {

// Length of the well-formed UTF-8 sequence at p (RFC 3629 §4: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0 when the octets at p do not start one. p < e. The grammar's
// UTF8-non-ascii (rfc6531.hpp) is the one definition of a well-formed sequence.
inline std::size_t utf8_sequence_length(const unsigned char* p, const unsigned char* e) noexcept {
  return p[0] < 0x80 ? 1 : grammar::rfc6531::utf8_non_ascii_length(p, e);
}

// Offset of the first octet of the first ill-formed sequence, or npos when s is well-formed.
inline std::size_t utf8_invalid_at(std::string_view s) noexcept {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const auto* e = b + s.size();
  for (const unsigned char* p = b; p != e;) {
    const std::size_t n = utf8_sequence_length(p, e);
    if (n == 0) return static_cast<std::size_t>(p - b);
    p += n;
  }
  return std::string_view::npos;
}

}  // namespace smtpspec::detail

// --- SMTPUTF8 and IDNA (src/unicode.cpp, ICU) -----------------------------------------------------
#include <string>

#include "smtpspec/address.hpp"

namespace smtpspec::detail {

// The error for the ill-formed UTF-8 sequence that starts at s[at] (RFC 3629): invalid_utf8,
// utf8_overlong, utf8_surrogate, utf8_too_large or utf8_truncated.
error_code utf8_error_at(std::string_view s, std::size_t at) noexcept;

// True when the name needs IDNA processing: a non-ASCII octet, or a label starting "xn--" (any
// case). Everything else is an RFC 5321 Domain whose canonical forms are its lower-cased text.
bool needs_idna(std::string_view name) noexcept;

// IDNA2008 validation of a domain name (RFC 5890-5893 via ICU UTS #46, non-transitional, STD3
// rules, CheckBidi, CheckJoiners, CONTEXTO, plus the RFC 5892 categories). Strict wants U-labels in
// their mapped form; lenient accepts what UTS #46 maps and adds diagnostics to `dg`. Offsets are
// from `base`. The name must be well-formed UTF-8 (the grammar guarantees it).
bool check_idna(std::string_view name, const parse_options& o, const char* base, error& err, diagnostics& dg);

// The A-label (lower-cased) and U-label forms of a domain name; false when ICU cannot convert it.
bool idna_to_ascii(std::string_view name, std::string& out);
bool idna_to_unicode(std::string_view name, std::string& out);
// Both at once (one IDNA check; for an ASCII name without "xn--" one lower-cased copy).
bool idna_forms(std::string_view name, std::string& ascii, std::string& unicode);

// NFC check of well-formed UTF-8 (ICU calls ill-formed input normalized: validate first).
bool is_nfc_utf8(std::string_view s) noexcept;

}  // namespace smtpspec::detail
