// parse_command: line framing, verb dispatch, the command grammars, and error attribution.
#include <algorithm>
#include <array>

#include "esmtp_internal.hpp"
#include "parse_common.hpp"

namespace smtpspec {
namespace {
using namespace detail;
namespace r4954 = grammar::rfc4954;
namespace r3030 = grammar::rfc3030;
namespace r3207 = grammar::rfc3207;
namespace r2033 = grammar::rfc2033;

enum class arg : unsigned char { none, optional, required };

struct verb_row {
  verb v;
  std::string_view name;
  arg argument;
};
// The verbs smtpspec knows, in enum order.
constexpr std::array<verb_row, 15> verbs{{
    {verb::ehlo, "EHLO", arg::required},   {verb::helo, "HELO", arg::required},
    {verb::lhlo, "LHLO", arg::required},   {verb::mail, "MAIL", arg::required},
    {verb::rcpt, "RCPT", arg::required},   {verb::data, "DATA", arg::none},
    {verb::rset, "RSET", arg::none},       {verb::vrfy, "VRFY", arg::required},
    {verb::expn, "EXPN", arg::required},   {verb::help, "HELP", arg::optional},
    {verb::noop, "NOOP", arg::optional},   {verb::quit, "QUIT", arg::none},
    {verb::starttls, "STARTTLS", arg::none}, {verb::auth, "AUTH", arg::required},
    {verb::bdat, "BDAT", arg::required},
}};
constexpr std::array<verb, 15> verb_list{verb::ehlo, verb::helo, verb::lhlo, verb::mail, verb::rcpt,
                                         verb::data, verb::rset, verb::vrfy, verb::expn, verb::help,
                                         verb::noop, verb::quit, verb::starttls, verb::auth, verb::bdat};

// Case-insensitive: `c & ~0x20` is an upper-case letter only for that letter in either case,
// so a verb is found by one 32-bit key (plus the second half of STARTTLS).
constexpr std::uint32_t key4(const char* w) noexcept {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(w[0]) & 0xDF) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(w[1]) & 0xDF) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(w[2]) & 0xDF) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(w[3]) & 0xDF);
}

// The four-letter verbs by a multiplicative hash of their key: one table probe instead of a
// chain of compares. The multiplier was searched for: it gives the 14 keys distinct slots,
// which the table's construction checks at compile time.
constexpr std::uint32_t verb_hash_mul = 0x13453dU;
constexpr std::size_t verb_slot(std::uint32_t key) noexcept {
  return static_cast<std::uint32_t>(key * verb_hash_mul) >> 28;
}
struct verb_slot_row {
  std::uint32_t key = 0;
  const verb_row* row = nullptr;
};
struct verb_slot_table {
  std::array<verb_slot_row, 16> slots{};
  bool collision = false;
};
constexpr verb_slot_table verb_slot_build = [] {
  verb_slot_table t;
  for (const auto& r : verbs) {
    if (r.name.size() != 4) continue;
    const std::uint32_t k = key4(r.name.data());
    auto& slot = t.slots[verb_slot(k)];
    if (slot.row != nullptr) t.collision = true;
    slot = {k, &r};
  }
  return t;
}();
// (No `throw` here: the core also builds with -fno-exceptions for WASM.)
static_assert(!verb_slot_build.collision, "verb_hash_mul: two verbs share a slot");
constexpr const std::array<verb_slot_row, 16>& verb_slots = verb_slot_build.slots;

const verb_row* find_verb4(const char* w) noexcept {
  const std::uint32_t k = key4(w);
  const auto& slot = verb_slots[verb_slot(k)];
  return slot.key == k ? slot.row : nullptr;
}

const verb_row* find_verb(std::string_view word) noexcept {
  if (word.size() == 8) {
    return key4(word.data()) == key4("STAR") && key4(word.data() + 4) == key4("TTLS")
               ? &verbs[static_cast<std::size_t>(verb::starttls)]
               : nullptr;
  }
  if (word.size() != 4) return nullptr;
  return find_verb4(word.data());
}

// Octets that end the verb: SP, HTAB, CR, LF, NUL.
constexpr auto verb_stop = grammar::make_table(
    [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0; });

template <typename Strict, typename Lenient>
bool run_match(std::string_view content, state& st) {
  return st.opts->profile == profile::lenient ? match_all<Lenient>(content, st) : match_all<Strict>(content, st);
}
template <typename Strict, typename Lenient>
void run_track(std::string_view content, state& st) {
  if (st.opts->profile == profile::lenient) {
    track_failure<Lenient>(content, st);
  } else {
    track_failure<Strict>(content, st);
  }
}

