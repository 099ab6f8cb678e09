// Fuzz target for the transcript readers. Input layout: the first byte picks the format (0-7 a
// catalogue row, anything else: detect) and, in its top bit, a small max_line (48) and max_held; the second
// byte a split point; the rest is the transcript. Invariants (a violation traps): feeding the
// input in two parts gives the same events, notes and errors as read(); offsets and line numbers
// stay inside the input; the canonical JSON is valid; a raw capture of the events reads back to
// the same octets.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smtpspec/transcript.hpp"

namespace {
namespace t = smtpspec::transcript;
void require(bool ok) {
  if (!ok) __builtin_trap();
}
std::string digest(std::span<const t::event> ev, std::span<const t::message> notes, std::span<const t::message> errors) {
  std::string s;
  for (const auto& e : ev) s += t::to_json(e);
  for (const auto& m : notes) s += std::string(t::to_string(m.id)) + std::to_string(m.line) + ";";
  for (const auto& m : errors) s += std::string(t::to_string(m.id)) + std::to_string(m.line) + ";";
  return s;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  t::options o;
  const unsigned f = data[0] & 0x7f;
  if (f < t::format_catalogue().size()) o.fmt = static_cast<t::format>(f);
  if (data[0] & 0x80) {
    o.max_line = 48;
    o.max_held = 400;  // postfix_debug: interleaved processes overflow early
  }
  o.sniff_bytes = 256;
  const std::string_view s(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = s.empty() ? 0 : data[1] % (s.size() + 1);

  const auto whole = t::read(s, o);
  require(nlohmann::json::accept(t::to_json(whole)));
  std::size_t lines = 0;
  for (char c : s) lines += c == '\n';
  for (const auto& e : whole.events) {
    require(e.offset <= s.size());
    require(e.line >= 1 && e.line <= lines + 1);
  }
  for (const auto& e : whole.errors) require(e.line >= 1 && e.line <= lines + 1 && e.offset <= s.size());

  t::reader r(o);
  std::vector<t::event> ev;
  std::vector<t::message> notes, errors;
  auto drain = [&] {
    ev.insert(ev.end(), r.events().begin(), r.events().end());
    notes.insert(notes.end(), r.notes().begin(), r.notes().end());
    errors.insert(errors.end(), r.errors().begin(), r.errors().end());
    r.clear();
  };
  r.feed(s.substr(0, cut));
  drain();
  r.feed(s.substr(cut));
  r.finish();
  drain();
  require(digest(ev, notes, errors) == digest(whole.events, whole.notes, whole.errors));

  const auto back = t::read(t::to_raw(whole.events));
  std::string a, b;
  for (const auto& e : whole.events)
    if (e.dir == t::direction::client || e.dir == t::direction::server) a += e.octets;
  for (const auto& e : back.events)
    if (e.dir == t::direction::client || e.dir == t::direction::server) b += e.octets;
  require(a == b);
  return 0;
}
