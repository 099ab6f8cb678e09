// smtpspec lint engine: a small conversation model over transcript events. Server octets go through
// reply_parser (its diagnostics become REPLY-*/ESC-*/LINE-*/LEN-* findings), client lines through
// parse_command with the extensions the EHLO reply advertised (its errors become SYN-*/PARAM-*/LEN-*),
// message content through data_reader (bare CR/LF, smuggled end of data, long lines). Commands are
// paired with replies in order (RFC 2920 §3.2: a server answers in order) to check sequencing.
#include "smtpspec/lint.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>

#include "smtpspec/command.hpp"
#include "smtpspec/enhanced_status.hpp"
#include "smtpspec/reply.hpp"
#include "smtpspec/session.hpp"

namespace smtpspec::lint {

namespace {

constexpr rule_info rules[] = {
#define SMTPSPEC_LINT_RULE(ident, id, rfc, section, lvl, sd, quote, summary) \
  {rule_id::ident, id, rfc, section, severity::lvl, side::sd, quote, summary},
#include "smtpspec/catalogue/lint_rules.inc"
#undef SMTPSPEC_LINT_RULE
};
constexpr std::size_t rule_count = sizeof(rules) / sizeof(rules[0]);

// The rules this engine checks (decided or "cannot decide"); the others are listed in
// conformance/lint/STATUS.md.
constexpr rule_id implemented_rules[] = {
    rule_id::reply_code_syntax, rule_id::reply_separator, rule_id::reply_multiline_same_code,
    rule_id::reply_text_empty_sp, rule_id::reply_text_chars, rule_id::reply_unsolicited,
    rule_id::reply_missing, rule_id::reply_code_allowed, rule_id::reply_after_data_one,
    rule_id::esc_syntax, rule_id::esc_class_match, rule_id::esc_missing, rule_id::esc_unadvertised,
    rule_id::esc_multiline_same, rule_id::esc_known,
    rule_id::line_crlf, rule_id::line_bare_cr, rule_id::line_bare_lf, rule_id::line_nul,
    rule_id::len_cmd_line, rule_id::len_reply_line, rule_id::len_text_line, rule_id::len_local_part,
    rule_id::len_domain, rule_id::len_path, rule_id::len_auth_response,
    rule_id::syn_verb, rule_id::syn_no_args, rule_id::syn_mail_path, rule_id::syn_rcpt_path,
    rule_id::syn_addr_literal, rule_id::syn_ehlo_arg, rule_id::syn_param_syntax,
    rule_id::param_unadvertised, rule_id::param_duplicate, rule_id::ehlo_keyword_syntax,
    rule_id::seq_early_talker, rule_id::seq_helo_before_mail, rule_id::seq_mail_nested,
    rule_id::seq_rcpt_before_mail, rule_id::seq_data_no_rcpt, rule_id::seq_data_without_354,
    rule_id::seq_rset_250, rule_id::seq_noop_250,
    rule_id::data_eod,
    rule_id::pipe_unadvertised, rule_id::pipe_ehlo_last, rule_id::pipe_data_last, rule_id::pipe_ext_last,
    rule_id::bdat_unadvertised, rule_id::bdat_size_syntax, rule_id::bdat_mix_data, rule_id::bdat_after_last,
    rule_id::tls_unadvertised, rule_id::tls_injection_client, rule_id::tls_starttls_twice,
    rule_id::auth_unadvertised, rule_id::auth_in_transaction, rule_id::auth_base64,
    rule_id::size_syntax, rule_id::utf8_undeclared, rule_id::utf8_ehlo_alabel,
    rule_id::dsn_notify_never, rule_id::dsn_ret_syntax, rule_id::dsn_envid_xtext, rule_id::dsn_orcpt_syntax,
    rule_id::body_value, rule_id::tls_no_readvertise, rule_id::tls_reset_state, rule_id::auth_twice,
    rule_id::auth_cancel, rule_id::auth_mech_504, rule_id::auth_334_base64, rule_id::size_declared_too_big,
    rule_id::utf8_unadvertised, rule_id::seq_vrfy_expn, rule_id::ext_after_helo,
    rule_id::rule_8bit_undeclared, rule_id::rcpt_limit_100, rule_id::rcpt_postmaster,
    rule_id::seq_greeting_first,
};

constexpr std::array<bool, rule_count> implemented_table = [] {
  std::array<bool, rule_count> t{};
  for (auto r : implemented_rules) t[static_cast<std::size_t>(r)] = true;
  return t;
}();

bool iequal(std::string_view a, std::string_view b) noexcept;
// A MAIL line with an SMTPUTF8 parameter (" SMTPUTF8" as a word).
bool mentions_smtputf8(std::string_view line) noexcept {
  if (line.size() < 4 || !iequal(line.substr(0, 4), "MAIL")) return false;
  for (std::size_t i = 0; i + 9 <= line.size(); ++i) {
    if (line[i] != ' ' || !iequal(line.substr(i + 1, 8), "SMTPUTF8")) continue;
    const auto end = i + 9;
    if (end == line.size() || line[end] == ' ' || line[end] == '\r' || line[end] == '\n') return true;
  }
  return false;
}

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// "ESC-*" matches every id starting with "ESC-"; otherwise the whole id, case-insensitively.
bool matches(std::string_view pattern, std::string_view id) noexcept {
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    return id.size() >= pattern.size() && iequal(id.substr(0, pattern.size()), pattern);
  }
  return iequal(pattern, id);
}

}  // namespace

