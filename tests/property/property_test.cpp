// RapidCheck properties (issue 2, item 10):
//  (a) a generated valid value, formatted and parsed back, gives the same value;
//  (b) any byte string gives a value or an error, never a crash, with offsets inside the input;
//  (c) strict acceptance implies lenient acceptance, with the same answer, and lenient-only
//      acceptance carries a warning;
//  (d) parsing from an exact-size heap copy gives the same JSON (values are views into the input).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "generators.hpp"
#include "smtpspec/idna.hpp"
#include "smtpspec_test_support.hpp"

using namespace smtpspec;

namespace {

const parse_options strict_opt{profile::strict, {}};
const parse_options lenient_opt{profile::lenient, {}};

std::string format(const mailbox& m) { return std::string(m.local_part) + "@" + std::string(m.domain.text); }

// The canonical spelling of a parsed command (single SP, "FROM:"/"TO:" upper case).
std::string format(const command& c) {
  std::string s(c.verb_text);
  switch (c.verb) {
    case verb::ehlo: case verb::helo: case verb::lhlo: s += " " + std::string(c.domain.text); break;
    case verb::mail: case verb::rcpt:
      s += c.verb == verb::mail ? " FROM:" : " TO:";
      s += c.path.text;
      for (const auto& p : c.params) {
        s += " " + std::string(p.keyword);
        if (p.has_value) s += "=" + std::string(p.value);
      }
      break;
    case verb::vrfy: case verb::expn: case verb::help: case verb::noop:
      if (c.has_argument) s += " " + std::string(c.argument);
      break;
    case verb::auth:
      s += " " + std::string(c.mechanism);
      if (c.has_initial_response) s += " " + std::string(c.initial_response);
      break;
    case verb::bdat:
      s += " " + std::to_string(c.chunk_size);
      if (c.last) s += " LAST";
      break;
    default: break;
  }
  return s;
}

template <class T>
bool is_json(const result<T>& r) {
  return !nlohmann::json::parse(to_json(r), nullptr, false).is_discarded();
}

// (b), (c), (d) for one entry point on one input.
template <class Parse>
void check_any_input(const std::string& input, Parse parse) {
  const smtpspec_test::heap_input copy(input);
  const auto s = parse(std::string_view(input), strict_opt);
  const auto l = parse(std::string_view(input), lenient_opt);
  const auto h = parse(copy.view(), strict_opt);
  const auto hl = parse(copy.view(), lenient_opt);
  for (const auto* r : {&s, &l}) {
    const auto why = smtpspec_test::invariant_failure(*r, input);
    RC_ASSERT(why.empty());
    RC_ASSERT(is_json(*r));
  }
  RC_ASSERT(smtpspec_test::invariant_failure(h, copy.view()).empty());
  RC_ASSERT(smtpspec_test::invariant_failure(hl, copy.view()).empty());
  RC_ASSERT(to_json(h) == to_json(s));
  RC_ASSERT(to_json(hl) == to_json(l));
  if (s.ok()) {
    RC_ASSERT(l.ok());
    RC_ASSERT(to_json(l) == to_json(s));
  } else if (l.ok()) {
    // Lenient accepted what strict refused: the deviation must be reported (issue 2, item 5).
    bool warned = false;
    for (const auto& d : l.diags()) warned = warned || info(d.id).level == severity::warning;
    RC_ASSERT(warned);
  }
}

void check_all_entry_points(const std::string& input) {
  check_any_input(input, [](std::string_view in, const parse_options& o) { return parse_command(in, o); });
  check_any_input(input, [](std::string_view in, const parse_options& o) { return parse_mailbox(in, o); });
  check_any_input(input, [](std::string_view in, const parse_options& o) { return parse_domain(in, o); });
  for (auto role : {path_role::any, path_role::reverse, path_role::forward})
    check_any_input(input, [role](std::string_view in, const parse_options& o) { return parse_path(in, o, role); });
}

// Octets that matter to SMTP, plus anything at all.
rc::Gen<char> smtp_octet() {
  return rc::gen::weightedOneOf<char>({
      {6, gens::one_of(gens::let_dig + "<>@.:,[]\"\\ =-_+/")},
      {2, rc::gen::element<char>('\0', '\r', '\n', '\t', ' ', '\x7f', '\x80', '\xc3', '\xff')},
      {2, rc::gen::arbitrary<char>()},
  });
}

rc::Gen<std::string> byte_string() { return rc::gen::container<std::string>(smtp_octet()); }

// A valid command with a few octets inserted, replaced or removed: near-valid input reaches
// deeper into the grammar than random bytes do.
rc::Gen<std::string> mutated_command() {
  return rc::gen::exec([] {
    std::string s = (*gens::command()).text;
    if (*rc::gen::inRange(0, 2) == 0) s += "\r\n";
    const int edits = *rc::gen::inRange(1, 4);
    for (int i = 0; i < edits && !s.empty(); ++i) {
      const auto at = static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, s.size()));
      switch (*rc::gen::inRange(0, 3)) {
        case 0: s.insert(at, 1, *smtp_octet()); break;
        case 1: s[at] = *smtp_octet(); break;
        default: s.erase(at, 1); break;
      }
    }
    return s;
  });
}

}  // namespace

