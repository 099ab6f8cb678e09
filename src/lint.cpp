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
#include "lint_model.hpp"

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
    rule_id::data_eod_bare_lf, rule_id::data_dot_stuff, rule_id::data_after_eod, rule_id::bdat_size_exact,
    rule_id::bdat_reply_each, rule_id::bdat_no_dotstuff, rule_id::tls_injection_server, rule_id::tls_454,
    rule_id::tls_required_530, rule_id::auth_plaintext_no_tls, rule_id::auth_result_codes,
    rule_id::size_exceeded_552, rule_id::size_advertised_value, rule_id::utf8_reject_code,
    rule_id::param_unknown_555, rule_id::syn_mailbox, rule_id::syn_source_route, rule_id::ehlo_helo_response,
    rule_id::seq_ehlo_resets, rule_id::quit_221_close, rule_id::quit_client_close, rule_id::quit_server_close,
    rule_id::code_421_close, rule_id::pipe_order, rule_id::null_sender, rule_id::size_client_honours,
    rule_id::esc_semantic, rule_id::lim_errors_421, rule_id::reply_class_consistent,
    rule_id::pipe_client_checks, rule_id::seq_timeouts, rule_id::response_text_only_code,
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
  bool last = false;             // BDAT LAST
  std::uint64_t size_param = 0;  // MAIL SIZE=
  bool client_fault = false;     // a sequencing finding was already the client's
  bool cancel = false;           // the SASL exchange was cancelled with "*"
  bool authed_before = false;    // AUTH sent after a successful AUTH
  bool postmaster = false;       // RCPT TO:<Postmaster> (no domain)
  bool unknown_param = false;    // MAIL/RCPT with a parameter no extension defines (or the other command's)
  bool source_route = false;     // MAIL/RCPT path with an A-d-l source route
  bool null_sender = false;      // MAIL FROM:<>
  bool utf8_addr = false;        // MAIL/RCPT address with non-ASCII octets and no SMTPUTF8
  bool grouped = false;          // sent in the same write as the previous command
  bool after_last = false;       // BDAT sent after the transaction's BDAT LAST
  std::uint64_t msg_size = 0;    // data end / BDAT LAST: the message's octets (RFC 1870 §5)
  bool msg_size_exact = true;    // msg_size is exact (else at least msg_size_min)
  std::uint64_t msg_size_min = 0;
};

// Case-insensitive search (reply texts: "STARTTLS", "too many").
bool icontains(std::string_view hay, std::string_view needle) noexcept {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i)
    if (iequal(hay.substr(i, needle.size()), needle)) return true;
  return false;
}