std::string_view to_string(side s) noexcept {
  switch (s) {
    case side::client: return "client";
    case side::server: return "server";
    case side::either: return "either";
  }
  return "either";
}
std::string_view to_string(finding_kind k) noexcept {
  return k == finding_kind::decided ? "decided" : "undecidable";
}
std::span<const rule_info> rule_catalogue() noexcept { return rules; }
const rule_info& info(rule_id r) noexcept {
  const auto i = static_cast<std::size_t>(r);
  return rules[i < rule_count ? i : 0];
}
std::string_view to_string(rule_id r) noexcept { return info(r).name; }
std::optional<rule_id> rule_from_name(std::string_view name) noexcept {
  for (const auto& r : rules)
    if (iequal(r.name, name)) return r.id;
  return std::nullopt;
}
bool implemented(rule_id r) noexcept {
  const auto i = static_cast<std::size_t>(r);
  return i < rule_count && implemented_table[i];
}
std::string help_uri(const rule_info& r) {
  // "RFC 5321" + "§4.5.3.1.4" -> https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.4
  std::string out = "https://www.rfc-editor.org/rfc/rfc";
  for (char c : r.rfc)
    if (c >= '0' && c <= '9') out.push_back(c);
  std::string_view sec = r.section;
  if (sec.starts_with("§")) sec.remove_prefix(std::string_view("§").size());
  if (!sec.empty()) {
    out += "#section-";
    out += sec;
  }
  return out;
}

bool lint_options::enabled(rule_id r) const noexcept {
  const auto name = info(r).name;
  const auto match = [&](const std::string& p) { return matches(p, name); };
  if (!select.empty() && std::none_of(select.begin(), select.end(), match)) return false;
  return std::none_of(ignore.begin(), ignore.end(), match);
}

std::size_t report::undecidable_total() const noexcept {
  std::size_t n = 0;
  for (auto u : undecidable) n += u;
  return n;
}

std::string escape_octets(std::string_view s, std::size_t max) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  const std::size_t n = std::min(s.size(), max);
  out.reserve(n + 8);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\\': out += "\\\\"; break;
      default:
        if (c < 0x20 || c >= 0x7f) {
          out += "\\x";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

// ---- The engine -----------------------------------------------------------------------------------

namespace {

// Where a stream's octets came from: the event (source line/offset) that carried them.
struct segment {
  std::uint64_t start = 0;  // stream offset of the event's first octet
  std::size_t line = 0, offset = 0;
  bool exact = false;
};

struct location {
  std::size_t line = 0, offset = 0, event_offset = 0;
  bool exact = false;
  bool server = false;  // the octets are the server's (decides the side of an "either" rule)
};

// A stream (one direction of one connection) mapped back to its events. Segments before the oldest
// offset still needed are dropped, so memory follows the octets in flight, not the whole stream.
struct stream_map {
  std::deque<segment> segs;
  std::uint64_t pos = 0;
  bool server = false;
  static constexpr std::size_t max_segments = 4096;
  bool folded_inexact = false;  // a segment dropped to bound memory was not exact
  void add(const transcript::event& e) {
    if (segs.size() >= max_segments) {
      // A line or reply spread over very many events: keep its first event for the location and
      // remember only whether the dropped ones were exact.
      folded_inexact = folded_inexact || !segs[1].exact;
      segs.erase(segs.begin() + 1);
    }
    segs.push_back({pos, e.line, e.offset, e.exact});
    pos += e.octets.size();
  }
  location at(std::uint64_t off) const {
    location l;
    for (auto it = segs.rbegin(); it != segs.rend(); ++it) {
      if (it->start <= off) {
        l = {it->line, it->offset, static_cast<std::size_t>(off - it->start), it->exact, server};
        return l;
      }
    }
    if (!segs.empty()) l = {segs.front().line, segs.front().offset, 0, segs.front().exact, server};
    l.server = server;
    return l;
  }
  // Whether every octet in [from, to) came from exact events.
  bool exact(std::uint64_t from, std::uint64_t to) const {
    bool all = !folded_inexact;
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const auto begin = segs[i].start;
      const auto end = i + 1 < segs.size() ? segs[i + 1].start : pos;
      if (end <= from || begin >= to) continue;
      all = all && segs[i].exact;
    }
    return all;
  }
  void drop_before(std::uint64_t off) {
    while (segs.size() > 1 && segs[1].start <= off) {
      segs.pop_front();
      folded_inexact = false;
    }
  }
};

// A bounded copy of a stream's recent octets, for excerpts.
struct window {
  static constexpr std::size_t cap = 1 << 16;
  std::string buf;
  std::uint64_t base = 0;
  void add(std::string_view s) {
    buf.append(s);
    if (buf.size() > 2 * cap) {
      const auto cut = buf.size() - cap;
      buf.erase(0, cut);
      base += cut;
    }
  }
  std::string_view from(std::uint64_t off, std::size_t n) const {
    if (off < base || off - base >= buf.size()) return {};
    const auto i = static_cast<std::size_t>(off - base);
    return std::string_view(buf).substr(i, n);
  }
  // The line starting at or containing `off`, up to and including its LF.
  std::string_view line_at(std::uint64_t off) const {
    auto s = from(off, 200);
    const auto lf = s.find('\n');
    return lf == std::string_view::npos ? s : s.substr(0, lf + 1);
  }
};

enum class kind : std::uint8_t { command, data_end, bdat };

struct pending {
  kind k = kind::command;
  std::optional<verb> v;
  std::uint64_t stream_off = 0;  // client stream offset of the command
  std::size_t expected = 1;      // replies (LMTP: one per accepted RCPT after the data)
  bool rset_plain = false;       // RSET / NOOP without argument (for SEQ-RSET-250)
  bool last = false;             // BDAT LAST
  std::uint64_t size_param = 0;  // MAIL SIZE=
  bool client_fault = false;     // a sequencing finding was already the client's
  bool cancel = false;           // the SASL exchange was cancelled with "*"
  bool unsupported_mech = false; // AUTH with a mechanism the EHLO reply did not list
  bool authed_before = false;    // AUTH sent after a successful AUTH
  bool postmaster = false;       // RCPT TO:<Postmaster> (no domain)
};

// base64 (RFC 4648 §4), possibly empty: what AUTH's 334 challenges and responses carry (RFC 4954 §4).
bool is_base64(std::string_view t) noexcept {
  if (t.size() % 4 != 0) return false;
  std::size_t pad = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (c == '=') {
      ++pad;
      if (i + 2 < t.size()) return false;
    } else if (pad > 0 || !(std::isalnum(c) || c == '+' || c == '/')) {
      return false;
    }
  }
  return true;
}

enum class cmode : std::uint8_t { commands, await_354, data, bdat, sasl };

constexpr std::size_t max_client_line = 1 << 16;  // longer lines are cut (their length is counted)

}  // namespace

