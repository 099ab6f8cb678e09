// Canonical JSON of a transcript (conformance/README.md, "Transcripts") and the raw capture form.
#include <string>

#include "json_escape.hpp"
#include "smtpspec/transcript.hpp"
#include "transcript_internal.hpp"

namespace smtpspec::transcript {

namespace {

using smtpspec::detail::append_json_text;

bool valid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const auto [lo, hi] = smtpspec::detail::utf8_second_range(c);
    if (lo == 0) return false;
    const std::size_t n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const auto t = static_cast<unsigned char>(s[i + k]);
      if (k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF)) return false;
    }
    i += n;
  }
  return true;
}

void append_hex(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 15]);
  }
}

void key(std::string& out, const char* k) {
  out.push_back('"');
  out += k;
  out += "\":";
}

void str(std::string& out, std::string_view s) { append_json_text(out, s); }
void num(std::string& out, std::size_t n) { out += std::to_string(n); }
void boolean(std::string& out, bool b) { out += b ? "true" : "false"; }

void append_event(std::string& out, const event& e) {
  out += "{";
  key(out, "dir");
  str(out, to_string(e.dir));
  out += ",";
  key(out, "boundary");
  str(out, to_string(e.before));
  out += ",";
  key(out, "exact");
  boolean(out, e.exact);
  out += ",";
  key(out, "tls");
  boolean(out, e.tls);
  out += ",";
  key(out, "line");
  num(out, e.line);
  out += ",";
  key(out, "offset");
  num(out, e.offset);
  out += ",";
  key(out, "text");
  str(out, e.octets);
  out += ",";
  key(out, "hex");
  if (valid_utf8(e.octets)) {
    out += "null";
  } else {
    out.push_back('"');
    append_hex(out, e.octets);
    out.push_back('"');
  }
  out += "}";
}

void append_message(std::string& out, const message& m) {
  out += "{";
  key(out, "id");
  str(out, to_string(m.id));
  out += ",";
  key(out, "line");
  num(out, m.line);
  out += ",";
  key(out, "offset");
  num(out, m.offset);
  out += ",";
  key(out, "count");
  num(out, m.count);
  out += ",";
  key(out, "excerpt");
  str(out, m.excerpt);
  out += "}";
}

void append_caps(std::string& out, const format_info& f) {
  out += "{";
  key(out, "octets");
  str(out, to_string(f.octets));
  out += ",";
  key(out, "write_boundaries");
  str(out, to_string(f.boundaries));
  out += ",";
  key(out, "replies");
  str(out, to_string(f.replies));
  out += ",";
  key(out, "data");
  str(out, to_string(f.data));
  out += ",";
  key(out, "tls");
  str(out, to_string(f.tls));
  out += "}";
}

}  // namespace

std::string to_json(const event& e) {
  std::string out;
  append_event(out, e);
  return out;
}

std::string to_json(const detection& d) {
  std::string out = "{";
  key(out, "format");
  if (d.fmt) str(out, to_string(*d.fmt));
  else out += "null";
  out += ",";
  key(out, "confidence");
  num(out, d.confidence);
  out += "}";
  return out;
}

std::string to_json(const transcript& t) {
  std::string out;
  out.reserve(256 + t.events.size() * 96);
  out += "{";
  key(out, "format");
  if (t.fmt) str(out, to_string(*t.fmt));
  else out += "null";
  out += ",";
  key(out, "detected");
  boolean(out, t.detected);
  out += ",";
  key(out, "confidence");
  num(out, t.confidence);
  out += ",";
  key(out, "capabilities");
  if (t.fmt) append_caps(out, info(*t.fmt));
  else out += "null";
  out += ",";
  key(out, "events");
  out += "[";
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    if (i) out += ",";
    append_event(out, t.events[i]);
  }
  out += "],";
  key(out, "notes");
  out += "[";
  for (std::size_t i = 0; i < t.notes.size(); ++i) {
    if (i) out += ",";
    append_message(out, t.notes[i]);
  }
  out += "],";
  key(out, "errors");
  out += "[";
  for (std::size_t i = 0; i < t.errors.size(); ++i) {
    if (i) out += ",";
    append_message(out, t.errors[i]);
  }
  out += "],";
  key(out, "lines");
  num(out, t.lines);
  out += ",";
  key(out, "octets");
  num(out, t.octets);
  out += ",";
  key(out, "dropped_messages");
  num(out, t.dropped_messages);
  out += "}";
  return out;
}

std::string catalogue_json() {
  std::string out = "{";
  key(out, "formats");
  out += "[";
  bool first = true;
  for (const auto& f : format_catalogue()) {
    if (!first) out += ",";
    first = false;
    out += "{";
    key(out, "name");
    str(out, f.name);
    out += ",";
    key(out, "title");
    str(out, f.title);
    out += ",";
    key(out, "capabilities");
    append_caps(out, f);
    out += ",";
    key(out, "keeps");
    str(out, f.keeps);
    out += ",";
    key(out, "loses");
    str(out, f.loses);
    out += "}";
  }
  out += "],";
  key(out, "messages");
  out += "[";
  first = true;
  for (const auto& m : message_catalogue()) {
    if (!first) out += ",";
    first = false;
    out += "{";
    key(out, "id");
    str(out, m.name);
    out += ",";
    key(out, "kind");
    str(out, m.kind == message_kind::note ? "note" : "error");
    out += ",";
    key(out, "message");
    str(out, m.text);
    out += "}";
  }
  out += "]}";
  return out;
}

std::string to_raw(std::span<const event> events) {
  std::string out = "#smtpspec-raw 1\n";
  const event* last = nullptr;
  for (const auto& e : events) {
    const event* prev = last;
    last = &e;
    switch (e.dir) {
      case direction::client:
      case direction::server:
        // A line per write: an event that continues the previous one's write joins its line.
        if (prev != nullptr && prev->dir == e.dir && e.before == boundary::same_write) {
          out.pop_back();
          append_hex(out, e.octets);
          out += "\n";
          break;
        }
        out += e.dir == direction::client ? "C " : "S ";
        append_hex(out, e.octets);
        out += "\n";
        break;
      case direction::tls_start: out += "T\n"; break;
      case direction::connect: out += "O\n"; break;
      case direction::note: {
        // A note is one line: its CR/LF become spaces.
        std::string t = e.octets;
        for (auto& c : t)
          if (c == '\n' || c == '\r') c = ' ';
        out += "# " + t + "\n";
        break;
      }
    }
  }
  return out;
}

}  // namespace smtpspec::transcript
