// The client-side reply parser (RFC 5321 §4.2, §2.3.8, §4.5.3.1.5; RFC 2034), incremental and
// bounded, and the EHLO reply reader (§4.1.1.1).
//
// Bytes are taken one at a time, so the answer cannot depend on how the stream was split; the
// only state carried between calls is a CR that may start a CRLF, the current line's first
// max_line - 2 octets with a count of the rest, and the reply being assembled.
#include <algorithm>

#include <tao/pegtl.hpp>

#include "smtpspec/grammar/rfc3463.hpp"
#include "smtpspec/grammar/rfc5321_reply.hpp"
#include "smtpspec/reply.hpp"
#include "ehlo_keywords.hpp"

namespace smtpspec {
namespace {
namespace pegtl = tao::pegtl;

constexpr reply_diagnostic_info reply_diags[] = {
#define SMTPSPEC_REPLY_DIAGNOSTIC(id, sev, rfc, message) {reply_diagnostic_id::id, #id, severity::sev, rfc, message},
#include "smtpspec/catalogue/reply_diagnostics.inc"
#undef SMTPSPEC_REPLY_DIAGNOSTIC
};

bool digit(std::string_view s, std::size_t i) noexcept { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

// An enhanced status code at the start of `text`, followed by SP or the end (RFC 2034 §3).
struct leading_status {
  std::optional<enhanced_status> status;
  std::size_t length = 0;      // octets of the code
  bool near_miss = false;      // class "." digits "." digits, but against RFC 3463 §2's rules
};

leading_status find_status(std::string_view text) {
  leading_status out;
  pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::crlf> in(text.data(), text.size(), "");
  if (pegtl::parse<grammar::rfc3463::status_code>(in)) {
    const std::size_t len = static_cast<std::size_t>(in.current() - text.data());
    if (len == text.size() || text[len] == ' ') {
      // The grammar fixed the shape: class "." 1*3DIGIT "." 1*3DIGIT.
      enhanced_status st{static_cast<unsigned>(text[0] - '0'), 0, 0};
      std::size_t i = 2;
      for (; text[i] != '.'; ++i) st.subject = st.subject * 10 + static_cast<unsigned>(text[i] - '0');
      for (++i; i < len; ++i) st.detail = st.detail * 10 + static_cast<unsigned>(text[i] - '0');
      out.status = st;
      out.length = len;
      return out;
    }
    return out;  // "2.1.5.3 …" or "5.1.1: …": text, not a status code
  }
  // The shape without the digit rules: [245] "." 1*DIGIT "." 1*DIGIT (SP / end).
  if (text.empty() || (text[0] != '2' && text[0] != '4' && text[0] != '5')) return out;
  std::size_t i = 1;
  for (int part = 0; part < 2; ++part) {
    if (i >= text.size() || text[i] != '.') return out;
    const std::size_t start = ++i;
    while (digit(text, i)) ++i;
    if (i == start) return out;
  }
  out.near_miss = i == text.size() || text[i] == ' ';
  return out;
}

}  // namespace

std::span<const reply_diagnostic_info> reply_diagnostic_catalogue() noexcept { return reply_diags; }
const reply_diagnostic_info& info(reply_diagnostic_id d) noexcept { return reply_diags[static_cast<std::size_t>(d)]; }
std::string_view to_string(reply_diagnostic_id d) noexcept { return info(d).name; }

bool reply::valid() const noexcept {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const reply_diagnostic& d) { return info(d.id).level == severity::error; });
}

std::vector<std::string> reply::messages() const {
  std::vector<std::string> out;
  const std::string status = enhanced ? enhanced->to_string() : std::string();
  for (const auto& l : lines) {
    std::string_view t = l.text;
    if (!status.empty() && t.starts_with(status)) {
      t.remove_prefix(status.size());
      if (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    }
    out.emplace_back(t);
  }
  return out;
}

// ---- reply_parser -----------------------------------------------------------------------------

reply_parser::reply_parser(const reply_parse_options& options) : opts_(options) {
  // Room for a code, a separator and one octet of text; anything smaller cannot hold a reply.
  opts_.max_line = std::max<std::size_t>(opts_.max_line, 8);
  opts_.max_lines = std::max<std::size_t>(opts_.max_lines, 1);
}

void reply_parser::reset() { *this = reply_parser(opts_); }

void reply_parser::feed(std::string_view bytes) {
  if (finished_) return;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    // Runs of printable text (the common case) are copied at once; everything else goes octet by
    // octet. Both paths record the same findings at the same offsets.
    if (!cr_pending_) {
      const char* q = p;
      while (q < end && ((*q >= 0x20 && *q < 0x7f) || *q == '\t')) ++q;
      if (q != p) {
        plain(p, static_cast<std::size_t>(q - p));
        p = q;
        continue;
      }
    }
    octet(static_cast<unsigned char>(*p));
    ++pos_;
    ++p;
  }
}