// (a) round trips -----------------------------------------------------------------------------

RC_GTEST_PROP(RoundTrip, Domain, ()) {
  const auto d = *gens::domain();
  for (const auto* o : {&strict_opt, &lenient_opt}) {
    const auto r = parse_domain(d.text, *o);
    RC_ASSERT(r.ok());
    RC_ASSERT(r->text == d.text);
    RC_ASSERT(r->kind == d.kind);
    RC_ASSERT(r->address == (d.kind == domain_kind::name ? std::string() : d.address));
    RC_ASSERT(r->tag == std::string(d.kind == domain_kind::ipv6 ? "IPv6" : ""));
    RC_ASSERT(r.diags().empty());
    RC_ASSERT(smtpspec_test::views_inside(r, d.text));
  }
}

RC_GTEST_PROP(RoundTrip, Mailbox, ()) {
  const auto m = *gens::mailbox();
  const std::string text = m.text();
  const auto r = parse_mailbox(text, strict_opt);
  RC_ASSERT(r.ok());
  RC_ASSERT(r->text == text);
  RC_ASSERT(r->local_part == m.local.text);
  RC_ASSERT(r->local_part_value() == m.local.value);
  RC_ASSERT(r->local_kind == (m.local.quoted ? local_part_kind::quoted_string : local_part_kind::dot_string));
  RC_ASSERT(r->domain.text == m.dom.text);
  RC_ASSERT(r->domain.kind == m.dom.kind);
  RC_ASSERT(format(*r) == text);
  // Quoted local parts are noted (info) in both profiles, nothing else.
  RC_ASSERT(r.diags().size() == (m.local.quoted ? 1u : 0u));
  const auto l = parse_mailbox(text, lenient_opt);
  RC_ASSERT(to_json(l) == to_json(r));
}

RC_GTEST_PROP(RoundTrip, Path, ()) {
  const auto p = *gens::path();
  const auto r = parse_path(p.text, strict_opt);
  RC_ASSERT(r.ok());
  RC_ASSERT(r->text == p.text);
  RC_ASSERT(r->kind == p.kind);
  RC_ASSERT(r->source_route.size() == p.route.size());
  for (std::size_t i = 0; i < p.route.size(); ++i) RC_ASSERT(r->source_route[i].text == p.route[i]);
  if (p.kind == path_kind::mailbox || p.kind == path_kind::postmaster_at_domain) {
    RC_ASSERT(r->mailbox.text == p.mbox.text());
    RC_ASSERT(r->mailbox.local_part_value() == p.mbox.local.value);
    RC_ASSERT(r->mailbox.domain.text == p.mbox.dom.text);
  }
  RC_ASSERT(smtpspec_test::views_inside(r, p.text));
  RC_ASSERT(to_json(parse_path(p.text, lenient_opt)) == to_json(r));
  // Roles: "<>" is only a Reverse-path, "<Postmaster>" only a Forward-path.
  RC_ASSERT(parse_path(p.text, strict_opt, path_role::reverse).ok() == (p.kind != path_kind::postmaster));
  RC_ASSERT(parse_path(p.text, strict_opt, path_role::forward).ok() == (p.kind != path_kind::null));
}