struct linter::impl {
  lint_options opts;
  std::optional<transcript::format> fmt;
  report rep;
  std::array<bool, rule_count> on{};

  // ---- per connection ----
  reply_parser rp{reply_parse_options{512, 1000, 64, true}};
  stream_map smap, cmap;
  window swin, cwin;
  bool any_event = false, any_server = false, greeted = false, greeting_seen = false;
  bool client_first = false, any_reply = false;
  bool at_connect = false;  // a connect event started this connection: its first octets are here
  bool tx_8bit = false, content_8bit_seen = false;  // BODY=8BITMIME/BINARYMIME (or SMTPUTF8) on the MAIL
  location first_client;
  std::string first_client_octets;
  bool ehlo_known = false, helo_used = false, hello_sent = false;
  extension_set adv = extension_set::none();
  std::vector<std::string> mechanisms;  // the EHLO reply's AUTH list
  std::uint64_t size_limit = 0;         // the EHLO reply's SIZE (0: no fixed limit)
  bool tls_done = false;                // STARTTLS got 220 in this connection
  std::deque<pending> pend;
  bool after_data_end = false;  // the last reply answered an end of data
  // client view of the transaction (what it sent)
  bool mail_sent = false, tx_bdat = false, tx_last = false, tx_utf8 = false;
  std::size_t rcpt_sent = 0;
  // server view (what it accepted)
  bool mail_ok = false;
  std::size_t rcpt_ok = 0;
  bool tls = false, starttls_sent = false, authed = false;
  // client line assembly
  cmode mode = cmode::commands;
  std::string cline;
  std::size_t cline_len = 0;
  std::uint64_t cline_start = 0;
  bool cline_write_start = false;   // the line starts a write
  std::optional<verb> prev_in_write;  // the previous command of the current write
  bool prev_in_write_valid = false;
  data_reader dr{data_reader_options{newline_policy::accept, newline_policy::accept, 1000}};
  std::uint64_t data_start = 0;
  std::size_t data_diags_seen = 0;
  std::uint64_t bdat_left = 0;
  std::string sink;

  explicit impl(const lint_options& o, std::optional<transcript::format> f) : opts(o), fmt(f) {
    smap.server = true;
    rep.fmt = f;
    rep.per_rule.assign(rule_count, 0);
    rep.undecidable.assign(rule_count, 0);
    rep.ran.assign(rule_count, false);
    for (std::size_t i = 0; i < rule_count; ++i) {
      on[i] = implemented_table[i] && opts.enabled(static_cast<rule_id>(i));
      rep.ran[i] = on[i];
    }
  }

  const transcript::format_info* caps() const noexcept { return fmt ? &transcript::info(*fmt) : nullptr; }
  bool boundaries_known() const noexcept {
    const auto* c = caps();
    return c && (c->boundaries == transcript::boundaries_kept::known ||
                 c->boundaries == transcript::boundaries_kept::convention);
  }
  bool lines_kept() const noexcept {
    const auto* c = caps();
    // Chunks hold every line too (several per event); only formats that drop replies lose them.
    return !c || c->replies != transcript::replies_kept::absent;
  }

  void add(rule_id r, const location& l, std::string_view octets, std::string message = {}) {
    const auto i = static_cast<std::size_t>(r);
    if (!on[i]) return;
    rep.per_rule[i]++;
    rep.by_severity[static_cast<std::size_t>(info(r).level)]++;
    if (rep.findings.size() >= opts.max_findings) {
      rep.dropped++;
      return;
    }
    finding f;
    f.rule = r;
    f.at_fault = info(r).at_fault != side::either ? info(r).at_fault : l.server ? side::server : side::client;
    f.line = l.line;
    f.offset = l.offset;
    f.event_offset = l.event_offset;
    f.octets = escape_octets(octets);
    f.message = message.empty() ? std::string(info(r).summary) : std::move(message);
    rep.findings.push_back(std::move(f));
  }
  void cannot(rule_id r, const location& l, std::string_view octets) {
    const auto i = static_cast<std::size_t>(r);
    if (!on[i]) return;
    rep.undecidable[i]++;
    if (!opts.show_undecidable) return;
    if (rep.findings.size() >= opts.max_findings) {
      rep.dropped++;
      return;
    }
    finding f;
    f.rule = r;
    f.at_fault = info(r).at_fault != side::either ? info(r).at_fault : l.server ? side::server : side::client;
    f.kind = finding_kind::undecidable;
    f.line = l.line;
    f.offset = l.offset;
    f.event_offset = l.event_offset;
    f.octets = escape_octets(octets);
    f.message = "cannot decide: the transcript format does not keep what this rule needs";
    rep.findings.push_back(std::move(f));
  }
  // A finding that needs exact octets.
  void exact_or_cannot(bool exact, rule_id r, const location& l, std::string_view octets,
                       std::string m = {}) {
    if (exact) add(r, l, octets, std::move(m));
    else cannot(r, l, octets);
  }

  // ---- connections ----
  void reset_connection() {
    rp.reset();
    smap = {};
    smap.server = true;
    cmap = {};
    swin = {};
    cwin = {};
    any_event = any_server = greeted = greeting_seen = client_first = any_reply = at_connect = false;
    ehlo_known = helo_used = hello_sent = false;
    adv = extension_set::none();
    mechanisms.clear();
    size_limit = 0;
    tls_done = false;
    pend.clear();
    after_data_end = false;
    end_tx_client();
    mail_ok = false;
    rcpt_ok = 0;
    tls = starttls_sent = authed = false;
    mode = cmode::commands;
    cline.clear();
    cline_len = 0;
    cline_start = 0;
    prev_in_write_valid = false;
    dr.reset();
    bdat_left = 0;
  }
  void end_tx_client() {
    mail_sent = tx_bdat = tx_last = tx_utf8 = tx_8bit = false;
    rcpt_sent = 0;
  }

