// smtpspec — the native half of the JS linter (npm/lint.js). The transcript is read and linted by
// the core, and the answer is the core's writer output (canonical JSON, text, JUnit or SARIF), which
// lint.js JSON.parse()s for json, so JS, C++, Python and the CLI agree by construction. lint.js has
// checked the names (output, rule ids, transcript format) against the catalogues: no exceptions here.
#include <emscripten/bind.h>

#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/lint.hpp"
#include "smtpspec/transcript.hpp"

namespace {

namespace tr = smtpspec::transcript;
namespace li = smtpspec::lint;

// Rule ids joined by "\n" (lint.js), as a list.
std::vector<std::string> split_ids(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto nl = s.find('\n');
    const auto id = s.substr(0, nl);
    if (!id.empty()) out.emplace_back(id);
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

// output: json | text | junit | sarif; transcript_format: a catalogue name, or "" to detect.
std::string lint_output(const std::string& text, const std::string& output, const std::string& select,
                        const std::string& ignore, const std::string& transcript_format, bool lmtp,
                        bool show_undecidable, const std::string& file) {
  tr::options to;
  if (!transcript_format.empty()) to.fmt = tr::format_from_name(transcript_format);
  li::lint_options lo;
  lo.select = split_ids(select);
  lo.ignore = split_ids(ignore);
  lo.lmtp = lmtp;
  lo.show_undecidable = show_undecidable;
  const auto report = li::lint(tr::read(text, to), lo);
  if (output == "text") return li::to_text(report, file);
  const li::named_report named[] = {{file, &report}};
  if (output == "junit") return li::to_junit(named);
  if (output == "sarif") return li::to_sarif(named);
  return li::to_json(report);
}

// The rule catalogue (catalogue/lint_rules.inc), one object per row, in catalogue order.
emscripten::val lint_rules() {
  auto rows = emscripten::val::array();
  for (const auto& r : li::rule_catalogue()) {
    auto o = emscripten::val::object();
    o.set("id", std::string(r.name));
    o.set("rfc", std::string(r.rfc));
    o.set("section", std::string(r.section));
    o.set("severity", std::string(smtpspec::to_string(r.level)));
    o.set("side", std::string(li::to_string(r.at_fault)));
    o.set("quote", std::string(r.quote));
    o.set("summary", std::string(r.summary));
    o.set("url", li::help_uri(r));
    o.set("implemented", li::implemented(r.id));
    rows.call<void>("push", o);
  }
  return rows;
}

}  // namespace

EMSCRIPTEN_BINDINGS(smtpspec_lint) {
  emscripten::function("lintOutput", &lint_output);
  emscripten::function("lintRules", &lint_rules);
}