// Calls f.template operator()<Strict, Lenient>() for the verb's rules.
template <typename F>
auto with_rules(verb v, F&& f) {
  switch (v) {
    case verb::ehlo: return f.template operator()<g::ehlo, gl::ehlo>();
    case verb::helo: return f.template operator()<g::helo, gl::helo>();
    case verb::lhlo: return f.template operator()<r2033::lhlo, gl::lhlo>();
    case verb::mail: return f.template operator()<g::mail, gl::mail_cmd>();
    case verb::rcpt: return f.template operator()<g::rcpt, gl::rcpt_cmd>();
    case verb::data: return f.template operator()<g::data, gl::data>();
    case verb::rset: return f.template operator()<g::rset, gl::rset>();
    case verb::vrfy: return f.template operator()<g::vrfy, gl::vrfy>();
    case verb::expn: return f.template operator()<g::expn, gl::expn>();
    case verb::help: return f.template operator()<g::help, gl::help>();
    case verb::noop: return f.template operator()<g::noop, gl::noop>();
    case verb::quit: return f.template operator()<g::quit, gl::quit>();
    case verb::starttls: return f.template operator()<r3207::starttls, gl::starttls>();
    case verb::auth: return f.template operator()<r4954::auth, gl::auth>();
    case verb::bdat: return f.template operator()<r3030::bdat_cmd, gl::bdat>();
  }
  return f.template operator()<g::quit, gl::quit>();
}

bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }

bool is_address_error(error_code c) noexcept {
  switch (c) {
    case error_code::local_part_too_long:
    case error_code::domain_too_long:
    case error_code::label_too_long:
    case error_code::path_too_long:
    case error_code::snum_out_of_range:
    case error_code::ipv6_too_many_groups:
    case error_code::invalid_ipv6_literal:
    case error_code::unregistered_address_literal_tag:
    case error_code::idna_disallowed:
    case error_code::idna_hyphen:
    case error_code::idna_leading_combining_mark:
    case error_code::idna_contextj:
    case error_code::idna_contexto:
    case error_code::idna_bidi:
    case error_code::idna_punycode:
    case error_code::idna_invalid_a_label:
    case error_code::idna_label_too_long:
    case error_code::idna_domain_too_long:
    case error_code::idna_empty_label:
    case error_code::u_label_not_nfc:
    case error_code::u_label_not_mapped:
    case error_code::ideographic_full_stop:
      return true;
    default:
      return false;
  }
}

// A bad address in MAIL is the sender's (X.1.7), in RCPT the recipient's (X.1.3).
void refine_reply(error& e, verb v) {
  if (v != verb::mail && v != verb::rcpt) return;
  if (!is_address_error(e.code)) return;
  const bool is501 = e.reply.substr(0, 3) == "501";
  if (v == verb::mail) e.reply = is501 ? "501 5.1.7" : "553 5.1.7";
  else e.reply = is501 ? "501 5.1.3" : "553 5.1.3";
}

}  // namespace

