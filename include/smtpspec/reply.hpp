// smtpspec — SMTP replies (RFC 5321 §4.2, RFC 2034): the formatter a server uses, the incremental
// parser a client uses, EHLO replies, and the standard replies of §4.2.2–§4.2.3 and §4.3.2.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/command.hpp"
#include "smtpspec/enhanced_status.hpp"
#include "smtpspec/result.hpp"

namespace smtpspec {

// ---- Reply parser diagnostics (catalogue/reply_diagnostics.inc) ------------------------------

// Append-only: the numeric values are stable.
enum class reply_diagnostic_id : std::uint16_t {
#define SMTPSPEC_REPLY_DIAGNOSTIC(id, sev, rfc, message) id,
#include "smtpspec/catalogue/reply_diagnostics.inc"
#undef SMTPSPEC_REPLY_DIAGNOSTIC
};

struct reply_diagnostic_info {
  reply_diagnostic_id id;
  std::string_view name;
  severity level;
  std::string_view rfc;
  std::string_view message;
};

// `offset` counts octets from the start of the stream given to the parser.
struct reply_diagnostic {
  reply_diagnostic_id id;
  std::size_t offset = 0;
  friend bool operator==(const reply_diagnostic&, const reply_diagnostic&) = default;
};

[[nodiscard]] std::span<const reply_diagnostic_info> reply_diagnostic_catalogue() noexcept;
[[nodiscard]] const reply_diagnostic_info& info(reply_diagnostic_id d) noexcept;
[[nodiscard]] std::string_view to_string(reply_diagnostic_id d) noexcept;

// ---- Parsed replies ---------------------------------------------------------------------------

struct reply_line {
  std::size_t offset = 0;  // stream offset of the line's first octet
  // After the reply code and its separator ("250-", "250 "), as received, enhanced code
  // included; the whole line when it has no three-digit code. At most max_line - 2 octets.
  std::string text;
  friend bool operator==(const reply_line&, const reply_line&) = default;
};

struct reply {
  // The first line's three-digit code (also when out of range, e.g. 150, with a diagnostic);
  // absent when the first line does not start with three digits.
  std::optional<int> code;
  // Present when every line begins with the same enhanced status code (RFC 2034 §4).
  std::optional<enhanced_status> enhanced;
  std::vector<reply_line> lines;  // the first max_lines lines
  std::size_t line_count = 0;     // all lines, kept or not
  std::size_t offset = 0;         // stream offset of the first octet
  std::size_t length = 0;         // octets, line ends included
  std::vector<reply_diagnostic> diagnostics;  // ordered by offset, at most max_diagnostics + 1

  [[nodiscard]] bool multiline() const noexcept { return line_count > 1; }
  // No diagnostic of severity error.
  [[nodiscard]] bool valid() const noexcept;
  // The kept lines' texts without the enhanced code and the one SP after it.
  [[nodiscard]] std::vector<std::string> messages() const;
  friend bool operator==(const reply&, const reply&) = default;
};

struct reply_parse_options {
  std::size_t max_line = 512;         // §4.5.3.1.5, octets including CRLF; the rest is counted only
  std::size_t max_lines = 1000;       // lines kept per reply; further lines are counted only
  std::size_t max_diagnostics = 64;   // per reply; then one too_many_diagnostics
  bool lf_ends_line = true;           // a bare LF ends a line (diagnosed); false: it is text
};

// Sans-IO, incremental: bytes in, complete replies out. Any split of the input gives the same
// replies. Memory is bounded by the options (and by the replies the caller leaves queued).
// A line is a continuation when its fourth octet is "-"; any other line ends the reply (as
// clients commonly decide), so a malformed line never stalls the client.
class reply_parser {
 public:
  explicit reply_parser(const reply_parse_options& options = {});

  // Consumes all of `bytes`. Ignored after finish() (until reset()).
  void feed(std::string_view bytes);
  // End of stream: a partial line (no CRLF) or an unfinished multi-line reply is completed with
  // a diagnostic.
  void finish();
  void reset();

  [[nodiscard]] std::size_t pending() const noexcept { return ready_.size(); }
  [[nodiscard]] std::optional<reply> next();  // the oldest completed reply
  [[nodiscard]] std::vector<reply> take();    // every completed reply, oldest first
  [[nodiscard]] std::size_t consumed() const noexcept { return pos_; }
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  [[nodiscard]] const reply_parse_options& options() const noexcept { return opts_; }

 private:
  void octet(unsigned char c);
  void plain(const char* p, std::size_t n);
  void bare_cr(std::size_t at);
  void content(unsigned char c, std::size_t at);
  void end_line(std::size_t next_start);
  void line_diag(reply_diagnostic_id id, std::size_t offset);
  void reply_diag(reply_diagnostic_id id, std::size_t offset);
  void complete_reply(std::size_t end);