  void finish_connection() {
    if (!any_event) return;
    rp.finish();
    drain_replies();
    // A transcript ends like a connection cut off by its logger: a command still waiting is
    // "cannot decide" for REPLY-MISSING (rule-inputs.md: needs to know the transcript is complete).
    for (const auto& p : pend) {
      const auto l = cmap.at(p.stream_off);
      cannot(rule_id::reply_missing, l, cwin.line_at(p.stream_off));
    }
    if (mode == cmode::data) {
      // Ends inside the message: a cut-off log looks the same as a client that never ended it.
      cannot(rule_id::data_eod, cmap.at(cmap.pos > 0 ? cmap.pos - 1 : 0), {});
    }
    rep.connections++;
    reset_connection();
  }

  void feed(const transcript::event& e) {
    rep.events++;
    switch (e.dir) {
      case transcript::direction::connect:
        finish_connection();
        at_connect = true;
        return;
      case transcript::direction::note:
        return;
      case transcript::direction::tls_start:
        any_event = true;
        tls = true;
        return;
      case transcript::direction::server:
        any_event = true;
        server(e);
        return;
      case transcript::direction::client:
        any_event = true;
        client(e);
        return;
    }
  }

  // ---- server side ----
  void server(const transcript::event& e) {
    any_server = true;
    prev_in_write_valid = false;  // the client's next octets come after this reply: a new write
    if (mode == cmode::bdat && !e.exact) {
      // A line-oriented log cannot count chunk octets (placeholders stand for them): the server's
      // reply ends the chunk.
      bdat_left = 0;
      mode = cmode::commands;
    }
    smap.add(e);
    swin.add(e.octets);
    rp.feed(e.octets);
    drain_replies();
  }

  void drain_replies() {
    while (auto r = rp.next()) {
      on_reply(*r);
      smap.drop_before(r->offset + r->length);
    }
  }

  void reply_diagnostics(const reply& r) {
    for (const auto& d : r.diagnostics) {
      const auto l = smap.at(d.offset);
      const auto line = swin.line_at(d.offset);
      switch (d.id) {
        case reply_diagnostic_id::reply_code_syntax:
        case reply_diagnostic_id::reply_code_out_of_range:
          add(rule_id::reply_code_syntax, l, line);
          break;
        case reply_diagnostic_id::missing_separator:
          add(rule_id::reply_separator, l, line);
          break;
        case reply_diagnostic_id::mixed_reply_codes:
          add(rule_id::reply_multiline_same_code, l, line);
          break;
        case reply_diagnostic_id::enhanced_status_syntax:
          add(rule_id::esc_syntax, l, line);
          break;
        case reply_diagnostic_id::enhanced_status_class_mismatch:
          add(rule_id::esc_class_match, l, line);
          break;
        case reply_diagnostic_id::enhanced_status_inconsistent:
          add(rule_id::esc_multiline_same, l, line);
          break;
        case reply_diagnostic_id::line_too_long:
          exact_or_cannot(l.exact, rule_id::len_reply_line, l, line);
          break;
        case reply_diagnostic_id::bare_lf:
          exact_or_cannot(l.exact, rule_id::line_crlf, l, line);
          break;
        case reply_diagnostic_id::bare_cr:
          exact_or_cannot(l.exact, rule_id::line_bare_cr, l, line);
          break;
        case reply_diagnostic_id::control_character: {
          // The line's first control character tells NUL (LINE-NUL) from the others.
          bool nul = line.find('\0') != std::string_view::npos;
          exact_or_cannot(l.exact, nul ? rule_id::line_nul : rule_id::reply_text_chars, l, line);
          if (nul) exact_or_cannot(l.exact, rule_id::reply_text_chars, l, line);
          break;
        }
        case reply_diagnostic_id::eight_bit_text:
          // RFC 6531 §3.7.4: UTF-8 reply text is allowed once SMTPUTF8 is in use.
          if (!adv.has(extension::smtputf8)) exact_or_cannot(l.exact, rule_id::reply_text_chars, l, line);
          break;
        default:
          break;
      }
    }
    // "250 " CRLF: SP and no text (the parser reports code_without_text for "250" too).
    for (const auto& ln : r.lines) {
      if (!ln.text.empty()) continue;
      const auto raw = swin.from(ln.offset, 6);
      if (raw.size() >= 5 && raw[3] == ' ' && (raw[4] == '\r' || raw[4] == '\n')) {
        const auto l = smap.at(ln.offset);
        exact_or_cannot(l.exact, rule_id::reply_text_empty_sp, l, swin.line_at(ln.offset));
      }
    }
    if (!lines_kept()) {
      const auto l = smap.at(r.offset);
      cannot(rule_id::reply_multiline_same_code, l, {});
      cannot(rule_id::esc_multiline_same, l, {});
    }
  }

  void on_reply(const reply& r) {
    reply_diagnostics(r);
    const auto l = smap.at(r.offset);
    const auto octs = swin.line_at(r.offset);
    const int code = r.code.value_or(0);
    const int cls = code / 100;

    // ESC-KNOWN: any enhanced code not in the registry.
    if (r.enhanced && cls >= 2 && r.enhanced->cls == static_cast<unsigned>(cls) &&
        !lookup_enhanced_status(*r.enhanced))
      add(rule_id::esc_known, l, octs);

    // The client spoke first and the first reply is a greeting (not STARTTLS's 220): an early talker
    // (RFC 5321 §4.3.1). Only formats that keep the time order of both directions can tell.
    if (client_first && !any_reply && (code == 220 || code == 554) &&
        !(pend.size() == 1 && pend.front().v == verb::starttls)) {
      greeted = greeting_seen = any_reply = true;
      const auto* c = caps();
      if (c && c->boundaries != transcript::boundaries_kept::none)
        add(rule_id::seq_early_talker, first_client, first_client_octets);
      else
        cannot(rule_id::seq_early_talker, first_client, first_client_octets);
      return;
    }
    const bool any_reply_before = any_reply;
    any_reply = true;
    if (at_connect && !any_reply_before && code != 220 && code != 554 && !client_first)
      add(rule_id::seq_greeting_first, l, octs);
    if (!greeted && pend.empty() && !greeting_seen) {
      // The greeting (§4.3.2 CONNECTION ESTABLISHMENT: 220, 554, or 421); any other first reply
      // means the transcript starts mid-conversation, answering a command it does not show.
      greeted = true;
      greeting_seen = code == 220 || code == 554 || code == 421;
      return;
    }
    if (pend.empty()) {
      if (code == 421) return;  // a server may close with 421 at any time (§3.8)
      if (after_data_end) add(rule_id::reply_after_data_one, l, octs);
      else add(rule_id::reply_unsolicited, l, octs);
      return;
    }
    auto& p = pend.front();
    const bool was_data_end = p.k == kind::data_end;
    check_reply(p, r, l, octs, code, cls);
    if (--p.expected == 0 || code == 421) pend.pop_front();
    after_data_end = was_data_end;
  }

