// Fuzz target for the reply parser (and, on the same bytes, the formatter and EHLO reader).
// Input layout: the first byte picks the options (bit 0: a bare LF is text, bit 1: max_lines 3,
// bit 2: max_line 16, bit 3: max_diagnostics 2) and the second byte a split point; the rest is
// the stream. Invariants (a violation traps): the split changes nothing, the replies tile the
// stream, offsets stay inside it, the JSON is valid, and formatting the stream as text never
// writes a CR, LF or NUL that is not part of a line end.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/smtpspec.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
std::string json_of(const std::vector<smtpspec::reply>& rs) { return to_json(std::span<const smtpspec::reply>(rs)); }
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  smtpspec::reply_parse_options o;
  o.lf_ends_line = (data[0] & 1) == 0;
  if (data[0] & 2) o.max_lines = 3;
  if (data[0] & 4) o.max_line = 16;
  if (data[0] & 8) o.max_diagnostics = 2;
  const std::string_view s(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = s.empty() ? 0 : data[1] % (s.size() + 1);

  const auto whole = smtpspec::parse_replies(s, o);
  const std::string j = json_of(whole);
  require(nlohmann::json::accept(j));
  smtpspec::reply_parser p(o);
  p.feed(s.substr(0, cut));
  std::vector<smtpspec::reply> parts = p.take();
  p.feed(s.substr(cut));
  p.finish();
  for (auto& r : p.take()) parts.push_back(std::move(r));
  require(json_of(parts) == j);

  std::size_t at = 0;
  for (const auto& r : whole) {
    require(r.offset == at);
    at += r.length;
    require(r.lines.size() <= o.max_lines && r.lines.size() <= r.line_count);
    require(r.diagnostics.size() <= o.max_diagnostics + 1);
    for (const auto& d : r.diagnostics) require(d.offset <= s.size());
    for (const auto& l : r.lines) require(l.text.size() <= o.max_line);
    const auto e = smtpspec::parse_ehlo_reply(r);
    require(nlohmann::json::accept(to_json(e)));
    if (e.ok()) {  // issue 3: the registry reading of each keyword is consistent with itself
      const auto offered = e->extensions();
      for (const auto& k : e->keywords) {
        require(k.extension.has_value() == smtpspec::find_extension(k.keyword).has_value());
        if (k.extension) require(offered.has(*k.extension));
        if (!k.params_ok) require(smtpspec::ehlo_value_json(k) == "null");
        require(nlohmann::json::accept(smtpspec::ehlo_value_json(k)));
      }
    }
  }
  require(at == s.size());

  smtpspec::format_options f;
  f.policy = smtpspec::text_policy::neutralise;
  f.utf8 = (data[0] & 16) != 0;
  const std::string_view line = s.substr(0, 2048);
  const auto out = smtpspec::format_reply(550, smtpspec::enhanced_status{5, 7, 1}, {line}, f);
  require(out.ok());
  const std::string& t = out->text;
  for (std::size_t i = 0; i < t.size(); ++i) {
    require(t[i] != '\0');
    if (t[i] == '\r') require(i + 1 < t.size() && t[i + 1] == '\n');
    if (t[i] == '\n') require(i > 0 && t[i - 1] == '\r');
  }
  const auto back = smtpspec::parse_replies(t);
  require(back.size() == 1 && back[0].code == 550 && back[0].enhanced.has_value());
  return 0;
}
