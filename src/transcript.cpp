// Transcript readers (include/smtpspec/transcript.hpp): the catalogue, format detection, and one
// line handler per format behind a streaming driver. The driver buffers the first sniff_bytes to
// detect the format (and to look ahead for per-file conventions: RFC 3030 S:/R: markers, swaks'
// hex dumps), then splits the input into source lines; tshark's ASCII follow output is read by
// octet count because its segments hold raw CR and LF. Memory: the sniff buffer, one line (at
// most max_line), one pending segment/hex chunk, and what the caller has not drained.
#include "smtpspec/transcript.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "transcript_internal.hpp"

namespace smtpspec::transcript {

namespace {

constexpr format_info k_formats[] = {
#define SMTPSPEC_TRANSCRIPT_FORMAT(id, title, octets, boundaries, replies, data, tls, keeps, loses)                \
  {format::id,          #id,         title, octets_kept::octets, boundaries_kept::boundaries, replies_kept::replies, \
   data_kept::data, tls_kept::tls, keeps, loses},
#include "smtpspec/catalogue/transcript_formats.inc"
#undef SMTPSPEC_TRANSCRIPT_FORMAT
};

constexpr message_info k_messages[] = {
#define SMTPSPEC_TRANSCRIPT_MESSAGE(id, kind, text) {message_id::id, #id, message_kind::kind, text},
#include "smtpspec/catalogue/transcript_messages.inc"
#undef SMTPSPEC_TRANSCRIPT_MESSAGE
};

}  // namespace

std::span<const format_info> format_catalogue() noexcept { return k_formats; }
const format_info& info(format f) noexcept { return k_formats[static_cast<std::size_t>(f)]; }
std::string_view to_string(format f) noexcept { return info(f).name; }
std::optional<format> format_from_name(std::string_view name) noexcept {
  for (const auto& f : k_formats)
    if (f.name == name) return f.id;
  return std::nullopt;
}
std::span<const message_info> message_catalogue() noexcept { return k_messages; }
const message_info& info(message_id m) noexcept { return k_messages[static_cast<std::size_t>(m)]; }
std::string_view to_string(message_id m) noexcept { return info(m).name; }

std::string_view to_string(octets_kept v) noexcept {
  switch (v) {
    case octets_kept::exact: return "exact";
    case octets_kept::line_ends_kept: return "line_ends_kept";
    case octets_kept::lines: return "lines";
  }
  return "?";
}
std::string_view to_string(boundaries_kept v) noexcept {
  switch (v) {
    case boundaries_kept::known: return "known";
    case boundaries_kept::convention: return "convention";
    case boundaries_kept::client_writes: return "client_writes";
    case boundaries_kept::none: return "none";
  }
  return "?";
}
std::string_view to_string(replies_kept v) noexcept {
  switch (v) {
    case replies_kept::lines: return "lines";
    case replies_kept::chunks: return "chunks";
    case replies_kept::absent: return "absent";
  }
  return "?";
}
std::string_view to_string(data_kept v) noexcept { return v == data_kept::kept ? "kept" : "absent"; }
std::string_view to_string(tls_kept v) noexcept {
  switch (v) {
    case tls_kept::marked: return "marked";
    case tls_kept::encrypted: return "encrypted";
    case tls_kept::unmarked: return "unmarked";
  }
  return "?";
}
std::string_view to_string(direction d) noexcept {
  switch (d) {
    case direction::client: return "client";
    case direction::server: return "server";
    case direction::tls_start: return "tls_start";
    case direction::connect: return "connect";
    case direction::note: return "note";
  }
  return "?";
}
std::string_view to_string(boundary b) noexcept {
  switch (b) {
    case boundary::unknown: return "unknown";
    case boundary::write: return "write";
    case boundary::same_write: return "same_write";
  }
  return "?";
}

namespace detail {

bool starts(std::string_view s, std::string_view p) noexcept { return s.substr(0, p.size()) == p; }

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool all_digits(std::string_view s) noexcept {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Python's repr() of str and bytes: an optional b prefix, ' or " quotes, and the escapes repr
// writes (\\ \' \" \t \n \r \xNN; in str also \uXXXX \UXXXXXXXX), plus the rest of Python's
// literal escapes (\a \b \f \v \0-\777) so hand-written literals read too. A str's characters
// become UTF-8 (what smtplib sends for non-ASCII with SMTPUTF8); in bytes \xNN is the octet.
std::optional<std::string> decode_python_repr(std::string_view s, std::size_t& used) noexcept {
  std::size_t i = 0;
  bool bytes = false;
  if (i < s.size() && (s[i] == 'b' || s[i] == 'B')) {
    bytes = true;
    ++i;
  }
  if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) return std::nullopt;
  const char q = s[i++];
  std::string out;
  out.reserve(s.size());
  while (i < s.size()) {
    const char c = s[i];
    if (c == q) {
      used = i + 1;
      return out;
    }
    if (c != '\\') {
      // A bytes literal holds ASCII only; a str's non-ASCII characters are already UTF-8 here.
      if (bytes && static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
      out.push_back(c);
      ++i;
      continue;
    }
    if (i + 1 >= s.size()) return std::nullopt;
    const char e = s[i + 1];
    i += 2;
    switch (e) {
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case '"': out.push_back('"'); break;
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case 'x':
      case 'u':
      case 'U': {
        const std::size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (e != 'x' && bytes) return std::nullopt;
        if (i + n > s.size()) return std::nullopt;
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < n; ++k) {
          const int h = hex_value(s[i + k]);
          if (h < 0) return std::nullopt;
          v = v * 16 + static_cast<std::uint32_t>(h);
        }
        i += n;
        if (bytes) {
          out.push_back(static_cast<char>(v));
        } else {
          if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return std::nullopt;
          append_utf8(out, v);
        }
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          std::uint32_t v = static_cast<std::uint32_t>(e - '0');
          for (int k = 0; k < 2 && i < s.size() && s[i] >= '0' && s[i] <= '7'; ++k, ++i)
            v = v * 8 + static_cast<std::uint32_t>(s[i] - '0');
          if (bytes) {
            if (v > 0xFF) return std::nullopt;
            out.push_back(static_cast<char>(v));
          } else {
            append_utf8(out, v);
          }
        } else {
          // Python keeps an unknown escape as a backslash and the character.
          out.push_back('\\');
          out.push_back(e);
        }
    }
  }
  return std::nullopt;
}

// The smtpspec escapes of the RFC-style form: \r \n \t \\ \xNN.
std::optional<std::string> decode_escapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      // Copy up to the next backslash at once.
      const auto next = s.find('\\', i);
      const std::size_t end = next == std::string_view::npos ? s.size() : next;
      out.append(s.substr(i, end - i));
      i = end - 1;
      continue;
    }
    if (i + 1 >= s.size()) return std::nullopt;
    const char e = s[++i];
    if (e == 'r') {
      out.push_back('\r');
    } else if (e == 'n') {
      out.push_back('\n');
    } else if (e == 't') {
      out.push_back('\t');
    } else if (e == '\\') {
      out.push_back('\\');
    } else if (e == 'x' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

bool is_hex_pair(std::string_view s, std::size_t i) noexcept {
  return i + 1 < s.size() && hex_value(s[i]) >= 0 && hex_value(s[i + 1]) >= 0;
}

}  // namespace detail

}  // namespace smtpspec::transcript