namespace {
// Fills `out`, which starts as a default command built in place (no move of the value at the end).
void parse_impl(std::string_view line, const parse_options& o, int& hint, result<command>& out) {
  const auto fail = [&out](error e, diagnostics d = {}) { out = result<command>(std::move(e), std::move(d)); };
  diagnostics pre;
  if (line.empty()) return fail(make_error(error_code::empty_input, 0));
  // The verb ends at SP or the line's end (§4.1.1); TAB too, which lenient accepts as a
  // separator. No verb is longer than 8 octets, so the scan is bounded.
  // Fast path for the usual four-letter verb: a key match means line[0..3] are letters, so
  // the scan below would also stop at 4. Anything else takes the scan.
  std::size_t word_end = 4;
  const verb_row* row = nullptr;
  if (line.size() >= 5 && verb_stop[static_cast<unsigned char>(line[4])]) row = find_verb4(line.data());
  if (row == nullptr) {
    word_end = 0;
    const std::size_t scan_to = std::min<std::size_t>(line.size(), 9);
    while (word_end < scan_to && !verb_stop[static_cast<unsigned char>(line[word_end])]) ++word_end;
    row = find_verb(line.substr(0, word_end));
  }
  if (row != nullptr) hint = static_cast<int>(row->v);

  // Framing: CRLF, or nothing (the caller removed it). A lone LF is a bare LF (§2.3.8).
  std::string_view content = line;
  if (content.size() >= 2 && content.substr(content.size() - 2) == "\r\n") {
    content.remove_suffix(2);
  } else if (content.back() == '\n') {
    if (o.profile == profile::strict) return fail(make_error(error_code::bare_lf, line.size() - 1));
    pre.push_back({diagnostic_id::bare_lf_line_ending, line.size() - 1});
    content.remove_suffix(1);
  }
  if (content.empty()) return fail(make_error(error_code::empty_input, 0));
  // §4.5.3.1.4: 512 octets including CRLF, more for MAIL and RCPT by what the enabled
  // extensions add (catalogue/line_growth.inc); decided before any parsing (bounded work).
  const std::size_t line_limit = row != nullptr ? command_line_limit(row->v, o) : o.limits.command_line;
  if (content.size() + 2 > line_limit) {
    return fail(make_error(error_code::line_too_long, line_limit >= 2 ? line_limit - 2 : 0));
  }
  if (row == nullptr) {
    const auto verb_part = content.substr(0, std::min(word_end + 1, content.size()));
    const std::size_t bad = first_forbidden_octet(verb_part, o.smtputf8);
    if (bad != std::string_view::npos) {
      return fail(make_error(forbidden_octet_code(verb_part, bad, o.smtputf8), bad));
    }
    return fail(make_error(error_code::unrecognized_command, 0, "a command verb"));
  }
  word_end = std::min(word_end, content.size());

  // DATA, RSET, QUIT, STARTTLS: the rule is the verb alone ("DATA" CRLF), which the dispatch
  // has just matched; skip the grammar run for the most frequent lines of a session.
  if (row->argument == arg::none && word_end == content.size()) {
    command& cmd = out.value_for_parser();
    cmd.verb = row->v;
    cmd.verb_text = content;
    out.diags_for_parser() = std::move(pre);
    return;
  }
  command& cmd = out.value_for_parser();
  cmd.verb = row->v;
  cmd.verb_text = content.substr(0, word_end);
  state st;
  st.base = line.data();
  st.opts = &o;
  st.cmd = &cmd;

  const bool matched = with_rules(row->v, [&]<typename S, typename L>() { return run_match<S, L>(content, st); });
  if (matched) {
    if (st.chunk_overflow != std::string_view::npos) {
      return fail(make_error(error_code::chunk_size_overflow, st.chunk_overflow), std::move(pre));
    }
    if (row->v == verb::mail || row->v == verb::rcpt) {
      classify_postmaster(cmd.path);
      if (row->v == verb::rcpt && cmd.path.kind == path_kind::null) {
        return fail(make_error(error_code::null_path_not_allowed, st.off(cmd.path.text.data())));
      }
      if (row->v == verb::mail && cmd.path.kind == path_kind::postmaster) {
        return fail(make_error(error_code::postmaster_not_allowed, st.off(cmd.path.text.data())));
      }
      error err;
      if (!check_path(cmd.path, o, st.base, err, st.diags)) {
        refine_reply(err, row->v);
        return fail(std::move(err));
      }
      value_notes(cmd.path, st);
      // Each parameter typed and checked (esmtp.cpp): unknown, wrong command, extension not
      // offered, value syntax, duplicates (strict error, lenient diagnostic), cross-parameter rules.
      if (!cmd.params.empty() && !type_params(cmd.params, row->v, o, st, err)) return fail(std::move(err));
      // RFC 6531 §3.4: a MAIL whose reverse-path needs SMTPUTF8 must carry the SMTPUTF8 parameter.
      // (RCPT has no such parameter: the transaction's MAIL decides, which a session tracks.)
      if (row->v == verb::mail && o.smtputf8 &&
          std::any_of(cmd.path.text.begin(), cmd.path.text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }) &&
          std::none_of(cmd.params.begin(), cmd.params.end(), [](const esmtp_param& p) { return p.kind == param_kind::smtputf8; })) {
        st.diag(diagnostic_id::smtputf8_parameter_missing, cmd.path.text.data());
      }
    } else if (row->v == verb::ehlo || row->v == verb::helo || row->v == verb::lhlo) {
      error err;
      const bool invalid_text = std::any_of(st.diags.begin(), st.diags.end(), [](const diagnostic& d) {
        return d.id == diagnostic_id::invalid_helo_domain;
      });
      if (!invalid_text && !check_domain(cmd.domain, o, st.base, err, st.diags)) {
        // An IDNA failure in EHLO/HELO/LHLO is a bad argument, not a bad mailbox.
        if (err.reply.substr(0, 3) == "553") err.reply = "501 5.5.4";
        return fail(std::move(err));
      }
      if (!invalid_text) value_notes(cmd.domain, st);
    }
    if (!pre.empty()) st.diags.insert(st.diags.end(), pre.begin(), pre.end());
    if (st.diags.size() > 1) std::sort(st.diags.begin(), st.diags.end(),
              [](const diagnostic& a, const diagnostic& b) { return a.offset < b.offset; });
    out.diags_for_parser() = std::move(st.diags);
    return;
  }

