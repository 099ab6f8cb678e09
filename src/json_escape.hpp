// Internal: the canonical JSON escaping of one octet below 0x80 (conformance/README.md):
// \" \\ \b \f \n \r \t, other controls and DEL as \u00xx in lower-case hex, the rest as is.
#pragma once
#include <string>
#include <string_view>
#include <utility>

namespace smtpspec::detail {

inline void append_json_ascii(std::string& out, unsigned char c) {
  static constexpr char hex[] = "0123456789abcdef";
  switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20 || c == 0x7f) {
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
      } else {
        out.push_back(static_cast<char>(c));
      }
  }
}

// The valid range of the second octet after a lead octet (Unicode Table 3-7), or {0, 0}.
constexpr std::pair<unsigned char, unsigned char> utf8_second_range(unsigned char lead) noexcept {
  if (lead >= 0xC2 && lead <= 0xDF) return {0x80, 0xBF};
  if (lead == 0xE0) return {0xA0, 0xBF};
  if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF) return {0x80, 0xBF};
  if (lead == 0xED) return {0x80, 0x9F};
  if (lead == 0xF0) return {0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {0x80, 0xBF};
  if (lead == 0xF4) return {0x80, 0x8F};
  return {0, 0};
}

// A JSON string of received octets (reply text, milter strings): ASCII escaped as above, valid
// UTF-8 copied, and each maximal ill-formed subsequence written as one U+FFFD — what
// JavaScript's TextDecoder and Python's errors="replace" produce, so the surfaces agree.
inline void append_json_text(std::string& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      append_json_ascii(out, c);
      ++i;
      continue;
    }
    const auto [lo, hi] = utf8_second_range(c);
    std::size_t k = 1;
    bool valid = false;
    if (lo != 0) {
      const std::size_t n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      for (; k < n && i + k < s.size(); ++k) {
        const auto t = static_cast<unsigned char>(s[i + k]);
        if (k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF)) break;
      }
      valid = k == n;
    }
    if (valid) out.append(s.substr(i, k));
    else out += "\xef\xbf\xbd";
    i += k;
  }
  out.push_back('"');
}

// The canonical JSON writer of the reply and milter JSON (fixed key order is the caller's).
class json_writer {
 public:
  std::string out;

  json_writer& raw(std::string_view s) {
    out += s;
    return *this;
  }
  json_writer& str(std::string_view s) {
    detail::append_json_text(out, s);
    return *this;
  }
  template <class Integer>
  json_writer& num(Integer n) {
    return raw(std::to_string(n));
  }
  json_writer& boolean(bool b) { return raw(b ? "true" : "false"); }
  json_writer& null() { return raw("null"); }
  json_writer& str_or_null(std::string_view s) { return s.empty() ? null() : str(s); }
  // A text that is a plain decimal number (what JavaScript would hold as a number) as a number.
  json_writer& num_or_str(std::string_view s) {
    const bool plain = !s.empty() && s.size() <= 15 && (s.size() == 1 || s[0] != '0') &&
                       s.find_first_not_of("0123456789") == std::string_view::npos;
    return plain ? raw(s) : str(s);
  }
  // {"key":  — `first` omits the comma.
  json_writer& key(std::string_view k, bool first = false) {
    if (!first) out.push_back(',');
    out.push_back('"');
    out += k;
    out += "\":";
    return *this;
  }
  template <class Range, class F>
  json_writer& array(const Range& r, F each) {
    out.push_back('[');
    bool first = true;
    for (const auto& x : r) {
      if (!first) out.push_back(',');
      first = false;
      each(x);
    }
    out.push_back(']');
    return *this;
  }
};

}  // namespace smtpspec::detail
