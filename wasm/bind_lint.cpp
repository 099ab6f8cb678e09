// smtpspec — the native half of the JS linter (npm/lint.js). The transcript is read and linted by
// the core, and the answer is the core's writer output (canonical JSON, text, JUnit or SARIF), which
// lint.js JSON.parse()s for json, so JS, C++, Python and the CLI agree by construction. The streaming
// Linter and TranscriptReader (transcript.js) are handles of one table here (wasm/handles.hpp).
// lint.js has checked the names (output, rule ids, transcript format) against the catalogues: no
// exceptions here.
#include <emscripten/bind.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handles.hpp"
#include "smtpspec/lint.hpp"
#include "smtpspec/transcript.hpp"

namespace tr = smtpspec::transcript;
namespace li = smtpspec::lint;

namespace smtpspec_wasm {
// bind_transcript.cpp: the transcript options of the JS arguments.
tr::options transcript_options_of(const std::string& format, double max_line, double max_messages, double max_held);
}  // namespace smtpspec_wasm

namespace {

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

li::lint_options lint_options_of(const std::string& select, const std::string& ignore, bool lmtp,
                                 bool show_undecidable) {
  li::lint_options lo;
  lo.select = split_ids(select);
  lo.ignore = split_ids(ignore);
  lo.lmtp = lmtp;
  lo.show_undecidable = show_undecidable;
  return lo;
}

std::string write(const li::report& report, const std::string& output, const std::string& file) {
  if (output == "text") return li::to_text(report, file);
  const li::named_report named[] = {{file, &report}};
  if (output == "junit") return li::to_junit(named);
  if (output == "sarif") return li::to_sarif(named);
  return li::to_json(report);
}

// output: json | text | junit | sarif; transcript_format: a catalogue name, or "" to detect.
std::string lint_output(const std::string& text, const std::string& output, const std::string& select,
                        const std::string& ignore, const std::string& transcript_format, bool lmtp,
                        bool show_undecidable, const std::string& file) {
  tr::options to;
  if (!transcript_format.empty()) to.fmt = tr::format_from_name(transcript_format);
  return write(li::lint(tr::read(text, to), lint_options_of(select, ignore, lmtp, show_undecidable)), output, file);
}

// The streaming classes of lint.js (Linter) and transcript.js (TranscriptReader) share one handle
// table: a transcript::reader, and for a Linter a lint::linter its events are handed to after each
// feed, as the CLI does. Memory stays bounded: a TranscriptReader's answer is what was read since the
// last call (reader::take()), a Linter keeps state per connection only.
struct stream {
  tr::reader reader;
  std::optional<li::linter> linter;
  explicit stream(const tr::options& to) : reader(to) {}
  void drain() {
    linter->set_format(reader.current_format());
    for (const auto& e : reader.events()) linter->feed(e);
    reader.clear();
  }
};
smtpspec_wasm::table<stream>& streams() {
  static smtpspec_wasm::table<stream> t;
  return t;
}
int transcript_reader_new(const std::string& format, double max_line, double max_messages, double max_held) {
  return streams().add(
      std::make_unique<stream>(smtpspec_wasm::transcript_options_of(format, max_line, max_messages, max_held)));
}
int linter_new(const std::string& select, const std::string& ignore, const std::string& transcript_format, bool lmtp,
               bool show_undecidable) {
  tr::options to;
  if (!transcript_format.empty()) to.fmt = tr::format_from_name(transcript_format);
  auto s = std::make_unique<stream>(to);
  s->linter.emplace(lint_options_of(select, ignore, lmtp, show_undecidable), to.fmt);
  return streams().add(std::move(s));
}
// A reader answers the canonical JSON of what it read; a linter "" (and "" for a freed handle: the
// JS classes refuse calls after close() or finish() first).
std::string stream_feed(int id, const std::string& bytes) {
  auto* s = streams().get(id);
  if (s == nullptr) return {};
  s->reader.feed(bytes);
  if (!s->linter) return tr::to_json(s->reader.take());
  s->drain();
  return {};
}
// output, file: a linter's writer and the input's name in it.
std::string stream_finish(int id, const std::string& output, const std::string& file) {
  auto* s = streams().get(id);
  if (s == nullptr) return {};
  s->reader.finish();
  if (!s->linter) return tr::to_json(s->reader.take());
  s->drain();
  s->linter->finish();
  return write(s->linter->take(), output, file);
}
void stream_free(int id) { streams().items.erase(id); }

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
  emscripten::function("transcriptReaderNew", &transcript_reader_new);
  emscripten::function("linterNew", &linter_new);
  emscripten::function("streamFeed", &stream_feed);
  emscripten::function("streamFinish", &stream_finish);
  emscripten::function("streamFree", &stream_free);
}
