// Canonical JSON of a transcript (conformance/README.md, "Transcripts") and the raw capture form.
#include <string>

#include "json_escape.hpp"
#include "smtpspec/transcript.hpp"
#include "transcript_internal.hpp"

namespace smtpspec::transcript {

namespace {

using writer = smtpspec::detail::json_writer;

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

void append_event(writer& w, const event& e) {
  w.raw("{").key("dir", true).str(to_string(e.dir)).key("boundary").str(to_string(e.before));
  w.key("exact").boolean(e.exact).key("tls").boolean(e.tls);
  w.key("line").num(e.line).key("offset").num(e.offset).key("text").str(e.octets).key("hex");
  if (valid_utf8(e.octets)) {
    w.null();
  } else {
    w.raw("\"");
    append_hex(w.out, e.octets);
    w.raw("\"");
  }
  w.raw("}");
}

void append_message(writer& w, const message& m) {
  w.raw("{").key("id", true).str(to_string(m.id)).key("line").num(m.line).key("offset").num(m.offset);
  w.key("count").num(m.count).key("excerpt").str(m.excerpt).raw("}");
}

void append_format(writer& w, std::optional<format> f) {
  if (f) w.str(to_string(*f));
  else w.null();
}

}  // namespace

void detail::capabilities_json(writer& w, const format_info& f) {
  w.raw("{").key("octets", true).str(to_string(f.octets));
  w.key("write_boundaries").str(to_string(f.boundaries)).key("replies").str(to_string(f.replies));
  w.key("data").str(to_string(f.data)).key("tls").str(to_string(f.tls));
  w.raw("}");
}

std::string to_json(const event& e) {
  writer w;
  append_event(w, e);
  return std::move(w.out);
}

std::string to_json(const detection& d) {
  writer w;
  w.raw("{").key("format", true);
  append_format(w, d.fmt);
  w.key("confidence").num(d.confidence).raw("}");
  return std::move(w.out);
}

std::string to_json(const transcript& t) {
  writer w;
  w.out.reserve(256 + t.events.size() * 96);
  w.raw("{").key("format", true);
  append_format(w, t.fmt);
  w.key("detected").boolean(t.detected).key("confidence").num(t.confidence).key("capabilities");
  if (t.fmt) detail::capabilities_json(w, info(*t.fmt));
  else w.null();
  w.key("events").array(t.events, [&w](const event& e) { append_event(w, e); });
  w.key("notes").array(t.notes, [&w](const message& m) { append_message(w, m); });
  w.key("errors").array(t.errors, [&w](const message& m) { append_message(w, m); });
  w.key("lines").num(t.lines).key("octets").num(t.octets).key("dropped_messages").num(t.dropped_messages);
  w.raw("}");
  return std::move(w.out);
}

std::string catalogue_json() {
  writer w;
  w.raw("{").key("formats", true).array(format_catalogue(), [&w](const format_info& f) {
    w.raw("{").key("name", true).str(f.name).key("title").str(f.title).key("capabilities");
    detail::capabilities_json(w, f);
    w.key("keeps").str(f.keeps).key("loses").str(f.loses).raw("}");
  });
  w.key("messages").array(message_catalogue(), [&w](const message_info& m) {
    w.raw("{").key("id", true).str(m.name).key("kind").str(m.kind == message_kind::note ? "note" : "error");
    w.key("message").str(m.text).raw("}");
  });
  w.raw("}");
  return std::move(w.out);
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