void reply_parser::plain(const char* p, std::size_t n) {
  const std::size_t cap = opts_.max_line - 2;
  if (line_len_ < cap) line_.append(p, std::min(n, cap - line_len_));
  if (line_len_ + n > cap && !seen_long_) {
    seen_long_ = true;
    line_diag(reply_diagnostic_id::line_too_long, line_start_ + cap);
  }
  line_len_ += n;
  pos_ += n;
}

void reply_parser::octet(unsigned char c) {
  const std::size_t at = pos_;
  if (cr_pending_) {
    cr_pending_ = false;
    if (c == '\n') {
      end_line(at + 1);
      return;
    }
    bare_cr(at - 1);
  }
  if (c == '\r') {
    cr_pending_ = true;
    return;
  }
  if (c == '\n') {
    if (!seen_lf_) {
      seen_lf_ = true;
      line_diag(reply_diagnostic_id::bare_lf, at);
    }
    if (opts_.lf_ends_line) {
      end_line(at + 1);
      return;
    }
  }
  content(c, at);
}

void reply_parser::bare_cr(std::size_t at) {
  if (!seen_cr_) {
    seen_cr_ = true;
    line_diag(reply_diagnostic_id::bare_cr, at);
  }
  content('\r', at);
}

void reply_parser::content(unsigned char c, std::size_t at) {
  const std::size_t cap = opts_.max_line - 2;
  if (line_len_ < cap) {
    line_.push_back(static_cast<char>(c));
  } else if (!seen_long_) {
    seen_long_ = true;
    line_diag(reply_diagnostic_id::line_too_long, line_start_ + cap);
  }
  ++line_len_;
  if (((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f) && !seen_control_) {
    seen_control_ = true;
    line_diag(reply_diagnostic_id::control_character, at);
  }
  if (c >= 0x80 && !seen_8bit_) {
    seen_8bit_ = true;
    line_diag(reply_diagnostic_id::eight_bit_text, at);
  }
}

void reply_parser::line_diag(reply_diagnostic_id id, std::size_t offset) { line_diags_.push_back({id, offset}); }

void reply_parser::reply_diag(reply_diagnostic_id id, std::size_t offset) {
  auto& d = cur_.diagnostics;
  if (d.size() < opts_.max_diagnostics) d.push_back({id, offset});
  else if (d.size() == opts_.max_diagnostics) d.push_back({reply_diagnostic_id::too_many_diagnostics, offset});
}

void reply_parser::end_line(std::size_t next_start) {
  if (!in_reply_) {
    cur_ = reply{};
    cur_.offset = line_start_;
    first_enhanced_.reset();
    enhanced_consistent_ = true;
    dropped_lines_ = false;
  }
  const std::string_view s = line_;
  const std::size_t at = line_start_;

  // §4.2 Reply-code = %x32-35 %x30-35 %x30-39, then "-", SP or the line end. A line continues
  // the reply exactly when its fourth octet is "-".
  const bool continuation = s.size() > 3 && s[3] == '-';
  std::optional<int> code;
  std::size_t text_from = 0;
  if (digit(s, 0) && digit(s, 1) && digit(s, 2) && !digit(s, 3)) {
    code = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    if (s[0] < '2' || s[0] > '5' || s[1] > '5') line_diag(reply_diagnostic_id::reply_code_out_of_range, at);
    if (s.size() == 3 || s[3] == ' ' || s[3] == '-') {
      text_from = std::min<std::size_t>(4, s.size());
    } else {
      line_diag(reply_diagnostic_id::missing_separator, at + 3);
      text_from = 3;
    }
  } else {
    std::size_t bad = 0;
    while (bad < 3 && digit(s, bad)) ++bad;
    line_diag(reply_diagnostic_id::reply_code_syntax, at + bad);
  }
  const std::string_view text = s.substr(text_from);
  if (code && !continuation && text.empty() && line_len_ <= text_from)
    line_diag(reply_diagnostic_id::code_without_text, at);

  std::optional<enhanced_status> enhanced;
  if (code) {
    const auto found = find_status(text);
    enhanced = found.status;
    if (found.near_miss) line_diag(reply_diagnostic_id::enhanced_status_syntax, at + text_from);
    if (enhanced) {
      if (found.length == text.size() && line_len_ <= text_from + found.length)
        line_diag(reply_diagnostic_id::enhanced_status_without_space, at + text_from + found.length);
      if (static_cast<int>(enhanced->cls) != *code / 100)
        line_diag(reply_diagnostic_id::enhanced_status_class_mismatch, at + text_from);
    }
  }

  if (cur_.line_count == 0) {
    cur_.code = code;
    first_enhanced_ = enhanced;
  } else {
    if (code && cur_.code && *code != *cur_.code) line_diag(reply_diagnostic_id::mixed_reply_codes, at);
    if (enhanced_consistent_ && enhanced != first_enhanced_) {
      enhanced_consistent_ = false;
      line_diag(reply_diagnostic_id::enhanced_status_inconsistent, at + text_from);
    }
  }
  if (cur_.lines.size() < opts_.max_lines) {
    cur_.lines.push_back({at, std::string(text)});
  } else if (!dropped_lines_) {
    dropped_lines_ = true;
    line_diag(reply_diagnostic_id::too_many_lines, at);
  }
  ++cur_.line_count;

  // Diagnostics in offset order (scanning found some before the line's code was read).
  std::stable_sort(line_diags_.begin(), line_diags_.end(),
                   [](const reply_diagnostic& a, const reply_diagnostic& b) { return a.offset < b.offset; });
  for (const auto& d : line_diags_) reply_diag(d.id, d.offset);
  line_diags_.clear();

  line_.clear();
  line_len_ = 0;
  seen_control_ = seen_8bit_ = seen_long_ = seen_cr_ = seen_lf_ = false;
  line_start_ = next_start;
  if (continuation) in_reply_ = true;
  else complete_reply(next_start);
}

void reply_parser::complete_reply(std::size_t end) {
  cur_.length = end - cur_.offset;
  if (enhanced_consistent_) cur_.enhanced = first_enhanced_;
  ready_.push_back(std::move(cur_));
  cur_ = reply{};
  in_reply_ = false;
}

void reply_parser::finish() {
  if (finished_) return;
  finished_ = true;
  const std::size_t at = pos_;
  if (cr_pending_) {
    cr_pending_ = false;
    bare_cr(at - 1);
  }
  if (line_len_ > 0 || !line_diags_.empty()) {
    line_diag(reply_diagnostic_id::unterminated_line, at);
    end_line(at);
  }
  if (in_reply_) {
    reply_diag(reply_diagnostic_id::unterminated_reply, at);
    complete_reply(at);
  }
}

std::optional<reply> reply_parser::next() {
  if (ready_.empty()) return std::nullopt;
  reply r = std::move(ready_.front());
  ready_.pop_front();
  return r;
}

std::vector<reply> reply_parser::take() {
  std::vector<reply> out(std::make_move_iterator(ready_.begin()), std::make_move_iterator(ready_.end()));
  ready_.clear();
  return out;
}

std::vector<reply> parse_replies(std::string_view stream, const reply_parse_options& options) {
  reply_parser p(options);
  p.feed(stream);
  p.finish();
  return p.take();
}

// ---- EHLO -------------------------------------------------------------------------------------

namespace {
bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 32);
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 32);
    if (x != y) return false;
  }
  return true;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}
}  // namespace