  void check_reply(const pending& p, const reply& r, const location& l, std::string_view octs, int code,
                   int cls) {
    std::optional<reply_stage> stage;
    if (p.k == kind::data_end) stage = reply_stage::data_end;
    else if (p.v) stage = reply_stage_for(*p.v);
    if (stage && code >= 200 && code < 600 && !is_listed_reply(*stage, code))
      add(rule_id::reply_code_allowed, l, octs,
          "reply code " + std::to_string(code) + " is not one RFC 5321 §4.3.2 lists for " +
              (p.k == kind::data_end ? std::string("the end of data") : std::string(to_string(*p.v))));
    const bool hello = p.v && (*p.v == verb::ehlo || *p.v == verb::helo || *p.v == verb::lhlo) &&
                       p.k == kind::command;
    // RFC 2034 §4: every 2xx/4xx/5xx line but the greeting's and HELO/EHLO's carries the code.
    if (ehlo_known && !hello && (cls == 2 || cls == 4 || cls == 5)) {
      if (adv.has(extension::enhancedstatuscodes)) {
        const auto esc_diag = [](const reply_diagnostic& d) {
          return d.id == reply_diagnostic_id::enhanced_status_inconsistent ||
                 d.id == reply_diagnostic_id::enhanced_status_syntax ||
                 d.id == reply_diagnostic_id::enhanced_status_class_mismatch;
        };
        if (!r.enhanced && std::none_of(r.diagnostics.begin(), r.diagnostics.end(), esc_diag))
          add(rule_id::esc_missing, l, octs);
      } else if (r.enhanced) {
        add(rule_id::esc_unadvertised, l, octs);
      }
    }
    if (p.k == kind::data_end) {
      mail_ok = false;
      rcpt_ok = 0;
      return;
    }
    if (p.k == kind::bdat) {
      if (p.last) {
        mail_ok = false;
        rcpt_ok = 0;
      }
      return;
    }
    if (!p.v) return;
    switch (*p.v) {
      case verb::ehlo:
      case verb::lhlo:
        if (code == 250) {
          auto e = parse_ehlo_reply(r);
          if (e.ok()) {
            adv = e->extensions();
            mechanisms.clear();
            size_limit = 0;
            if (const auto* k = e->find("AUTH")) mechanisms = k->mechanisms;
            if (const auto* k = e->find("SIZE")) size_limit = k->size.value_or(0);
            if (tls && adv.has(extension::starttls)) add(rule_id::tls_no_readvertise, l, octs);
            for (const auto& d : e->diagnostics)
              if (d.id == reply_diagnostic_id::ehlo_keyword_syntax)
                add(rule_id::ehlo_keyword_syntax, smap.at(d.offset), swin.line_at(d.offset));
          }
          ehlo_known = true;
          helo_used = false;
          mail_ok = false;
          rcpt_ok = 0;
        }
        break;
      case verb::helo:
        if (code == 250) {
          adv = extension_set::none();
          ehlo_known = true;
          helo_used = true;
          mail_ok = false;
          rcpt_ok = 0;
        }
        break;
      case verb::mail:
        if (cls == 2 && size_limit > 0 && p.size_param > size_limit)
          add(rule_id::size_declared_too_big, l, octs,
              "MAIL declared SIZE=" + std::to_string(p.size_param) + " above the advertised " +
                  std::to_string(size_limit) + " and was accepted");
        // RFC 3207 §4.2: after the handshake the client must send EHLO again; a server accepting MAIL
        // before that kept the pre-TLS state.
        if (cls == 2 && tls_done && !hello_sent) add(rule_id::tls_reset_state, l, octs);
        if (cls == 2) mail_ok = true;
        else if (!mail_ok) mail_sent = false;
        break;
      case verb::rcpt:
        if (p.postmaster && cls == 5) add(rule_id::rcpt_postmaster, l, octs);
        // "Too many recipients" (x.5.3, RFC 3463) before the 100th RCPT.
        if ((code == 452 || code == 552) && r.enhanced && r.enhanced->subject == 5 &&
            r.enhanced->detail == 3 && rcpt_ok < 100)
          add(rule_id::rcpt_limit_100, l, octs,
              "recipient refused as too many after " + std::to_string(rcpt_ok) +
                  " accepted (fewer than 100)");
        if (cls == 2) {
          if (!mail_ok && !p.client_fault && (greeting_seen || hello_sent))
            add(rule_id::seq_rcpt_before_mail, l, octs, "server accepted RCPT with no mail transaction open");
          rcpt_ok++;
        }
        break;
      case verb::data:
        if (code == 354) {
          if (rcpt_ok == 0 && rcpt_sent > 0)
            add(rule_id::seq_data_no_rcpt, l, octs, "server answered 354 to DATA with no recipient accepted");
          if (mode == cmode::await_354) {
            mode = cmode::data;
            start_data();
          }
        } else if (mode == cmode::await_354) {
          mode = cmode::commands;
          end_tx_client();
        } else if (mode == cmode::data) {
          // Content was sent before this refusal: the data reader keeps framing it (a server that
          // refused DATA reads it as commands; the early content is already SEQ-DATA-WITHOUT-354).
        }
        break;
      case verb::rset:
        if (code != 250 && code != 421 && p.rset_plain) add(rule_id::seq_rset_250, l, octs);
        if (code == 250) {
          mail_ok = false;
          rcpt_ok = 0;
        }
        break;
      case verb::noop:
        if (code != 250 && code != 421 && p.rset_plain) add(rule_id::seq_noop_250, l, octs);
        break;
      case verb::vrfy:
      case verb::expn:
        if (code == 500) add(rule_id::seq_vrfy_expn, l, octs);  // 500 claims the verb is unknown
        break;
      case verb::starttls:
        if (code == 220) {
          // RFC 3207 §4.2: the session starts over once TLS is up.
          ehlo_known = false;
          tls_done = true;
          adv = extension_set::none();
          mail_ok = false;
          rcpt_ok = 0;
          hello_sent = false;
        } else {
          starttls_sent = false;
        }
        break;
      case verb::auth:
        if (p.authed_before && code != 503 && code != 421) add(rule_id::auth_twice, l, octs);
        if (p.unsupported_mech && code != 504 && code != 421 && !p.authed_before)
          add(rule_id::auth_mech_504, l, octs);
        if (p.cancel && code != 501 && code != 421) add(rule_id::auth_cancel, l, octs);
        if (code == 334) {
          std::string_view text = r.lines.empty() ? std::string_view{} : std::string_view(r.lines[0].text);
          if (!is_base64(text)) add(rule_id::auth_334_base64, l, octs);
          mode = cmode::sasl;
          pending next{kind::command, verb::auth, p.stream_off, 1};
          next.authed_before = p.authed_before;
          pend.push_back(next);
        } else {
          if (mode == cmode::sasl) mode = cmode::commands;
          if (code == 235) authed = true;
        }
        break;
      default:
        break;
    }
  }

