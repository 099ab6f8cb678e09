// Internal: the canonical JSON escaping of one octet below 0x80 (conformance/README.md):
// \" \\ \b \f \n \r \t, other controls and DEL as \u00xx in lower-case hex, the rest as is.
#pragma once
#include <string>

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

}  // namespace smtpspec::detail