const ehlo_keyword* ehlo_reply::find(std::string_view keyword) const noexcept {
  for (const auto& k : keywords)
    if (iequal(k.keyword, keyword)) return &k;
  return nullptr;
}

result<ehlo_reply> parse_ehlo_reply(const reply& r) {
  if (!r.code || *r.code != 250 || r.lines.empty()) {
    error e;
    e.code = error_code::invalid_ehlo_reply;
    e.offset = r.offset;
    e.expected = "reply code 250";
    e.rfc = info(e.code).rfc;
    e.reply = info(e.code).reply;
    return e;
  }
  ehlo_reply v;
  const std::string_view first = r.lines[0].text;
  const std::size_t sp = first.find(' ');
  v.domain = std::string(first.substr(0, sp));
  if (sp != std::string_view::npos && sp + 1 < first.size()) v.greeting = std::string(first.substr(sp + 1));
  // ehlo-ok-rsp names Domain; address literals are what hosts without a name send (§4.1.3).
  if (!parse_domain(std::string_view(v.domain)).ok())
    v.diagnostics.push_back({reply_diagnostic_id::ehlo_domain_syntax, r.lines[0].offset});
  for (std::size_t i = 1; i < r.lines.size(); ++i) {
    const std::string_view text = r.lines[i].text;
    pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::crlf> in(text.data(), text.size(), "");
    const bool line_ok = pegtl::parse<pegtl::seq<grammar::rfc5321::ehlo_line, pegtl::eof>>(in);
    if (!line_ok) v.diagnostics.push_back({reply_diagnostic_id::ehlo_keyword_syntax, r.lines[i].offset});
    auto w = words(text);
    if (w.empty()) continue;
    ehlo_keyword k;
    k.keyword = std::move(w[0]);
    k.params.assign(std::make_move_iterator(w.begin() + 1), std::make_move_iterator(w.end()));
    if (v.find(k.keyword) != nullptr) v.diagnostics.push_back({reply_diagnostic_id::ehlo_duplicate_keyword, r.lines[i].offset});
    detail::check_ehlo_keyword(k, line_ok, r.lines[i].offset, v.diagnostics);
    v.keywords.push_back(std::move(k));
  }
  return v;
}

extension_set ehlo_reply::extensions() const noexcept {
  extension_set set = extension_set::none();
  for (const auto& k : keywords)
    if (k.extension) set.add(*k.extension);
  return set;
}

}  // namespace smtpspec