std::string reply_text(const reply& r) {
  std::string t;
  for (const auto& ln : r.lines) {
    t += ln.text;
    t += ' ';
  }
  return t;
}

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
  bool prev_auth_one_round = false;   // it was AUTH exempt from PIPE-EXT-LAST (RFC 4954 §4)
  bool prev_in_write_valid = false;
  data_reader dr{data_reader_options{newline_policy::accept, newline_policy::accept, 1000}};
  std::uint64_t data_start = 0;
  std::size_t data_diags_seen = 0;
  std::uint64_t bdat_left = 0;
  std::string sink;
  // DATA content: dot-stuffing (0 mid-line, 1 line start, 2 after a "." at a line start), the message's
  // octets and line ends (RFC 1870 §5 size), a smuggled end of data the server may have acted on.
  int dot_state = 1;
  bool dot_flagged = false;
  std::uint64_t data_octets = 0, data_lfs = 0;
  bool data_exact = true;
  bool smuggled = false, smuggled_exact = false, eod_bare_flagged = false;
  bool eod_write = false;  // the end of data was in the current client write
  // BDAT content: dot-stuffing state as for DATA; the transaction's chunk octets.
  int bdat_dot = 1;
  bool bdat_dot_flagged = false;
  std::uint64_t tx_chunk_octets = 0;
  // STARTTLS: commands pipelined after it that a correct server discards (RFC 3207 §4.2).
  std::size_t injected_left = 0;
  // Closing: QUIT answered 221, a 421 seen, a DATA refused (content must not follow), EHLO reset.
  bool quit_sent = false, quit_221 = false, quit_flagged = false;
  bool got_421 = false, flagged_421_server = false, flagged_421_client = false;
  bool data_refused = false, data_refused_grouped = false;
  bool ehlo_reset = false;
  bool timeout_421 = false;  // a 421 whose text speaks of a timeout
  bool desync = false;  // the server ended DATA where the client did not: replies no longer pair up
  int last_code = 0;
  bool last_too_many = false;
  location last_reply_loc, last_loc;
  std::string last_reply_octs;
  // What a correct server must answer: the library's own session, fed the same client octets.
  detail::reference_server model;
  std::uint64_t hello_at = 0;  // client offset of the last HELO/EHLO/LHLO line

  explicit impl(const lint_options& o, std::optional<transcript::format> f)
      : opts(o), fmt(f), model(o.lmtp) {
    model.connect();
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
    dot_state = 1;
    dot_flagged = smuggled = smuggled_exact = eod_bare_flagged = eod_write = false;
    data_octets = data_lfs = 0;
    data_exact = true;
    bdat_dot = 1;
    bdat_dot_flagged = false;
    injected_left = 0;
    quit_sent = quit_221 = quit_flagged = got_421 = flagged_421_server = flagged_421_client = false;
    data_refused = data_refused_grouped = ehlo_reset = last_too_many = desync = timeout_421 = false;
    last_code = 0;
    last_reply_loc = last_loc = {};
    last_reply_octs.clear();
    model.connect();
    hello_at = 0;
    misleading = {};
  }
  void end_tx_client() {
    mail_sent = tx_bdat = tx_last = tx_utf8 = tx_8bit = false;
    rcpt_sent = 0;
    tx_chunk_octets = 0;
    bdat_dot = 1;
    bdat_dot_flagged = false;
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
    // No QUIT and no 421: someone closed mid-session, or the logger stopped. No format says which
    // side closed, so QUIT-CLIENT-CLOSE and QUIT-SERVER-CLOSE cannot be decided here.
    if (!quit_sent && !got_421 && (greeting_seen || hello_sent)) {
      if (last_too_many && last_code >= 500) {
        // §7.8: a protective drop after "too many" errors, told with 5yz rather than 421.
        add(rule_id::lim_errors_421, last_reply_loc, last_reply_octs);
      } else {
        cannot(rule_id::quit_client_close, last_loc, {});
        cannot(rule_id::quit_server_close, last_loc, {});
      }
    }
    // SEQ-TIMEOUTS: a side that gave up (no QUIT, or a 421 that speaks of a timeout) may have done so
    // before the §4.5.3.2 minimum; no reader carries timestamps, so this is "cannot decide". A session
    // that ends with QUIT gave nobody a reason to time out.
    if ((!quit_sent && !got_421 && (greeting_seen || hello_sent)) || timeout_421)
      cannot(rule_id::seq_timeouts, last_loc, {});
    rep.connections++;
    reset_connection();
  }

  void feed(const transcript::event& e) {
    rep.events++;
    if (e.dir == transcript::direction::client || e.dir == transcript::direction::server)
      last_loc = {e.line, e.offset, 0, e.exact, e.dir == transcript::direction::server};
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
    // A format that does not log the message (Postfix debug_peer): the server's reply after 354 answers
    // an end of data the log left out.
    if (mode == cmode::data && !smuggled && caps() && caps()->data == transcript::data_kept::absent)
      end_unlogged_data();
    prev_in_write_valid = false;  // the client's next octets come after this reply: a new write
    eod_write = false;
    // BDAT-SIZE-EXACT: the server answers the chunk being sent (every earlier command answered)
    // while octets of it are still owed: the client sent fewer than its count. A reply to an earlier
    // pipelined command may arrive mid-chunk, and a 421 may cut it: neither says anything.
    if (mode == cmode::bdat && bdat_left > 0 && pend.size() == 1 && pend.front().k == kind::bdat &&
        !e.octets.starts_with("421")) {
      const auto at = cmap.pos > 0 ? cmap.pos - 1 : 0;
      const auto l = cmap.at(at);
      if (e.exact && l.exact && boundaries_known())
        add(rule_id::bdat_size_exact, l, cwin.line_at(at),
            "the server answered the chunk with " + std::to_string(bdat_left) +
                " of its BDAT count octets not sent");
      else
        cannot(rule_id::bdat_size_exact, l, cwin.line_at(at));
      bdat_left = 0;
      mode = cmode::commands;
      model.lose();  // the session still waits for the chunk's octets
    }
    if (mode == cmode::bdat && !e.exact) {
      // A line-oriented log cannot count chunk octets (placeholders stand for them): the server's
      // reply ends the chunk; the session, still counting, no longer reads what the server read.
      bdat_left = 0;
      mode = cmode::commands;
      model.lose();
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
    last_code = code;
    last_reply_loc = l;
    last_reply_octs = std::string(octs.substr(0, 120));
    last_too_many = code >= 500 && icontains(reply_text(r), "too many");  // only a 5yz's is used

    // After 221 to QUIT or after a 421 the server has closed: a further reply means it did not.
    if (quit_221 && !quit_flagged) {
      quit_flagged = true;
      add(rule_id::quit_221_close, l, octs, "server replied again after its 221 to QUIT (it must close)");
    }
    if (got_421 && !flagged_421_server) {
      flagged_421_server = true;
      add(rule_id::code_421_close, l, octs, "server replied again after 421 (it must close the channel)");
    }
    if (code == 421) {
      got_421 = true;
      const auto text = reply_text(r);
      if (icontains(text, "timeout") || icontains(text, "timed out")) timeout_421 = true;
    }

    // DATA-EOD-BARE-LF: the client is still inside the message (no CRLF.CRLF yet) but it sent a
    // smuggled end of data, and the server answered: it ended the message there (RFC 5321 §4.1.1.4).
    if (mode == cmode::data && smuggled) {
      if (!eod_bare_flagged) {
        eod_bare_flagged = true;
        desync = true;
        model.lose();
        if (smuggled_exact && boundaries_known())
          add(rule_id::data_eod_bare_lf, l, octs,
              "server replied inside the message, after a \".\" line not framed by CRLF: it took that as "
              "the end of data");
        else
          cannot(rule_id::data_eod_bare_lf, l, octs);
      }
      return;  // the server's view: the rest of the "content" were commands (RULES.md notes)
    }

    // PIPE-ORDER: a code only one command can get (354 DATA, 221 QUIT, 334 AUTH, 220 STARTTLS)
    // answering an earlier command while that command waits later in the group (RFC 2920 §3.2).
    if (pend.size() > 1) {
      std::optional<verb> only;
      if (code == 354) only = verb::data;
      else if (code == 221) only = verb::quit;
      else if (code == 334) only = verb::auth;
      else if (code == 220) only = verb::starttls;
      const auto is_only = [&](const pending& q) { return q.k == kind::command && q.v == only; };
      if (only && !is_only(pend.front()) && std::any_of(pend.begin() + 1, pend.end(), is_only))
        add(rule_id::pipe_order, l, octs,
            "reply " + std::to_string(code) + " answers " + std::string(to_string(*only)) +
                ", but an earlier command of the group is still unanswered");
    }

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
      model.greeting(code);
      return;
    }
    if (pend.empty()) {
      if (code == 421) return;  // a server may close with 421 at any time (§3.8)
      if (injected_left > 0) {
        // An extra reply after STARTTLS's 220: the server answered a command sent in plaintext
        // before the handshake (RFC 3207 §4.2; CVE-2011-0411).
        --injected_left;
        if (boundaries_known()) add(rule_id::tls_injection_server, l, octs);
        else cannot(rule_id::tls_injection_server, l, octs);
        return;
      }
      if (after_data_end) add(rule_id::reply_after_data_one, l, octs);
      else add(rule_id::reply_unsolicited, l, octs);
      return;
    }
    auto& p = pend.front();
    const bool was_data_end = p.k == kind::data_end;
    note_misleading(p, r, cls);
    check_reply(p, r, l, octs, code, cls);
    if (--p.expected == 0 || code == 421) pend.pop_front();
    after_data_end = was_data_end;
  }

  // SIZE-EXCEEDED-552, SIZE-CLIENT-HONOURS' server half, ESC-SEMANTIC for size: the reply to the end of a
  // message larger than the advertised fixed limit (RFC 1870 §4, §6).
  void message_size_reply(const pending& p, const reply& r, const location& l, std::string_view octs,
                          int code, int cls) {
    if (size_limit == 0 || p.msg_size <= size_limit) return;
    if (cls != 2 && !(cls == 5 && code != 552)) {
      if (code == 552 && r.enhanced && !(r.enhanced->subject == 3 && r.enhanced->detail == 4))
        add(rule_id::esc_semantic, l, octs,
            "message over the size limit refused with " + r.enhanced->to_string() + " (RFC 3463: X.3.4)");
      return;
    }
    if (!p.msg_size_exact && p.msg_size_min <= size_limit) {
      cannot(rule_id::size_exceeded_552, l, octs);
      return;
    }
    add(rule_id::size_exceeded_552, l, octs,
        "message of " + std::to_string(p.msg_size) + " octets over the advertised SIZE " +
            std::to_string(size_limit) + " answered " + std::to_string(code) + " (552 expected)");
  }

  // Rules on the reply to one command that do not change the conversation state.
  void command_reply_rules(const pending& p, const reply& r, const location& l, std::string_view octs,
                           int code, int cls, const std::optional<detail::model_reply>& m) {
    const verb v = *p.v;
    if (v != verb::ehlo && v != verb::helo && v != verb::lhlo && v != verb::starttls) injected_left = 0;
    const bool refusal = cls == 4 || cls == 5;
    const auto esc_is = [&](unsigned subject, unsigned detail) {
      return r.enhanced && r.enhanced->subject == subject && r.enhanced->detail == detail;
    };
    const bool esc_on = ehlo_known && adv.has(extension::enhancedstatuscodes);
    // 503 (sequence), 500 (the whole line) and 530 (authentication first) refuse for another reason.
    if (p.unknown_param && code != 555 && code != 455 && code != 421 && code != 530 && code != 503 &&
        code != 500)
      add(rule_id::param_unknown_555, l, octs,
          "parameter no extension defines answered " + std::to_string(code) +
              " (RFC 5321 §4.1.1.11: 555)");
    if (p.source_route && cls == 5 &&
        (code == 501 || code == 553 || esc_is(5, 2) || esc_is(5, 4) || esc_is(1, 3) || esc_is(1, 7)))
      add(rule_id::syn_source_route, l, octs);
    if (p.null_sender && cls == 5 && (code == 501 || code == 553 || (r.enhanced && r.enhanced->subject == 1)))
      add(rule_id::null_sender, l, octs);
    // RFC 6531 §3.5: MAIL gets 550, RCPT 553, with X.6.7 when enhanced codes are in use.
    const int utf8_code = v == verb::mail ? 550 : 553;
    if (p.utf8_addr && cls == 5 && code != 421 && (code != utf8_code || (r.enhanced && !esc_is(6, 7))))
      add(rule_id::utf8_reject_code, l, octs,
          "address that needs SMTPUTF8 refused with " + std::to_string(code) +
              (r.enhanced ? " " + r.enhanced->to_string() : std::string()) + " (RFC 6531 §3.5: " +
              std::to_string(utf8_code) + " 5.6.7)");
    // The reference server answers QUIT itself: 221 (or 501 to "QUIT x", which it then judges).
    if (v == verb::quit && m && m->own && m->code == 221 && code != 221 && code != 421)
      add(rule_id::quit_221_close, l, octs, "QUIT answered " + std::to_string(code) + " (221 required)");
    if (v == verb::quit && code == 221) quit_221 = true;
    if (v == verb::rcpt && (code == 452 || code == 552) && icontains(reply_text(r), "too many recipients") &&
        r.enhanced && !esc_is(5, 3))
      add(rule_id::esc_semantic, l, octs,
          "too many recipients told with " + r.enhanced->to_string() + " (RFC 3463: X.5.3)");
    // TLS-REQUIRED-530: a refusal because TLS is not active (the text asks for STARTTLS).
    const bool hello = v == verb::ehlo || v == verb::helo || v == verb::lhlo;
    if (refusal && !tls && !tls_done && v != verb::starttls && !hello && code != 421 &&
        icontains(reply_text(r), "STARTTLS")) {
      if (code != 530 && code != 538)
        add(rule_id::tls_required_530, l, octs,
            "refusal asking for STARTTLS answered " + std::to_string(code) + " (RFC 3207 §4: 530 5.7.0)");
      else if (esc_on && r.enhanced && !esc_is(7, 0) && !esc_is(7, 11))
        add(rule_id::tls_required_530, l, octs,
            "refusal asking for STARTTLS with " + r.enhanced->to_string());
    }
    // AUTH-RESULT-CODES: RFC 4954 §6's pairs of basic and enhanced codes.
    if (v == verb::auth && esc_on && r.enhanced && code != 334) {
      struct pair_t { int code; unsigned s, d; };
      static constexpr pair_t pairs[] = {{235, 7, 0}, {535, 7, 8}, {534, 7, 9}, {538, 7, 11}, {454, 7, 0},
                                         {530, 7, 0}};
      for (const auto& pr : pairs)
        if (pr.code == code && !esc_is(pr.s, pr.d))
          add(rule_id::auth_result_codes, l, octs,
              "AUTH reply " + std::to_string(code) + " with " + r.enhanced->to_string() + " (RFC 4954 §6: " +
                  std::to_string(code) + " " + std::to_string(code / 100) + "." + std::to_string(pr.s) + "." +
                  std::to_string(pr.d) + ")");
    }
  }

  void check_reply(const pending& p, const reply& r, const location& l, std::string_view octs, int code,
                   int cls) {
    // What the reference server (lint_model.hpp) answered to the same command. `seq`: it refused the
    // command as out of sequence by itself, which every correct server must (503, RFC 5321 §4.1.4);
    // `judged`: it saw the conversation from its start, so a refusal cannot come from missing state.
    const auto m = model.answer(r, code, p.stream_off);
    const bool own = m && m->own;
    const bool seq = own && m->bad_sequence && code != 421;
    const bool judged = m && !m->excerpt;
    check_reply_rules(p, r, l, octs, code, cls, m, own, seq, judged);
    // The recorded server took a different path from the session's own decision on a command that
    // changes the state: the session no longer knows the recorded server's state.
    if (own && m->code / 100 != cls && p.k != kind::data_end && p.v &&
        (*p.v == verb::mail || *p.v == verb::rcpt || *p.v == verb::data || *p.v == verb::bdat ||
         *p.v == verb::auth || *p.v == verb::starttls || *p.v == verb::helo || *p.v == verb::ehlo ||
         *p.v == verb::lhlo || *p.v == verb::rset))
      model.lose();
    if (code == 421) model.lose();
  }

  void check_reply_rules(const pending& p, const reply& r, const location& l, std::string_view octs, int code,
                         int cls, const std::optional<detail::model_reply>& m, bool own, bool seq,
                         bool judged) {
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
    // After a smuggled end of data the server read commands the client sent as content: the rules that
    // pair a reply with its command would judge replies against the wrong commands.
    if (!desync && (p.k == kind::data_end || (p.k == kind::bdat && p.last)))
      message_size_reply(p, r, l, octs, code, cls);
    if (p.k == kind::data_end) {
      mail_ok = false;
      rcpt_ok = 0;
      return;
    }
    if (p.k == kind::bdat) {
      // RFC 3030 §2: every BDAT gets one reply; a chunk that is not the last is accepted with 250.
      if (!desync && cls == 3)
        add(rule_id::bdat_reply_each, l, octs, "intermediate reply " + std::to_string(code) + " to BDAT");
      else if (!desync && cls == 2 && code != 250 && !p.last)
        add(rule_id::bdat_reply_each, l, octs,
            "reply " + std::to_string(code) + " to a BDAT chunk (250 expected)");
      // BDAT after the LAST chunk: no transaction is open, so the session refuses it.
      if (!desync && cls == 2 && seq && judged && p.after_last)
        add(rule_id::bdat_after_last, l, octs, "server accepted a BDAT chunk after BDAT LAST ended the transaction");
      if (p.last) {
        mail_ok = false;
        rcpt_ok = 0;
      }
      return;
    }
    if (!p.v) return;
    if (!desync) command_reply_rules(p, r, l, octs, code, cls, m);
    switch (*p.v) {
      case verb::ehlo:
      case verb::lhlo:
        if (code == 250) {
          if (mail_ok) ehlo_reset = true;  // a mid-session EHLO clears the transaction (§4.1.4)
          auto e = parse_ehlo_reply(r);
          if (e.ok()) {
            adv = e->extensions();
            mechanisms.clear();
            size_limit = 0;
            if (const auto* k = e->find("AUTH")) mechanisms = k->mechanisms;
            if (const auto* k = e->find("SIZE")) {
              size_limit = k->size.value_or(0);
              if (size_limit == 0)
                add(rule_id::size_advertised_value, l, octs,
                    "SIZE advertised with no value or 0: no fixed message size limit (RFC 1870 §3)");
            }
            if (tls && adv.has(extension::starttls)) add(rule_id::tls_no_readvertise, l, octs);
            for (const auto& d : e->diagnostics)
              if (d.id == reply_diagnostic_id::ehlo_keyword_syntax)
                add(rule_id::ehlo_keyword_syntax, smap.at(d.offset), swin.line_at(d.offset));
          }
          ehlo_known = true;
          helo_used = false;
          mail_ok = false;
          rcpt_ok = 0;
          restart_model();
        }
        break;
      case verb::helo:
        if (code == 250 && r.line_count > 1) {
          if (lines_kept()) add(rule_id::ehlo_helo_response, l, octs);
          else cannot(rule_id::ehlo_helo_response, l, octs);
        }
        if (code == 250) {
          if (mail_ok) ehlo_reset = true;
          adv = extension_set::none();
          ehlo_known = true;
          helo_used = true;
          mail_ok = false;
          rcpt_ok = 0;
          restart_model();
        }
        break;
      case verb::mail:
        // RFC 1870 §6.2: the session refuses a declared size above the advertised limit (552).
        if (cls == 2 && own && m->declared_size)
          add(rule_id::size_declared_too_big, l, octs,
              "MAIL declared SIZE=" + std::to_string(p.size_param) + " above the advertised " +
                  std::to_string(size_limit) + " and was accepted");
        if (cls == 2 && seq) {
          // RFC 3207 §4.2: after the handshake the client must send EHLO again; a server accepting
          // MAIL before that kept the pre-TLS state. Otherwise the session refused a nested MAIL
          // (its reply text says which of its two refusals it was).
          if (tls_done && !hello_sent) add(rule_id::tls_reset_state, l, octs);
          else if (judged && icontains(m->text, "nested"))
            add(rule_id::seq_mail_nested, l, octs, "server accepted MAIL inside an open transaction (503 expected)");
        }
        if (cls == 2) {
          mail_ok = true;
          ehlo_reset = false;
        } else if (!mail_ok) {
          mail_sent = false;
        }
        break;
      case verb::rcpt:
        if (p.postmaster && cls == 5) add(rule_id::rcpt_postmaster, l, octs);
        // "Too many recipients" (x.5.3, RFC 3463) before the 100th RCPT.
        if ((code == 452 || code == 552) && r.enhanced && r.enhanced->subject == 5 &&
            r.enhanced->detail == 3 && rcpt_ok < 100)
          add(rule_id::rcpt_limit_100, l, octs,
              "recipient refused as too many after " + std::to_string(rcpt_ok) +
                  " accepted (fewer than 100)");
        // The session refuses RCPT with no transaction (503): after an EHLO reset it, or never opened.
        if (cls == 2 && seq && judged) {
          if (ehlo_reset)
            add(rule_id::seq_ehlo_resets, l, octs, "server accepted RCPT after an EHLO that reset the transaction");
          else if (!p.client_fault)
            add(rule_id::seq_rcpt_before_mail, l, octs, "server accepted RCPT with no mail transaction open");
        }
        if (cls == 2) rcpt_ok++;
        break;
      case verb::data:
        if (code == 354 && seq && judged && icontains(m->text, "BDAT"))
          add(rule_id::bdat_mix_data, l, octs, "server accepted DATA in a transaction that used BDAT (503 expected)");
        if (code == 354) {
          // No server half of SEQ-DATA-NO-RCPT: RFC 5321 §3.3 says the server "MAY" answer 503/554
          // there, and RFC 2920 §3.1 (4) / §4 example 4 show 354 then 554 after the data as conformant.
          if (mode == cmode::await_354) {
            mode = cmode::data;
            start_data();
          }
        } else if (mode == cmode::await_354) {
          mode = cmode::commands;
          end_tx_client();
          if (cls == 4 || cls == 5) {
            data_refused = true;
            data_refused_grouped = p.grouped;
          }
        } else if (mode == cmode::data) {
          // Content was sent before this refusal: the data reader keeps framing it (a server that
          // refused DATA reads it as commands; the early content is already SEQ-DATA-WITHOUT-354).
        }
        break;
      case verb::rset:
        // The reference server answers RSET itself: 250 (or 501 to "RSET x").
        if (own && m->code == 250 && code != 250 && code != 421) add(rule_id::seq_rset_250, l, octs);
        if (code == 250) {
          mail_ok = false;
          rcpt_ok = 0;
          ehlo_reset = false;
        }
        break;
      case verb::noop:
        if (own && m->code == 250 && code != 250 && code != 421) add(rule_id::seq_noop_250, l, octs);
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
          // Commands still waiting were sent before the handshake: a correct server discards them
          // (RFC 3207 §4.2), so they get no reply; a reply to one shows up as an extra reply.
          if (pend.size() > 1) {
            injected_left = pend.size() - 1;
            pend.erase(pend.begin() + 1, pend.end());
          }
        } else {
          starttls_sent = false;
          if (code == 454) add(rule_id::tls_454, l, octs);
        }
        break;
      case verb::auth:
        // The session refuses AUTH after AUTH and inside a transaction (503), an unlisted mechanism
        // (504), and answers "*" with 501.
        if (own && m->code == 503 && code != 503 && code != 421) {
          if (p.authed_before) add(rule_id::auth_twice, l, octs);
          else if (icontains(m->text, "transaction"))
            add(rule_id::auth_in_transaction, l, octs, "server accepted AUTH during a mail transaction (503 expected)");
        }
        if (own && judged && m->code == 504 && code != 504 && code != 421) add(rule_id::auth_mech_504, l, octs);
        if (p.cancel && own && m->code == 501 && code != 501 && code != 421) add(rule_id::auth_cancel, l, octs);
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

  void end_unlogged_data() {
    const auto at = cmap.pos;
    cannot(rule_id::data_eod, cmap.at(at > 0 ? at - 1 : 0), {});
    pending p;
    p.k = kind::data_end;
    p.stream_off = at;
    p.expected = opts.lmtp ? std::max<std::size_t>(rcpt_ok, 1) : 1;
    p.msg_size_exact = false;  // unknown: no size rule can judge it (msg_size 0)
    push_pending(p);
    mode = cmode::commands;
    end_tx_client();
    prev_in_write_valid = false;
    model.end_data();
  }

  // RESPONSE-TEXT-ONLY-CODE (RFC 5321 §4.2): a 2xx to MAIL or RCPT whose text reads as a failure
  // ("250 … error …", RULES.md's example). Only what the client does next can show it acted on the
  // text: the same command again, or RSET/QUIT abandoning the transaction it was just granted.
  struct misleading_t {
    bool on = false;
    verb v = verb::mail;
    std::uint64_t at = 0;
    std::string text;  // the reply's text, read only if the client's next step could be a reaction to it
  } misleading;
  static bool failure_text(std::string_view t) {
    static constexpr std::string_view words[] = {"error", "fail", "reject", "denied", "refused", "invalid"};
    return std::any_of(std::begin(words), std::end(words), [&](std::string_view w) { return icontains(t, w); });
  }
  void note_misleading(const pending& p, const reply& r, int cls) {
    misleading.on = cls == 2 && p.k == kind::command && (p.v == verb::mail || p.v == verb::rcpt) &&
                    pend.size() == 1;
    if (!misleading.on) return;
    misleading.v = *p.v;
    misleading.at = p.stream_off;
    misleading.text = reply_text(r);
  }
  void acted_on_text(std::optional<verb> v, const location& l, std::string_view line) {
    if (!misleading.on) return;
    misleading.on = false;
    if (!pend.empty()) return;  // sent before that reply was read: no reaction to it
    const auto prev = cwin.line_at(misleading.at);
    const bool retry = !prev.empty() && prev == line;
    if (!retry && v != verb::rset && v != verb::quit) return;  // went on as the code said
    if (!failure_text(misleading.text)) return;                // nothing in the text to act on
    if (!time_order_known()) {
      cannot(rule_id::response_text_only_code, l, line);
      return;
    }
    const std::string what(to_string(misleading.v));
    add(rule_id::response_text_only_code, l, line,
        (retry ? "client sent the same " + what + " again after a 2xx reply"
               : "client abandoned the transaction right after a 2xx reply to " + what) +
            ": it acted on the reply text (which reads as a failure), not on the code");
  }

  // The recorded server accepted a HELO/EHLO/LHLO: the reference server starts over offering the same.
  void restart_model() {
    detail::offer o;
    o.esmtp = !helo_used;
    o.extensions = adv;
    o.size = size_limit;
    o.mechanisms = mechanisms;
    model.restart(o, tls || tls_done, hello_at);
  }

  // ---- client side ----
  void client(const transcript::event& e) {
    if (!any_server && cmap.pos == 0) {
      first_client = {e.line, e.offset, 0, e.exact};
      first_client_octets = e.octets.substr(0, 120);
      client_first = true;
    }
    if (!any_server && !greeted) model.excerpt();
    if (!any_server) greeted = true;  // the transcript starts after the greeting
    const bool write_start = e.before == transcript::boundary::write;
    if (write_start) {
      prev_in_write_valid = false;
      eod_write = false;
    }
    cmap.add(e);
    cwin.add(e.octets);
    std::string_view s = e.octets;
    std::uint64_t pos = cmap.pos - s.size();
    bool first = true;
    while (!s.empty()) {
      std::size_t used = 0;
      const cmode was = mode;
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
          // BDAT-NO-DOTSTUFF: chunks are sent as is; ".." or a "." line at a line start is stuffing.
          scan_dots(s.substr(0, used), pos, bdat_dot, bdat_dot_flagged, rule_id::bdat_no_dotstuff, true);
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
      // The reference server reads the same octets, except message content: the data reader above
      // (the session's own component) already framed it, and only its end matters to the session.
      if (was == cmode::data) {
        model.skip(s.substr(0, used), pos);
        if (mode != cmode::data) model.end_data();
      } else {
        model.client(s.substr(0, used), pos);
      }
      s.remove_prefix(used);
      pos += used;
      first = false;
    }
  }

  // SIZE-CLIENT-HONOURS: the client sent more than the advertised fixed limit (RFC 1870 §4).
  void size_client_check(const pending& p, const location& l) {
    if (size_limit == 0 || p.msg_size <= size_limit) return;
    if (!p.msg_size_exact && p.msg_size_min <= size_limit) {
      cannot(rule_id::size_client_honours, l, {});
      return;
    }
    add(rule_id::size_client_honours, l, {},
        "message of " + std::to_string(p.msg_size) + " octets sent; the server advertised SIZE " +
            std::to_string(size_limit));
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
    dot_state = 1;
    dot_flagged = smuggled = smuggled_exact = eod_bare_flagged = false;
    data_octets = data_lfs = 0;
    data_exact = true;
  }

  // DATA-DOT-STUFF: a content line starting with one "." that is not the end of data: a conforming
  // client doubles it (RFC 5321 §4.5.2), so the wire never shows ".x". Line starts are found with
  // find('\n'), so the scan costs little more than the data reader's.
  void scan_dots(std::string_view body, std::uint64_t pos, int& state, bool& flagged, rule_id rule,
                 bool stuffed_is_bad) {
    std::size_t i = 0;
    while (i < body.size() && !flagged) {
      if (state == 1) {
        state = body[i] == '.' ? 2 : 0;
        ++i;
        continue;
      }
      if (state == 2) {
        const char c = body[i];
        // DATA: ".." is stuffing, "." CR/LF the end of data (the data reader's business).
        // BDAT (stuffed_is_bad): both show a client that dot-stuffed a chunk.
        const bool line_end = c == '\r' || c == '\n';
        const bool bad = stuffed_is_bad ? (c == '.' || line_end) : (c != '.' && !line_end);
        if (bad) {
          flagged = true;
          const auto at = pos + i - 1;
          const auto l = cmap.at(at);
          exact_or_cannot(l.exact, rule, l, cwin.line_at(at));
        }
        state = c == '\n' ? 1 : 0;
        ++i;
        continue;
      }
      const auto lf = body.find('\n', i);
      if (lf == std::string_view::npos) break;
      state = 1;
      i = lf + 1;
    }
  }
  bool data_start_set = false;

  std::size_t feed_data(std::string_view s, std::uint64_t pos) {
    if (!data_start_set) {
      data_start = pos;
      data_start_set = true;
      content_8bit_seen = false;
    }
    const auto step = dr.feed(s, sink);
    {
      const auto body = s.substr(0, step.consumed);
      scan_dots(body, pos, dot_state, dot_flagged, rule_id::data_dot_stuff, false);
      data_octets += body.size();
      if (!cmap.at(pos).exact) {
        data_exact = false;
        data_lfs += static_cast<std::uint64_t>(std::count(body.begin(), body.end(), '\n'));
      }
    }
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
          if (!smuggled) smuggled_exact = l.exact;
          smuggled = true;
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
      // RFC 1870 §5: the message's octets, CRLFs included, without the final ".CRLF". Where the
      // format assumed CRLF, each line end may have been one octet shorter.
      p.msg_size = data_octets >= 3 ? data_octets - 3 : 0;
      p.msg_size_exact = data_exact;
      p.msg_size_min = p.msg_size > data_lfs ? p.msg_size - data_lfs : 0;
      size_client_check(p, cmap.at(p.stream_off));
      push_pending(p);
      eod_write = true;
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
      // A known mechanism followed by a non-base64 initial response: the verb is fine.
      case error_code::invalid_initial_response: add(rule_id::auth_base64, l, line); return;
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
      case verb::mail:
        add(rule_id::syn_mail_path, l, line);
        mailbox_check(line, path_role::reverse, l);
        return;
      case verb::rcpt:
        add(rule_id::syn_rcpt_path, l, line);
        mailbox_check(line, path_role::forward, l);
        return;
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

  // SYN-MAILBOX: the path is bracketed (so the framing is right) but what is inside is no Mailbox.
  void mailbox_check(std::string_view line, path_role role, const location& l) {
    const auto lt = line.find('<');
    if (lt == std::string_view::npos) return;
    const auto gt = line.find('>', lt);
    if (gt == std::string_view::npos) return;
    const auto pr = parse_path(line.substr(lt, gt - lt + 1), parse_options{}, role);
    if (pr.ok()) return;
    const auto c = pr.error().code;
    if (c == error_code::bad_sender_syntax || c == error_code::bad_recipient_syntax ||
        c == error_code::syntax_error)
      add(rule_id::syn_mailbox, l, line);
  }

  // Client lines read against what the client was told before it sent them: the time order of both
  // directions must be known (boundaries), as for SEQ-EARLY-TALKER.
  bool time_order_known() const noexcept {
    const auto* c = caps();
    return c && c->boundaries != transcript::boundaries_kept::none;
  }

  void client_line_rules(const smtpspec::result<command>& r, std::optional<verb> v, const location& l,
                         std::string_view line) {
    // DATA-AFTER-EOD: more octets in the write that ended the message, without PIPELINING (RFC 2920 §3.1).
    if (eod_write && !cline_write_start) {
      eod_write = false;
      if (!boundaries_known()) cannot(rule_id::data_after_eod, l, line);
      else if (ehlo_known && !adv.has(extension::pipelining)) add(rule_id::data_after_eod, l, line);
    }
    eod_write = false;
    // CODE-421-CLOSE (client half): commands after the server's 421 (QUIT is harmless).
    if (got_421 && !flagged_421_client && v != verb::quit) {
      flagged_421_client = true;
      if (time_order_known())
        add(rule_id::code_421_close, l, line, "client sent a command after the server's 421");
      else cannot(rule_id::code_421_close, l, line);
    }
    // REPLY-CLASS-CONSISTENT / PIPE-CLIENT-CHECKS: message content (or its final ".") after DATA was refused.
    if (data_refused) {
      std::string_view t = line;
      while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
      const bool content = t == "." || (!r.ok() && r.error().code == error_code::unrecognized_command);
      if (content) {
        data_refused = false;
        if (!time_order_known()) {
          cannot(rule_id::reply_class_consistent, l, line);
        } else {
          add(rule_id::reply_class_consistent, l, line, "message content sent after DATA was refused");
          if (data_refused_grouped)
            add(rule_id::pipe_client_checks, l, line,
                "message content sent although the pipelined DATA failed");
        }
      } else if (r.ok()) {
        data_refused = false;  // the client went on with commands
      }
    }
  }

  // The line's first word is the keyword of an extension in the server's EHLO reply (or of a
  // registered one when the EHLO reply is not in the transcript).
  bool advertised_verb(std::string_view line) const {
    std::size_t n = 0;
    while (n < line.size() && std::isalpha(static_cast<unsigned char>(line[n]))) ++n;
    if (n == 0 || (n < line.size() && line[n] != ' ' && line[n] != '\r' && line[n] != '\n')) return false;
    const auto e = find_extension(line.substr(0, n));
    return e && (!ehlo_known || adv.has(*e));  // no EHLO reply seen (an excerpt): it may be offered
  }

  // Facts about the command just queued, for the rules on its reply.
  void flag_pending(const smtpspec::result<command>& r, std::optional<verb> v, bool grouped) {
    if (pend.empty()) return;
    auto& p = pend.back();
    p.grouped = grouped;
    const bool envelope = v == verb::mail || v == verb::rcpt;
    if (!r.ok()) {
      const auto c = r.error().code;
      // Keywords no extension defines (or the other command's): a server cannot implement them, so
      // only 555 fits. An unadvertised extension's keyword may be implemented anyway: not decidable.
      if (envelope && (c == error_code::unknown_parameter || c == error_code::parameter_not_allowed))
        p.unknown_param = true;
      if (envelope && c == error_code::non_ascii) p.utf8_addr = true;
      return;
    }
    if (!envelope) return;
    p.source_route = !r->path.source_route.empty();
    p.null_sender = v == verb::mail && r->path.kind == path_kind::null;
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
    const bool grouped = !cline_write_start && prev_in_write_valid;
    acted_on_text(v, lx, line);
    client_line_rules(r, v, lx, line);
    // Pipelining: a command in the same write as the previous one.
    if (grouped) pipelined(prev_in_write, lx, line);
    prev_in_write = v;
    prev_in_write_valid = true;
    // RFC 4954 §4: AUTH "MUST be the last command in a pipelined group" except "when the AUTH
    // command contains an initial response for a SASL mechanism that allows the client to send data
    // first, the SASL mechanism is known to complete in one round-trip" -- PLAIN and EXTERNAL.
    prev_auth_one_round = r.ok() && r->verb == verb::auth && r->has_initial_response &&
                          (iequal(r->mechanism, "PLAIN") || iequal(r->mechanism, "EXTERNAL"));
    if (!r.ok() && !v && r.error().code == error_code::unrecognized_command && advertised_verb(line)) {
      // A verb of a registered extension the server advertised (BURL, RFC 4468; ETRN, …) that the
      // command parser does not model: not judged. It may end the transaction (BURL … LAST), so
      // the client's transaction state is no longer known; forget it rather than guess.
      end_tx_client();
      model.lose();  // nor does the reference server know it
      push_pending({kind::command, std::nullopt, cline_start, 1});
      return;
    }
    if (!r.ok()) {
      command_error(r.error(), v, lx, line);
      if (v) track(*v, nullptr, lx, line);
      else push_pending({kind::command, std::nullopt, cline_start, 1});
      flag_pending(r, v, grouped);
      return;
    }
    track(r->verb, &*r, lx, line);
    flag_pending(r, v, grouped);
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
      case verb::auth:
        if (!prev_auth_one_round) add(rule_id::pipe_ext_last, l, line);
        break;
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
        hello_at = cline_start;
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
        p.after_last = tx_last;
        if (c) {
          tx_bdat = true;
          if (c->last) tx_last = true;
          p.k = kind::bdat;
          p.last = c->last;
          bdat_left = c->chunk_size;
          tx_chunk_octets += c->chunk_size;
          if (c->last) {
            p.msg_size = tx_chunk_octets;  // counted by the client's own chunk sizes: exact
            size_client_check(p, l);
          }
          if (bdat_left > 0) mode = cmode::bdat;
        }
        break;
      case verb::rset:
        end_tx_client();
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
        // TLS is up after a tls_start event, or after a 220 to STARTTLS (formats without TLS markers).
        if (c && !tls && !tls_done && (iequal(c->mechanism, "PLAIN") || iequal(c->mechanism, "LOGIN"))) {
          // RFC 4954 §4, §14: a plaintext mechanism outside TLS exposes the password.
          const auto* cp = caps();
          // Without the greeting the transcript starts mid-session: TLS may be up already.
          if ((cp && cp->tls == transcript::tls_kept::unmarked) || !greeting_seen)
            cannot(rule_id::auth_plaintext_no_tls, l, line);
          else
            add(rule_id::auth_plaintext_no_tls, l, line);
        }
        break;
      case verb::quit:
        quit_sent = true;
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
