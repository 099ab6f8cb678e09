// Fuzz target for the linter. Input layout: the first byte picks the transcript format (0-N a
// catalogue row, anything else: detect) and, in its top bit, LMTP mode; the second byte a split
// point; the rest is the transcript. Invariants (a violation traps): the linter fed from a reader
// in two chunks gives the same report as lint(read(all)); every finding's line is inside the
// input and its escaped octets are bounded; the JSON and SARIF outputs are valid JSON.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smtpspec/lint.hpp"
#include "smtpspec/transcript.hpp"

namespace {
namespace t = smtpspec::transcript;
namespace l = smtpspec::lint;
void require(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  t::options o;
  const unsigned f = data[0] & 0x7f;
  if (f < t::format_catalogue().size()) o.fmt = static_cast<t::format>(f);
  o.sniff_bytes = 256;
  l::lint_options lo;
  lo.lmtp = (data[0] & 0x80) != 0;
  lo.show_undecidable = true;
  lo.max_findings = 200;
  const std::string_view s(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = s.empty() ? 0 : data[1] % (s.size() + 1);

  const auto tr = t::read(s, o);
  const auto whole = l::lint(tr, lo);

  t::reader rd(o);
  l::linter lt(lo, o.fmt);
  auto drain = [&]() {
    lt.set_format(rd.current_format());
    for (const auto& e : rd.events()) lt.feed(e);
    rd.clear();
  };
  rd.feed(s.substr(0, cut));
  drain();
  rd.feed(s.substr(cut));
  drain();
  rd.finish();
  drain();
  lt.finish();
  const auto json = l::to_json(whole);
  require(l::to_json(lt.result()) == json);

  require(whole.findings.size() <= lo.max_findings);
  for (const auto& fi : whole.findings) {
    require(fi.line >= 1 && fi.line <= tr.lines + 1);
    require(fi.offset <= s.size());
    require(fi.octets.size() <= 4 * 120);
  }
  require(nlohmann::json::accept(json));
  const l::named_report nr[] = {{"fuzz", &whole}};
  require(nlohmann::json::accept(l::to_sarif(nr)));
  require(!l::to_junit(nr).empty());
  return 0;
}