  // The error pass, then attribute the failure to the part of the command it is in.
  cmd = command{};
  cmd.verb = row->v;
  cmd.verb_text = content.substr(0, word_end);
  st.path_seen = false;
  st.path_start = 0;
  with_rules(row->v, [&]<typename S, typename L>() { run_track<S, L>(content, st); return true; });
  const std::size_t pos = st.max_pos;
  const std::size_t bad = first_forbidden_octet(content, o.smtputf8);
  error e;
  if (bad != std::string_view::npos && pos >= bad) {
    e = make_error(forbidden_octet_code(content, bad, o.smtputf8), bad);
    refine_reply(e, row->v);
    if (e.code == error_code::non_ascii && row->v != verb::mail && row->v != verb::rcpt) e.reply = "500 5.5.2";
  } else if (row->argument == arg::required && content.size() == word_end) {
    e = make_error(error_code::missing_argument, word_end, st.expected_text());
  } else if (row->argument == arg::none && content.size() > word_end) {
    e = make_error(error_code::unexpected_argument, word_end, "CRLF");
  } else if ((row->v == verb::mail || row->v == verb::rcpt) && st.path_start != 0 && pos >= st.path_start &&
             (!st.path_seen || (pos == st.off(cmd.path.text.data()) + cmd.path.text.size() && pos < content.size() &&
                                !is_wsp(content[pos])))) {
    // The path failed, or it is followed by more octets with no SP ("<a@b>x", "a@b>"): the
    // address token as a whole is malformed.
    e = syntax_failure(content, st, row->v == verb::mail ? error_code::bad_sender_syntax
                                                                   : error_code::bad_recipient_syntax);
    refine_reply(e, row->v);
  } else if ((row->v == verb::mail || row->v == verb::rcpt) && st.path_seen &&
             pos > st.off(cmd.path.text.data()) + cmd.path.text.size() &&
             is_wsp(content[st.off(cmd.path.text.data()) + cmd.path.text.size()])) {
    // Past the path and its separating SP: the parameters are at fault.
    e = make_error(error_code::invalid_parameter, pos, st.expected_text());
  } else if (row->v == verb::auth && cmd.has_initial_response &&
             pos >= st.off(cmd.initial_response.data()) + cmd.initial_response.size() &&
             is_wsp(content[st.off(cmd.initial_response.data()) + cmd.initial_response.size()])) {
    // A complete initial response followed by another argument.
    e = make_error(error_code::syntax_error, pos, st.expected_text());
  } else if (row->v == verb::auth && pos >= word_end + 1 && cmd.mechanism.empty()) {
    e = make_error(error_code::invalid_mechanism, pos, st.expected_text());
  } else if (row->v == verb::auth && !cmd.mechanism.empty() &&
             pos > st.off(cmd.mechanism.data()) + cmd.mechanism.size()) {
    e = make_error(error_code::invalid_initial_response, pos, st.expected_text());
  } else if (row->v == verb::auth && !cmd.mechanism.empty() &&
             pos == st.off(cmd.mechanism.data()) + cmd.mechanism.size() &&
             pos < content.size() && content[pos] != ' ') {
    e = make_error(error_code::invalid_mechanism, st.off(cmd.mechanism.data()), st.expected_text());
  } else {
    e = syntax_failure(content, st, error_code::syntax_error);
  }
  fail(std::move(e));
}
}  // namespace

result<command> parse_command(std::string_view line, const parse_options& o) noexcept {
  int hint = -1;
  result<command> r(std::in_place);
  parse_impl(line, o, hint, r);
  r.with_hint(hint);
  return r;
}

std::string_view to_string(verb v) noexcept { return verbs[static_cast<std::size_t>(v)].name; }
std::span<const verb> all_verbs() noexcept { return verb_list; }

}  // namespace smtpspec
