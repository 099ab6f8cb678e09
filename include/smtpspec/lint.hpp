// smtpspec — `smtpspec lint`: RFC-cited findings on recorded SMTP conversations (issue 7 items 2, 3).
//
// Input is a transcript (transcript.hpp): events with direction, octets, write boundaries and whether
// the octets are exact. The rules are the rows of catalogue/lint_rules.inc; each check reuses the
// library (reply_parser and its diagnostics, parse_command, parse_ehlo_reply, data_reader) rather
// than re-checking by hand. A rule whose input the transcript's format lost (exact octets, write
// boundaries, multi-line replies, DATA) is counted as "cannot decide" instead of guessing.
//
// Two ways in: `lint(transcript, options)` for a whole transcript, and `linter` fed event by event
// with bounded memory (state per connection only; findings beyond max_findings are counted).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/result.hpp"
#include "smtpspec/transcript.hpp"

namespace smtpspec::lint {

// Append-only: the numeric values are stable (the order of lint_rules.inc).
enum class rule_id : std::uint16_t {
#define SMTPSPEC_LINT_RULE(ident, id, rfc, section, level, side, quote, summary) ident,
#include "smtpspec/catalogue/lint_rules.inc"
#undef SMTPSPEC_LINT_RULE
};

enum class side : std::uint8_t { client, server, either };
[[nodiscard]] std::string_view to_string(side s) noexcept;

struct rule_info {
  rule_id id;
  std::string_view name;     // stable id, e.g. "REPLY-CODE-SYNTAX"
  std::string_view rfc;      // "RFC 5321"
  std::string_view section;  // "§4.2"
  severity level;
  side at_fault;
  std::string_view quote;    // the RFC text the rule enforces
  std::string_view summary;  // what a finding says
};
[[nodiscard]] std::span<const rule_info> rule_catalogue() noexcept;
[[nodiscard]] const rule_info& info(rule_id r) noexcept;
[[nodiscard]] std::string_view to_string(rule_id r) noexcept;
[[nodiscard]] std::optional<rule_id> rule_from_name(std::string_view name) noexcept;
// https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.4
[[nodiscard]] std::string help_uri(const rule_info& r);
// Whether the engine checks the rule at all (conformance/lint/STATUS.md lists the others).
[[nodiscard]] bool implemented(rule_id r) noexcept;

struct lint_options {
  // Rule ids or prefixes ending in "*" ("ESC-*"), case-insensitive. Empty select: every rule.
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  bool lmtp = false;               // RFC 2033: LHLO, one reply per accepted RCPT after the data
  bool show_undecidable = false;   // "cannot decide" as findings (else only counted)
  std::size_t max_findings = 10000;  // further findings are counted only
  [[nodiscard]] bool enabled(rule_id r) const noexcept;
};

enum class finding_kind : std::uint8_t { decided, undecidable };
[[nodiscard]] std::string_view to_string(finding_kind k) noexcept;

struct finding {
  rule_id rule = rule_id::reply_code_syntax;
  finding_kind kind = finding_kind::decided;
  side at_fault = side::either;  // the rule's side; for an "either" rule, whose octets these are
  std::size_t line = 0;          // 1-based source line of the event
  std::size_t offset = 0;        // octet offset of the event in the source
  std::size_t event_offset = 0;  // octets into the event's own octets
  std::string octets;            // the offending octets, escaped (\r \n \t \\ \xNN), at most 120 octets
  std::string message;           // the rule's summary, or a more precise sentence
};

struct report {
  std::optional<transcript::format> fmt;  // the transcript's format (capabilities from it)
  std::vector<finding> findings;          // ordered by (offset, event_offset, rule)
  std::size_t by_severity[3] = {0, 0, 0};  // decided findings: info, warning, error (kept or not)
  std::vector<std::size_t> per_rule;       // decided findings per rule_id (kept or not)
  std::vector<std::size_t> undecidable;    // "cannot decide" per rule_id
  std::vector<bool> ran;                   // the rules that were enabled and implemented
  std::size_t dropped = 0;                 // findings beyond max_findings
  std::size_t connections = 0;
  std::size_t events = 0;
  [[nodiscard]] std::size_t undecidable_total() const noexcept;
  [[nodiscard]] bool has_errors() const noexcept { return by_severity[2] > 0; }
};

// Streaming: one linter per input. Events in transcript order; a `connect` event starts a new
// connection (the previous one is finished). Memory is bounded per connection.
class linter {
 public:
  explicit linter(const lint_options& options = {}, std::optional<transcript::format> fmt = std::nullopt);
  ~linter();
  linter(linter&&) noexcept;
  linter& operator=(linter&&) noexcept;
  linter(const linter&) = delete;
  linter& operator=(const linter&) = delete;

  // The format, once known (a streaming reader detects it after its first feed()).
  void set_format(std::optional<transcript::format> fmt);
  void feed(const transcript::event& e);
  // The input ended: finishes the last connection and sorts the findings.
  void finish();
  [[nodiscard]] const report& result() const noexcept;
  [[nodiscard]] report take();

  struct impl;

 private:
  std::unique_ptr<impl> p_;
};

[[nodiscard]] report lint(const transcript::transcript& t, const lint_options& options = {});

// Writers. `file` names the input in the output ("-" for stdin).
[[nodiscard]] std::string to_text(const report& r, std::string_view file);
// Canonical JSON (conformance/README.md, "Lint").
[[nodiscard]] std::string to_json(const report& r);
struct named_report {
  std::string_view file;
  const report* r;
};
[[nodiscard]] std::string to_junit(std::span<const named_report> reports);
[[nodiscard]] std::string to_sarif(std::span<const named_report> reports);
// The octets as the escaped S:/C: form writes them (\r \n \t \\ \xNN), at most `max` input octets.
[[nodiscard]] std::string escape_octets(std::string_view octets, std::size_t max = 120);

}  // namespace smtpspec::lint