  // ---- client side ----
  void client(const transcript::event& e) {
    if (!any_server && cmap.pos == 0) {
      first_client = {e.line, e.offset, 0, e.exact};
      first_client_octets = e.octets.substr(0, 120);
      client_first = true;
    }
    if (!any_server) greeted = true;  // the transcript starts after the greeting
    const bool write_start = e.before == transcript::boundary::write;
    if (write_start) prev_in_write_valid = false;
    cmap.add(e);
    cwin.add(e.octets);
    std::string_view s = e.octets;
    std::uint64_t pos = cmap.pos - s.size();
    bool first = true;
    while (!s.empty()) {
      std::size_t used = 0;
      switch (mode) {
        case cmode::await_354:
          // RFC 2920 §3.1: DATA ends a pipelined group; content in the same write did not wait.
          if (prev_in_write_valid && prev_in_write == verb::data) {
            if (boundaries_known()) add(rule_id::pipe_data_last, cmap.at(pos), cwin.line_at(pos));
            else cannot(rule_id::pipe_data_last, cmap.at(pos), cwin.line_at(pos));
          }
          if (boundaries_known())
            add(rule_id::seq_data_without_354, cmap.at(pos), cwin.line_at(pos),
                "message content sent before the server's 354 reply to DATA");
          else
            cannot(rule_id::seq_data_without_354, cmap.at(pos), cwin.line_at(pos));
          mode = cmode::data;
          start_data();
          continue;
        case cmode::data:
          used = feed_data(s, pos);
          break;
        case cmode::bdat: {
          used = static_cast<std::size_t>(std::min<std::uint64_t>(bdat_left, s.size()));
          bdat_left -= used;
          cmap.drop_before(pos + used);
          if (bdat_left == 0) mode = cmode::commands;
          break;
        }
        case cmode::commands:
        case cmode::sasl:
          used = feed_line(s, pos, first && write_start);
          break;
      }
      s.remove_prefix(used);
      pos += used;
      first = false;
    }
  }

  std::size_t feed_line(std::string_view s, std::uint64_t pos, bool write_start) {
    if (cline_len == 0) {
      cline_start = pos;
      cline_write_start = write_start;
    }
    const auto lf = s.find('\n');
    const std::size_t take = lf == std::string_view::npos ? s.size() : lf + 1;
    const auto part = s.substr(0, take);
    if (cline.size() < max_client_line) cline.append(part.substr(0, max_client_line - cline.size()));
    cline_len += take;
    if (lf != std::string_view::npos) {
      on_client_line();
      cline.clear();
      cline_len = 0;
      cmap.drop_before(pos + take);
    }
    return take;
  }

  void start_data() {
    dr.reset();
    data_diags_seen = 0;
    data_start_set = false;
  }
  bool data_start_set = false;

  std::size_t feed_data(std::string_view s, std::uint64_t pos) {
    if (!data_start_set) {
      data_start = pos;
      data_start_set = true;
      content_8bit_seen = false;
    }
    const auto step = dr.feed(s, sink);
    if (!content_8bit_seen && !tx_8bit && !tx_utf8) {
      // RFC 5321 §2.4: 8-bit content needs BODY=8BITMIME (SMTPUTF8 implies it, RFC 6531 §3.1).
      const auto body = s.substr(0, step.consumed);
      const auto high = [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; };
      const auto it = std::find_if(body.begin(), body.end(), high);
      if (it != body.end()) {
        content_8bit_seen = true;
        const auto at = pos + static_cast<std::uint64_t>(it - body.begin());
        add(rule_id::rule_8bit_undeclared, cmap.at(at), cwin.line_at(at > 20 ? at - 20 : at).substr(0, 60));
      }
    }
    sink.clear();
    const auto& diags = dr.diagnostics();
    for (; data_diags_seen < diags.size(); ++data_diags_seen) {
      const auto [id, off] = diags[data_diags_seen];
      const auto at = data_start + off;
      const auto l = cmap.at(at);
      const auto excerpt = cwin.from(at > 0 ? at - std::min<std::uint64_t>(at - data_start, 1) : at, 40);
      switch (id) {
        case session_diagnostic_id::bare_lf_in_data:
          exact_or_cannot(l.exact, rule_id::line_bare_lf, l, excerpt);
          break;
        case session_diagnostic_id::bare_cr_in_data:
          exact_or_cannot(l.exact, rule_id::line_bare_cr, l, excerpt);
          break;
        case session_diagnostic_id::smuggled_end_of_data:
          exact_or_cannot(l.exact, rule_id::data_eod, l, excerpt,
                          "a line \".\" not framed by CRLF on both sides: an end of data other servers may "
                          "accept (SMTP smuggling)");
          break;
        case session_diagnostic_id::data_line_too_long:
          exact_or_cannot(l.exact, rule_id::len_text_line, l, excerpt);
          break;
        default:
          break;
      }
    }
    if (step.done) {
      const auto end = pos + step.consumed;
      pending p;
      p.k = kind::data_end;
      p.stream_off = end >= 3 ? end - 3 : end;
      p.expected = opts.lmtp ? std::max<std::size_t>(rcpt_ok, 1) : 1;
      push_pending(p);
      mode = cmode::commands;
      end_tx_client();
      prev_in_write_valid = false;
      cmap.drop_before(end);
    } else {
      cmap.drop_before(pos);
    }
    return step.consumed;
  }

