// Internal UTF-8 helpers shared by the address and parameter parsers (RFC 3629, RFC 6531).
#pragma once
#include <cstddef>
#include <string_view>

namespace smtpspec::detail {

// Length of the well-formed UTF-8 sequence at p (RFC 3629 §4: no overlong forms, no surrogates,
// nothing above U+10FFFF), or 0 when the octets at p do not start one. p < e.
constexpr std::size_t utf8_sequence_length(const unsigned char* p, const unsigned char* e) noexcept {
  const unsigned c = p[0];
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // bounds of the second octet
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F;  // U+D800..U+DFFF excluded
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;  // nothing above U+10FFFF
  else return 0;
  if (static_cast<std::size_t>(e - p) < n) return 0;
  if (p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  }
  return n;
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