  reply_parse_options opts_;
  std::deque<reply> ready_;
  reply cur_;
  bool in_reply_ = false;  // the previous line was a continuation ("ddd-")
  std::string line_;       // the current line's first max_line - 2 octets
  std::size_t line_start_ = 0;
  std::size_t line_len_ = 0;  // content octets seen, kept or not
  bool cr_pending_ = false;   // a CR that may start a CRLF (the next feed() decides)
  // Octet-level findings are reported once per line, so a huge line costs no memory.
  bool seen_control_ = false, seen_8bit_ = false, seen_long_ = false, seen_cr_ = false, seen_lf_ = false;
  std::vector<reply_diagnostic> line_diags_;
  // Per-reply state for the RFC 2034 checks.
  std::optional<enhanced_status> first_enhanced_;
  bool enhanced_consistent_ = true;
  bool dropped_lines_ = false;
  std::size_t pos_ = 0;
  bool finished_ = false;
};

// A whole stream at once: feed, finish, take.
[[nodiscard]] std::vector<reply> parse_replies(std::string_view stream, const reply_parse_options& = {});

// ---- EHLO replies (RFC 5321 §4.1.1.1 ehlo-ok-rsp) ---------------------------------------------

// A LIMITS pair (RFC 9422): a registered name's value is a number (catalogue/server_limits.inc).
struct ehlo_limit {
  std::string name;                    // as written
  std::string value;                   // as written ("" when the pair has no "=")
  std::optional<std::uint32_t> number = std::nullopt;  // a registered limit's value (%x31-39 0*5DIGIT)
  friend bool operator==(const ehlo_limit&, const ehlo_limit&) = default;
};

struct ehlo_keyword {
  std::string keyword;              // as written (compare case-insensitively)
  std::vector<std::string> params;
  // The registered service extension (catalogue/extensions.inc); absent for private X- keywords
  // and unregistered ones. Its parameters are checked against the extension's EHLO syntax.
  std::optional<smtpspec::extension> extension = std::nullopt;
  bool params_ok = true;  // false when they break the extension's EHLO syntax (a diagnostic says how)
  // Typed views, filled when the parameters match the syntax (AUTH's list and the LIMITS pairs
  // that parse are kept either way):
  // SIZE: the fixed maximum (0: none, RFC 1870 §4); absent without a parameter or above 2^53-1
  // (the largest integer JSON surfaces hold exactly)
  std::optional<std::uint64_t> size = std::nullopt;
  std::vector<std::string> mechanisms = {};                  // AUTH: the SASL mechanisms, as written
  std::optional<std::uint32_t> min_by_time = std::nullopt;   // DELIVERBY: min-by-time (RFC 2852 §3)
  std::optional<std::uint32_t> max_interval = std::nullopt;  // FUTURERELEASE: max-future-release-interval (s)
  std::optional<std::string> max_date_time = std::nullopt;   // FUTURERELEASE: max-future-release-date-time
  std::optional<std::string> policy = std::nullopt;          // MT-PRIORITY: the priority-profile (RFC 6710 §7)
  std::vector<ehlo_limit> limits = {};                       // LIMITS: the name=value pairs
  // Two keyword lines are equal when they say the same: everything else is derived from the keyword
  // and its parameters (so {"SIZE", {"1000"}} equals what parse_ehlo_reply reads of "SIZE 1000").
  friend bool operator==(const ehlo_keyword& a, const ehlo_keyword& b) {
    return a.keyword == b.keyword && a.params == b.params;
  }
};

struct ehlo_reply {
  std::string domain;                     // first word of the first line
  std::optional<std::string> greeting;    // the rest of the first line (ehlo-greet)
  std::vector<ehlo_keyword> keywords;     // one per further line
  std::vector<reply_diagnostic> diagnostics;  // lines that break the ABNF, kept as best read
  // Case-insensitive (§4.1.1.1); nullptr when absent.
  [[nodiscard]] const ehlo_keyword* find(std::string_view keyword) const noexcept;
  // The registered extensions the server offers: what a client may use, and what a server
  // session's parse_options.extensions should be (accepted_parameters() lists their MAIL/RCPT
  // parameters).
  [[nodiscard]] extension_set extensions() const noexcept;
};

// invalid_ehlo_reply (offset: the reply's) unless the reply's code is 250. Lines that do not match
// ehlo-line (e.g. the old "AUTH=LOGIN PLAIN") are split at SP and reported as diagnostics. Each
// keyword is looked up in the IANA registry and its parameters checked against its extension's
// syntax (diagnostics ehlo_*, offset: the keyword line's).
[[nodiscard]] result<ehlo_reply> parse_ehlo_reply(const reply& r);

// ---- Formatter --------------------------------------------------------------------------------

enum class text_policy : unsigned char {
  refuse,      // an error value (forbidden_reply_octet) naming the first such octet
  neutralise,  // each such octet becomes SP
};

struct format_options {
  // Write the enhanced code, when one is given, at the start of every line (RFC 2034 §4). Off
  // for servers that do not offer ENHANCEDSTATUSCODES, for the greeting and EHLO/HELO replies.
  bool enhanced_codes = true;
  std::size_t max_line = 512;  // octets per line including CRLF (§4.5.3.1.5); text is wrapped
  // For CR, LF, NUL and every other octet textstring excludes (controls but HT, DEL, and 8-bit
  // octets unless utf8). Nothing of the kind is ever written.
  text_policy policy = text_policy::refuse;
  bool utf8 = false;  // pass 8-bit octets through (SMTPUTF8, RFC 6531 §3.7.4)
};

struct formatted_reply {
  std::string text;  // the wire form, every line ending in CRLF
  std::size_t line_count = 0;
};

// Lines "250-…" then "250 …" (§4.2.1), the same code on each, the enhanced code and one SP after
// it on each (RFC 2034 §3-§4); a line too long for max_line is wrapped at the last SP that fits
// (that SP is dropped), or cut where none does. No lines: one line without text. Errors:
// invalid_reply_code, status_class_mismatch (a 2xx with a 5.x.x code, or any 3xx with one),
// forbidden_reply_octet (offset into the lines joined by LF), reply_line_too_long (max_line too
// small to hold the prefix and one octet of text).
[[nodiscard]] result<formatted_reply> format_reply(int code, const std::optional<enhanced_status>& enhanced,
                                                   std::span<const std::string_view> lines,
                                                   const format_options& options = {});
[[nodiscard]] result<formatted_reply> format_reply(int code, const std::optional<enhanced_status>& enhanced,
                                                   std::initializer_list<std::string_view> lines,
                                                   const format_options& options = {});

// ehlo-ok-rsp: "250-domain greeting", then one "250-" line per keyword with its parameters,
// the last with "250 ". No enhanced codes (RFC 2034 §3). Errors: the domain's own (parse_domain;
// an address literal is accepted), invalid_ehlo_keyword, invalid_ehlo_param (offset: the index
// of the keyword), forbidden_reply_octet in the greeting (offset into it; neutralised on
// request), reply_line_too_long (lines are not wrapped here).
[[nodiscard]] result<formatted_reply> format_ehlo_reply(std::string_view domain, std::string_view greeting,
                                                        std::span<const ehlo_keyword> keywords,
                                                        const format_options& options = {});

// ---- Standard replies (catalogue/standard_replies.inc) ----------------------------------------

struct standard_reply_info {
  int code;
  std::string_view text;  // §4.2.3
  std::string_view note;  // the RFC's parenthetical remark, or ""
};

// §4.3.2 stages: the commands, plus the greeting (connection), the end of the data (data_end)
// and the codes any command may get (any).
enum class reply_stage : unsigned char {
  any, connection, ehlo, helo, mail, rcpt, data, data_end, rset, vrfy, expn, help, noop, quit,
};
enum class reply_kind : unsigned char { intermediate, success, error };

struct reply_sequence_info {
  reply_stage stage;
  reply_kind kind;
  int code;
  std::string_view note;
};

[[nodiscard]] std::span<const standard_reply_info> standard_replies() noexcept;
[[nodiscard]] const standard_reply_info* lookup_standard_reply(int code) noexcept;
[[nodiscard]] std::span<const reply_sequence_info> reply_sequences() noexcept;
// Whether §4.3.2 lists `code` for `stage`, counting the codes any command may get.
[[nodiscard]] bool is_listed_reply(reply_stage stage, int code) noexcept;
// EHLO/LHLO → ehlo, HELO → helo, …; STARTTLS, AUTH and BDAT are not in §4.3.2.
[[nodiscard]] std::optional<reply_stage> reply_stage_for(verb v) noexcept;
[[nodiscard]] std::string_view to_string(reply_stage s) noexcept;
[[nodiscard]] std::string_view to_string(reply_kind k) noexcept;  // "intermediate", "success", "error"

// ---- Canonical JSON (conformance/README.md, "Replies and status codes") -----------------------

[[nodiscard]] std::string to_json(const reply& r);
[[nodiscard]] std::string to_json(std::span<const reply> replies);  // a JSON array
[[nodiscard]] std::string to_json(const result<ehlo_reply>& r);
// One keyword's typed view as the EHLO JSON writes it ("value": an object or null).
[[nodiscard]] std::string ehlo_value_json(const ehlo_keyword& k);
[[nodiscard]] std::string to_json(const result<formatted_reply>& r);
// {"standard_replies":[…],"sequences":[…],"reply_diagnostics":[…]}
[[nodiscard]] std::string reply_catalogue_json();

}  // namespace smtpspec