  void sasl_line() {
    const auto l = cmap.at(cline_start);
    std::string_view t = cline;
    if (t.ends_with("\r\n")) t.remove_suffix(2);
    else if (t.ends_with("\n")) t.remove_suffix(1);
    if (cline_len > 12288) {
      add(rule_id::len_auth_response, l, cline);
    }
    if (t == "*") {  // cancelled (RFC 4954 §4): the server answers 501
      if (!pend.empty() && pend.back().v == verb::auth) pend.back().cancel = true;
      return;
    }
    if (!is_base64(t)) add(rule_id::auth_base64, l, cline, "SASL response is not base64 (RFC 4648 §4)");
  }

  // The parameter keyword the error points into: the SP-delimited token holding `at`.
  static std::string_view param_key(std::string_view line, std::size_t at) {
    const auto head = line.substr(0, std::min(at + 1, line.size()));
    auto sp = head.rfind(' ');
    auto tok = sp == std::string_view::npos ? head : line.substr(sp + 1);
    const auto end = tok.find_first_of("= \r\n");
    return tok.substr(0, end);
  }
  rule_id param_rule(std::string_view line, std::size_t at) const {
    const auto key = param_key(line, at);
    if (iequal(key, "RET")) return rule_id::dsn_ret_syntax;
    if (iequal(key, "ENVID")) return rule_id::dsn_envid_xtext;
    if (iequal(key, "ORCPT")) return rule_id::dsn_orcpt_syntax;
    if (iequal(key, "NOTIFY")) return rule_id::dsn_notify_never;
    if (iequal(key, "SIZE")) return rule_id::size_syntax;
    if (iequal(key, "BODY")) return rule_id::body_value;
    return rule_id::syn_param_syntax;
  }

  void command_error(const struct error& err, std::optional<verb> v, const location& l,
                     std::string_view line) {
    const bool ex = l.exact;
    switch (err.code) {
      case error_code::unrecognized_command: add(rule_id::syn_verb, l, line); return;
      case error_code::unexpected_argument: add(rule_id::syn_no_args, l, line); return;
      case error_code::line_too_long: exact_or_cannot(ex, rule_id::len_cmd_line, l, line); return;
      case error_code::local_part_too_long: add(rule_id::len_local_part, l, line); return;
      case error_code::domain_too_long: add(rule_id::len_domain, l, line); return;
      case error_code::path_too_long: add(rule_id::len_path, l, line); return;
      case error_code::snum_out_of_range:
      case error_code::ipv6_too_many_groups:
      case error_code::invalid_ipv6_literal:
      case error_code::unregistered_address_literal_tag:
        add(rule_id::syn_addr_literal, l, line);
        return;
      case error_code::bare_cr: exact_or_cannot(ex, rule_id::line_bare_cr, l, line); return;
      case error_code::bare_lf: exact_or_cannot(ex, rule_id::line_crlf, l, line); return;
      case error_code::nul_octet: exact_or_cannot(ex, rule_id::line_nul, l, line); return;
      case error_code::non_ascii:
        if (v == verb::ehlo || v == verb::helo || v == verb::lhlo) add(rule_id::utf8_ehlo_alabel, l, line);
        else add(rule_id::utf8_undeclared, l, line);
        return;
      case error_code::duplicate_parameter: add(rule_id::param_duplicate, l, line); return;
      case error_code::unknown_parameter:
      case error_code::extension_not_enabled:
        if (helo_used) add(rule_id::ext_after_helo, l, line);
        else if (iequal(param_key(line, err.offset), "SMTPUTF8")) add(rule_id::utf8_unadvertised, l, line);
        else add(rule_id::param_unadvertised, l, line);
        return;
      case error_code::notify_never_with_others: add(rule_id::dsn_notify_never, l, line); return;
      case error_code::size_out_of_range: add(rule_id::size_syntax, l, line); return;
      case error_code::chunk_size_overflow: add(rule_id::bdat_size_syntax, l, line); return;
      case error_code::invalid_parameter:
      case error_code::invalid_parameter_value:
      case error_code::parameter_value_required:
      case error_code::parameter_value_forbidden:
        add(param_rule(line, err.offset), l, line);
        return;
      default:
        break;
    }
    if (!v) {
      add(rule_id::syn_verb, l, line);
      return;
    }
    switch (*v) {
      case verb::mail: add(rule_id::syn_mail_path, l, line); return;
      case verb::rcpt: add(rule_id::syn_rcpt_path, l, line); return;
      case verb::ehlo:
      case verb::helo:
      case verb::lhlo: add(rule_id::syn_ehlo_arg, l, line); return;
      case verb::bdat: add(rule_id::bdat_size_syntax, l, line); return;
      case verb::rset:
      case verb::data:
      case verb::quit:
      case verb::starttls: add(rule_id::syn_no_args, l, line); return;
      default: add(rule_id::syn_verb, l, line); return;
    }
  }

  void on_client_line() {
    const auto l = cmap.at(cline_start);
    const bool ex = cmap.exact(cline_start, cline_start + cline_len);
    location lx = l;
    lx.exact = ex;
    if (mode == cmode::sasl) {
      sasl_line();
      return;
    }
    parse_options po;
    po.extensions = ehlo_known ? adv : extension_set::all();
    // Non-ASCII is allowed only in a transaction whose MAIL carries SMTPUTF8 (RFC 6531 §3.4).
    po.smtputf8 = tx_utf8 || mentions_smtputf8(cline);
    std::string_view line = cline;
    if (cline_len > cline.size()) {
      exact_or_cannot(ex, rule_id::len_cmd_line, lx, line);
      return;
    }
    auto r = parse_command(line, po);
    const auto v = command_verb(r);
    // Pipelining: a command in the same write as the previous one.
    if (!cline_write_start && prev_in_write_valid) pipelined(prev_in_write, lx, line);
    prev_in_write = v;
    prev_in_write_valid = true;
    if (!r.ok()) {
      command_error(r.error(), v, lx, line);
      if (v) track(*v, nullptr, lx, line);
      else push_pending({kind::command, std::nullopt, cline_start, 1});
      return;
    }
    track(r->verb, &*r, lx, line);
  }