RC_GTEST_PROP(RoundTrip, Command, ()) {
  const auto c = *gens::command();
  const auto r = parse_command(c.text, strict_opt);
  RC_ASSERT(r.ok());
  RC_ASSERT(r->verb == c.verb);
  RC_ASSERT(format(*r) == c.text);
  RC_ASSERT(smtpspec_test::views_inside(r, c.text));
  // Re-parsing the formatted value gives the same canonical JSON; so does the line with CRLF.
  const std::string again = format(*r);
  RC_ASSERT(to_json(parse_command(again, strict_opt)) == to_json(r));
  const std::string with_crlf = c.text + "\r\n";
  RC_ASSERT(to_json(parse_command(with_crlf, strict_opt)) == to_json(r));
  RC_ASSERT(to_json(parse_command(c.text, lenient_opt)) == to_json(r));
}

// Lenient deviations keep the meaning: the path and parameters stay what strict gives for the
// well-formed line, and the deviation is reported.
RC_GTEST_PROP(Lenient, DeviationsKeepTheValue, ()) {
  const bool mail = *rc::gen::arbitrary<bool>();
  const auto p = *gens::path(mail, !mail);
  const auto prm = *gens::params();
  const std::string head = mail ? "MAIL FROM:" : "RCPT TO:";
  const std::string well_formed = head + p.text + prm;
  const auto base = parse_command(well_formed, strict_opt);
  RC_ASSERT(base.ok());
  struct variant {
    std::string line;
    diagnostic_id id;
  };
  std::vector<variant> variants = {
      {head + " " + p.text + prm, diagnostic_id::space_after_colon},
      {head.substr(0, head.size() - 1) + " :" + p.text + prm, diagnostic_id::space_before_colon},
      {head + p.text + prm + " ", diagnostic_id::trailing_whitespace},
      {head + p.text + prm + "\n", diagnostic_id::bare_lf_line_ending},
  };
  if (!prm.empty()) variants.push_back({head + p.text + " " + prm, diagnostic_id::extra_whitespace});
  for (const auto& v : variants) {
    const auto r = parse_command(v.line, lenient_opt);
    RC_ASSERT(r.ok());
    RC_ASSERT(r->path.text == base->path.text);
    RC_ASSERT(r->params.size() == base->params.size());
    bool found = false;
    for (const auto& d : r.diags()) found = found || d.id == v.id;
    RC_ASSERT(found);
    RC_ASSERT(!parse_command(v.line, strict_opt).ok());
  }
}

// (b) (c) (d) any input ------------------------------------------------------------------------

RC_GTEST_PROP(AnyInput, ByteStrings, ()) { check_all_entry_points(*byte_string()); }

RC_GTEST_PROP(AnyInput, MutatedCommands, ()) { check_all_entry_points(*mutated_command()); }

RC_GTEST_PROP(AnyInput, MutatedMailboxes, ()) {
  std::string s = (*gens::path()).text;
  const int edits = *rc::gen::inRange(1, 3);
  for (int i = 0; i < edits && !s.empty(); ++i)
    s[*rc::gen::inRange<std::size_t>(0, s.size())] = *smtp_octet();
  check_all_entry_points(s);
  check_all_entry_points(s.substr(1, s.size() >= 2 ? s.size() - 2 : 0));  // without the brackets
}

// (e) SMTPUTF8 (RFC 6531) ------------------------------------------------------------------------

namespace {

parse_options with_utf8(parse_options o) {
  o.smtputf8 = true;
  return o;
}

std::string smtpspec_test_lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
  }
  return s;
}

// Code points that are PVALID in IDNA2008, in NFC, left-to-right, not combining marks, so any
// sequence of them is a U-label: Latin with diacritics, Greek, Cyrillic, CJK, and LDH.
const std::vector<std::string> pvalid = {
    "a", "b", "z", "0", "9", "à", "é", "ï", "ñ", "ö", "ø", "ü", "ß", "ç", "ł", "ő", "α", "β", "λ", "ω",
    "ς", "ά", "ж", "я", "ё", "例", "子", "广", "告", "中", "文", "日", "本", "한", "국", "ก", "ไ"};