  void pipelined(std::optional<verb> prev, const location& l, std::string_view line) {
    if (!boundaries_known()) {
      cannot(rule_id::pipe_unadvertised, l, line);
      return;
    }
    if (ehlo_known && !adv.has(extension::pipelining)) add(rule_id::pipe_unadvertised, l, line);
    if (!prev) return;
    switch (*prev) {
      case verb::data: add(rule_id::pipe_data_last, l, line); break;
      case verb::ehlo:
      case verb::helo:
      case verb::lhlo:
      case verb::vrfy:
      case verb::expn:
      case verb::quit:
      case verb::noop: add(rule_id::pipe_ehlo_last, l, line); break;
      case verb::starttls:
        add(rule_id::tls_injection_client, l, line);
        break;
      case verb::auth: add(rule_id::pipe_ext_last, l, line); break;
      default: break;
    }
  }

  void track(verb v, const command* c, const location& l, std::string_view line) {
    pending p{kind::command, v, cline_start, 1};
    switch (v) {
      case verb::ehlo:
      case verb::helo:
      case verb::lhlo:
        hello_sent = true;
        end_tx_client();
        break;
      case verb::mail:
        if (!hello_sent && greeting_seen) add(rule_id::seq_helo_before_mail, l, line);
        if (mail_sent) add(rule_id::seq_mail_nested, l, line);
        end_tx_client();
        mail_sent = true;
        if (c)
          for (const auto& prm : c->params) {
            if (iequal(prm.keyword, "SIZE")) p.size_param = prm.number;
            if (iequal(prm.keyword, "SMTPUTF8")) tx_utf8 = true;
            if (iequal(prm.keyword, "BODY") && !iequal(prm.value, "7BIT")) tx_8bit = true;
          }
        break;
      case verb::rcpt:
        // Only when the transcript shows the session's start (else the MAIL may be before it).
        if (!mail_sent && (greeting_seen || hello_sent)) {
          add(rule_id::seq_rcpt_before_mail, l, line);
          p.client_fault = true;
        }
        rcpt_sent++;
        if (c && line.size() >= 20 && iequal(line.substr(0, 20), "RCPT TO:<Postmaster>")) p.postmaster = true;
        break;
      case verb::data:
        if (tx_bdat) add(rule_id::bdat_mix_data, l, line);
        else if (mail_sent && rcpt_sent == 0) add(rule_id::seq_data_no_rcpt, l, line);
        if (c) mode = cmode::await_354;
        break;
      case verb::bdat:
        if (helo_used) add(rule_id::ext_after_helo, l, line);
        else if (ehlo_known && !adv.has(extension::chunking)) add(rule_id::bdat_unadvertised, l, line);
        if (tx_last) add(rule_id::bdat_after_last, l, line);
        if (c) {
          tx_bdat = true;
          if (c->last) tx_last = true;
          p.k = kind::bdat;
          p.last = c->last;
          bdat_left = c->chunk_size;
          if (bdat_left > 0) mode = cmode::bdat;
        }
        break;
      case verb::rset:
        end_tx_client();
        p.rset_plain = c != nullptr;
        break;
      case verb::noop:
        p.rset_plain = c != nullptr;
        break;
      case verb::starttls:
        if (helo_used) add(rule_id::ext_after_helo, l, line);
        else if (ehlo_known && !adv.has(extension::starttls)) add(rule_id::tls_unadvertised, l, line);
        if (tls || starttls_sent) add(rule_id::tls_starttls_twice, l, line);
        starttls_sent = true;
        break;
      case verb::auth:
        if (helo_used) add(rule_id::ext_after_helo, l, line);
        else if (ehlo_known && !adv.has(extension::auth)) add(rule_id::auth_unadvertised, l, line);
        if (mail_sent) add(rule_id::auth_in_transaction, l, line);
        p.authed_before = authed;
        if (c && ehlo_known && adv.has(extension::auth))
          p.unsupported_mech = std::none_of(mechanisms.begin(), mechanisms.end(),
                                            [&](const std::string& m) { return iequal(m, c->mechanism); });
        break;
      default:
        break;
    }
    push_pending(p);
  }

  // Commands no reply answered yet; a client that never reads replies must not grow this without
  // bound, so the oldest are dropped (they could only have been REPLY-MISSING, undecidable).
  static constexpr std::size_t max_pending = 4096;
  void push_pending(const pending& p) {
    if (pend.size() >= max_pending) pend.pop_front();
    pend.push_back(p);
  }
};

linter::linter(const lint_options& options, std::optional<transcript::format> fmt)
    : p_(std::make_unique<impl>(options, fmt)) {}
linter::~linter() = default;
linter::linter(linter&&) noexcept = default;
linter& linter::operator=(linter&&) noexcept = default;
void linter::set_format(std::optional<transcript::format> fmt) {
  p_->fmt = fmt;
  p_->rep.fmt = fmt;
}
void linter::feed(const transcript::event& e) { p_->feed(e); }
void linter::finish() {
  p_->finish_connection();
  auto& f = p_->rep.findings;
  std::stable_sort(f.begin(), f.end(), [](const finding& a, const finding& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    if (a.event_offset != b.event_offset) return a.event_offset < b.event_offset;
    return a.rule < b.rule;
  });
}
const report& linter::result() const noexcept { return p_->rep; }
report linter::take() { return std::move(p_->rep); }

report lint(const transcript::transcript& t, const lint_options& options) {
  linter l(options, t.fmt);
  for (const auto& e : t.events) l.feed(e);
  l.finish();
  return l.take();
}

}  // namespace smtpspec::lint