rc::Gen<std::string> u_label() {
  return rc::gen::exec([] {
    const int n = *rc::gen::inRange(1, 12);
    std::string s;
    bool non_ascii = false;
    for (int i = 0; i < n; ++i) {
      const auto& cp = *rc::gen::elementOf(pvalid);
      non_ascii = non_ascii || static_cast<unsigned char>(cp[0]) >= 0x80;
      s += cp;
    }
    if (!non_ascii) s += "é";
    return s;
  });
}

}  // namespace

// Any U-label domain converts to its A-label form and back, and the A-label form parses (without
// SMTPUTF8) to the same canonical forms.
RC_GTEST_PROP(Smtputf8, ULabelDomainsRoundTrip, ()) {
  const int labels = *rc::gen::inRange(1, 4);
  std::string d;
  for (int i = 0; i < labels; ++i) d += (i ? "." : "") + *u_label();
  // Any RFC 5321 label, except a reserved one ("--" in positions 3-4), which IDNA refuses.
  std::string tail = *gens::label(10);
  if (tail.size() >= 4 && tail[2] == '-' && tail[3] == '-') tail = "example";
  d += "." + tail;
  const auto r = parse_domain(d, with_utf8(strict_opt));
  RC_ASSERT(r.ok());
  RC_ASSERT(r.diags().empty());
  const auto a = domain_to_ascii(d);
  RC_ASSERT(a.ok());
  RC_ASSERT(*a == r->ascii());
  const auto u = domain_to_unicode(*a);
  RC_ASSERT(u.ok());
  RC_ASSERT(*u == smtpspec_test_lower(d));
  const auto back = domain_to_ascii(*a);
  RC_ASSERT(back.ok() && *back == *a);
  const auto ar = parse_domain(*a, strict_opt);
  RC_ASSERT(ar.ok());
  RC_ASSERT(ar->unicode() == *u);
}

// ASCII input gives the same answer with and without SMTPUTF8, whatever it is.
RC_GTEST_PROP(Smtputf8, AsciiInputIgnoresTheOption, ()) {
  std::string s = *rc::gen::oneOf(byte_string(), mutated_command(), rc::gen::map(gens::path(), [](const auto& p) { return p.text; }));
  for (char& c : s) c = static_cast<char>(static_cast<unsigned char>(c) & 0x7F);
  for (const auto* o : {&strict_opt, &lenient_opt}) {
    const auto u = with_utf8(*o);
    RC_ASSERT(to_json(parse_command(s, *o)) == to_json(parse_command(s, u)));
    RC_ASSERT(to_json(parse_mailbox(s, *o)) == to_json(parse_mailbox(s, u)));
    RC_ASSERT(to_json(parse_domain(s, *o)) == to_json(parse_domain(s, u)));
    RC_ASSERT(to_json(parse_path(s, *o)) == to_json(parse_path(s, u)));
  }
}

// Any octets with SMTPUTF8 on: the usual invariants (no crash, offsets inside, valid JSON).
RC_GTEST_PROP(Smtputf8, AnyOctets, ()) {
  const auto octet = rc::gen::weightedOneOf<char>({
      {4, gens::one_of(gens::let_dig + "<>@.:\"-")},
      {4, rc::gen::element<char>('\x80', '\xbf', '\xc0', '\xc3', '\xa9', '\xe4', '\xed', '\xa0', '\xf0', '\x9f',
                                 '\xf4', '\x90', '\xff', '\xe3', '\x80', '\x82')},
      {1, rc::gen::arbitrary<char>()},
  });
  const auto s = *rc::gen::container<std::string>(octet);
  for (const auto* o : {&strict_opt, &lenient_opt}) {
    const auto u = with_utf8(*o);
    const auto m = parse_mailbox(s, u);
    RC_ASSERT(smtpspec_test::invariant_failure(m, s).empty());
    RC_ASSERT(is_json(m));
    const auto d = parse_domain(s, u);
    RC_ASSERT(smtpspec_test::invariant_failure(d, s).empty());
    RC_ASSERT(is_json(d));
    const std::string line = "RCPT TO:<" + s + ">";
    const auto c = parse_command(line, u);
    RC_ASSERT(smtpspec_test::invariant_failure(c, line).empty());
    RC_ASSERT(is_json(c));
  }
}
