// smtpspec lint: every implemented rule fires on its cases/<ID>.bad.txt and not on <ID>.good.txt;
// the writers' structure (JSON, JUnit, SARIF 2.1.0 required properties); select/ignore; streaming
// gives the same report as the whole transcript; bad input never crashes.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "smtpspec/lint.hpp"
#include "smtpspec/transcript.hpp"

namespace fs = std::filesystem;
namespace l = smtpspec::lint;
namespace t = smtpspec::transcript;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t hits(const l::report& r, l::rule_id id) {
  const auto i = static_cast<std::size_t>(id);
  return r.per_rule[i] + r.undecidable[i];
}

l::report lint_text(std::string_view text, const l::lint_options& o = {}) {
  return l::lint(t::read(text), o);
}

const char* const clean =
    "S: 220 mx.example ESMTP\n"
    "C: EHLO c.example\n"
    "S: 250-mx.example\n"
    "S: 250-PIPELINING\n"
    "S: 250 ENHANCEDSTATUSCODES\n"
    "C: MAIL FROM:<a@c.example>\n"
    "S: 250 2.1.0 ok\n"
    "C: RCPT TO:<b@mx.example>\n"
    "S: 250 2.1.5 ok\n"
    "C: DATA\n"
    "S: 354 go\n"
    "C: hello\n"
    "C: .\n"
    "S: 250 2.0.0 queued\n"
    "C: QUIT\n"
    "S: 221 2.0.0 bye\n";

// The clean session with another reply to its RCPT.
std::string with_rcpt_reply(std::string_view reply) {
  std::string s = clean;
  return s.replace(s.find("250 2.1.5 ok"), 12, reply);
}

}  // namespace

TEST(LintCatalogue, RulesComeFromTheInc) {
  const auto rules = l::rule_catalogue();
  ASSERT_EQ(rules.size(), 113u);
  EXPECT_EQ(rules[0].name, "REPLY-CODE-SYNTAX");
  EXPECT_EQ(l::rule_from_name("esc-missing"), l::rule_id::esc_missing);
  EXPECT_FALSE(l::rule_from_name("NOPE").has_value());
  EXPECT_EQ(l::help_uri(l::info(l::rule_id::len_cmd_line)),
            "https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1.4");
  EXPECT_EQ(l::help_uri(l::info(l::rule_id::esc_syntax)), "https://www.rfc-editor.org/rfc/rfc3463#section-2");
}

// Every implemented rule has both cases, and each case file belongs to a rule.
TEST(LintCases, EveryImplementedRuleHasCases) {
  for (const auto& ri : l::rule_catalogue()) {
    if (!l::implemented(ri.id)) continue;
    const fs::path dir(SMTPSPEC_LINT_CASES);
    EXPECT_TRUE(fs::exists(dir / (std::string(ri.name) + ".bad.txt"))) << ri.name;
    EXPECT_TRUE(fs::exists(dir / (std::string(ri.name) + ".good.txt"))) << ri.name;
  }
  for (const auto& e : fs::directory_iterator(SMTPSPEC_LINT_CASES)) {
    auto name = e.path().filename().string();
    const auto dot = name.find('.');
    const auto id = l::rule_from_name(name.substr(0, dot));
    ASSERT_TRUE(id.has_value()) << name;
    EXPECT_TRUE(l::implemented(*id)) << name;
  }
}

TEST(LintCases, BadFiresGoodDoesNot) {
  std::size_t checked = 0;
  for (const auto& e : fs::directory_iterator(SMTPSPEC_LINT_CASES)) {
    const auto name = e.path().filename().string();
    const auto dot = name.find('.');
    const auto id = *l::rule_from_name(name.substr(0, dot));
    const bool bad = name.ends_with(".bad.txt");
    const auto tr = t::read(slurp(e.path()));
    ASSERT_TRUE(tr.ok()) << name;
    // The rule alone, so other rules' findings cannot hide a miss.
    l::lint_options only;
    only.select = {std::string(l::info(id).name)};
    const auto r = l::lint(tr, only);
    if (bad) EXPECT_GT(hits(r, id), 0u) << name;
    else EXPECT_EQ(hits(r, id), 0u) << name << "\n" << l::to_text(r, name);
    // With every rule on, the rule's own count is the same (rules do not interfere).
    const auto all = l::lint(tr);
    EXPECT_EQ(hits(all, id), hits(r, id)) << name;
    for (const auto& f : all.findings) {
      EXPECT_GE(f.line, 1u) << name;
      EXPECT_LE(f.octets.size(), 4u * 120u) << name;
    }
    ++checked;
  }
  EXPECT_GE(checked, 2u * 60u);
}

// conformance/lint/STATUS.md lists exactly the rules the engine does not check.
TEST(LintStatus, StatusMdMatchesTheEngine) {
  const auto md = slurp(SMTPSPEC_LINT_STATUS);
  for (const auto& ri : l::rule_catalogue()) {
    const bool listed = md.find("- `" + std::string(ri.name) + "` (") != std::string::npos;
    EXPECT_NE(listed, l::implemented(ri.id)) << ri.name;
  }
}

TEST(LintEngine, CleanSessionHasNoFindings) {
  const auto r = lint_text(clean);
  EXPECT_TRUE(r.findings.empty()) << l::to_text(r, "clean");
  EXPECT_EQ(r.connections, 1u);
  EXPECT_FALSE(r.has_errors());
}

TEST(LintEngine, SelectIgnorePrefix) {
  const std::string bad = with_rcpt_reply("250 5.1.5 ok");
  EXPECT_EQ(lint_text(bad).per_rule[static_cast<std::size_t>(l::rule_id::esc_class_match)], 1u);
  l::lint_options o;
  o.ignore = {"esc-*"};
  EXPECT_TRUE(lint_text(bad, o).findings.empty());
  o = {};
  o.select = {"REPLY-*"};
  EXPECT_TRUE(lint_text(bad, o).findings.empty());
  o.select = {"ESC-CLASS-MATCH"};
  EXPECT_EQ(lint_text(bad, o).findings.size(), 1u);
  EXPECT_FALSE(o.enabled(l::rule_id::esc_missing));
  EXPECT_TRUE(o.enabled(l::rule_id::esc_class_match));
}

TEST(LintEngine, FindingCarriesLocationOctetsAndRule) {
  const auto r = lint_text("S: 220 mx\nC: NOOP\nS: 250 \\r\\n\nC: QUIT\nS: 221 bye\n");
  ASSERT_EQ(r.findings.size(), 1u) << l::to_text(r, "x");
  const auto& f = r.findings[0];
  EXPECT_EQ(f.rule, l::rule_id::reply_text_empty_sp);
  EXPECT_EQ(f.line, 3u);
  EXPECT_EQ(f.offset, 18u);
  EXPECT_EQ(f.octets, "250 \\r\\n");
  EXPECT_EQ(f.kind, l::finding_kind::decided);
}

TEST(LintEngine, UndecidableWhenOctetsAreNotExact) {
  // "250 " without escapes: the reader assumes CRLF and nothing says the SP is real.
  l::lint_options o;
  auto r = lint_text("S: 220 mx\nC: NOOP\nS: 250 \nC: QUIT\nS: 221 bye\n", o);
  const auto i = static_cast<std::size_t>(l::rule_id::reply_text_empty_sp);
  EXPECT_EQ(r.per_rule[i], 0u);
  EXPECT_EQ(r.undecidable[i], 1u);
  EXPECT_TRUE(r.findings.empty());
  o.show_undecidable = true;
  r = lint_text("S: 220 mx\nC: NOOP\nS: 250 \nC: QUIT\nS: 221 bye\n", o);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].kind, l::finding_kind::undecidable);
  EXPECT_FALSE(r.has_errors());
}

TEST(LintEngine, LmtpExpectsOneReplyPerRecipient) {
  const char* lmtp =
      "S: 220 mx LMTP\nC: LHLO c.example\nS: 250 mx\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n"
      "C: RCPT TO:<b@mx.example>\nS: 250 ok\nC: RCPT TO:<c@mx.example>\nS: 250 ok\nC: DATA\nS: 354 go\n"
      "C: hi\nC: .\nS: 250 ok b\nS: 452 full c\nC: QUIT\nS: 221 bye\n";
  const auto i = static_cast<std::size_t>(l::rule_id::reply_after_data_one);
  EXPECT_EQ(lint_text(lmtp).per_rule[i], 1u);
  l::lint_options o;
  o.lmtp = true;
  EXPECT_EQ(lint_text(lmtp, o).per_rule[i], 0u);
}

// Pipelined RCPT after a MAIL the server refused: accepting it is the server's fault, not the client's.
TEST(LintEngine, RcptAcceptedAfterRefusedMailIsTheServers) {
  const auto r = lint_text(
      "S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250 PIPELINING\nC: MAIL FROM:<a@c.example>\n"
      "C: RCPT TO:<b@mx.example>\nS: 550 no\nS: 250 ok\nC: QUIT\nS: 221 bye\n");
  ASSERT_EQ(r.per_rule[static_cast<std::size_t>(l::rule_id::seq_rcpt_before_mail)], 1u) << l::to_text(r, "x");
  const auto is_rule = [](const l::finding& f) { return f.rule == l::rule_id::seq_rcpt_before_mail; };
  const auto it = std::find_if(r.findings.begin(), r.findings.end(), is_rule);
  ASSERT_NE(it, r.findings.end());
  EXPECT_EQ(it->line, 8u);
  EXPECT_EQ(it->message, "server accepted RCPT with no mail transaction open");
  EXPECT_EQ(it->at_fault, l::side::server);  // an "either" rule: the server's octets
  const auto c = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\nC: RCPT TO:<b@mx.example>\nS: 503 no\n");
  ASSERT_EQ(c.findings.size(), 1u) << l::to_text(c, "x");
  EXPECT_EQ(c.findings[0].at_fault, l::side::client);
}

TEST(LintEngine, MaxFindingsCountsTheRest) {
  std::string s = "S: 220 mx\n";
  for (int k = 0; k < 50; ++k) s += "C: FOO\nS: 500 unknown\n";
  l::lint_options o;
  o.max_findings = 10;
  const auto r = lint_text(s, o);
  EXPECT_EQ(r.findings.size(), 10u);
  EXPECT_EQ(r.dropped, 40u);
  EXPECT_EQ(r.per_rule[static_cast<std::size_t>(l::rule_id::syn_verb)], 50u);
}

TEST(LintEngine, ConnectionsAreSeparate) {
  // A raw capture with two connections: the second one's MAIL is not nested in the first's.
  const auto h = [](std::string_view s) {
    static const char* x = "0123456789abcdef";
    std::string o;
    for (unsigned char c : s) {
      o.push_back(x[c >> 4]);
      o.push_back(x[c & 15]);
    }
    return o;
  };
  std::string conn = "S " + h("220 mx\r\n") + "\nC " + h("HELO c\r\n") + "\nS " + h("250 mx\r\n") + "\nC " +
                     h("MAIL FROM:<a@c.example>\r\n") + "\nS " + h("250 ok\r\n") + "\n";
  const auto tr = t::read("#smtpspec-raw 1\n" + conn + "O\n" + conn);
  const auto r = l::lint(tr);
  EXPECT_EQ(r.per_rule[static_cast<std::size_t>(l::rule_id::seq_mail_nested)], 0u) << l::to_text(r, "raw");
}

// Streaming: events fed one at a time through a reader in small chunks give the same report.
TEST(LintEngine, StreamingMatchesWhole) {
  for (const auto& e : fs::directory_iterator(SMTPSPEC_LINT_CASES)) {
    const auto text = slurp(e.path());
    const auto whole = l::lint(t::read(text));
    t::reader rd;
    l::linter lt;
    for (std::size_t i = 0; i < text.size(); i += 7) {
      rd.feed(std::string_view(text).substr(i, 7));
      lt.set_format(rd.current_format());
      for (const auto& ev : rd.events()) lt.feed(ev);
      rd.clear();
    }
    rd.finish();
    lt.set_format(rd.current_format());
    for (const auto& ev : rd.events()) lt.feed(ev);
    lt.finish();
    EXPECT_EQ(l::to_json(lt.result()), l::to_json(whole)) << e.path();
  }
}

// The remaining rules' edges: what each must not report.
TEST(LintEngine, RuleEdgesThatAreNotFindings) {
  const auto count = [](const l::report& r, l::rule_id id) { return hits(r, id); };
  // QUIT with an argument is a syntax error: 501 is the right answer, not 221.
  auto r = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\nC: QUIT now\nS: 501 5.5.4 no argument\n");
  EXPECT_EQ(count(r, l::rule_id::quit_221_close), 0u);
  r = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\nC: QUIT\nS: 250 bye\n");
  EXPECT_EQ(r.per_rule[static_cast<std::size_t>(l::rule_id::quit_221_close)], 1u);
  // An unadvertised extension's parameter may be implemented anyway: its 501 is not PARAM-UNKNOWN-555.
  r = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\nC: MAIL FROM:<a@c.example> SIZE=10\nS: 501 bad\n"
                "C: QUIT\nS: 221 bye\n");
  EXPECT_EQ(count(r, l::rule_id::param_unknown_555), 0u);
  // A 220 to STARTTLS starts TLS also in a transcript without TLS markers.
  r = lint_text("S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250 STARTTLS\nC: STARTTLS\nS: 220 go\nC: EHLO c\n"
                "S: 250-mx\nS: 250 AUTH PLAIN\nC: AUTH PLAIN AGEAYg==\nS: 235 ok\nC: QUIT\nS: 221 bye\n");
  EXPECT_EQ(count(r, l::rule_id::auth_plaintext_no_tls), 0u);
  // A transcript starting mid-session may be inside TLS already: cannot decide.
  r = lint_text("C: EHLO c\nS: 250-mx\nS: 250 AUTH PLAIN\nC: AUTH PLAIN AGEAYg==\nS: 235 ok\n");
  EXPECT_EQ(r.per_rule[static_cast<std::size_t>(l::rule_id::auth_plaintext_no_tls)], 0u);
  EXPECT_EQ(r.undecidable[static_cast<std::size_t>(l::rule_id::auth_plaintext_no_tls)], 1u);
  // No QUIT: who closed is unknown (QUIT-*-CLOSE undecidable); a 421 explains the close.
  r = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\n");
  EXPECT_EQ(r.undecidable[static_cast<std::size_t>(l::rule_id::quit_client_close)], 1u);
  EXPECT_EQ(r.per_rule[static_cast<std::size_t>(l::rule_id::quit_client_close)], 0u);
  r = lint_text("S: 220 mx\nC: EHLO c\nS: 421 4.7.0 closing\n");
  EXPECT_EQ(count(r, l::rule_id::quit_client_close), 0u);
  EXPECT_EQ(count(r, l::rule_id::code_421_close), 0u);
  // A reply to an earlier pipelined command arriving mid-chunk says nothing about the chunk's size.
  r = lint_text("S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250-PIPELINING\nS: 250 CHUNKING\n"
                "C: MAIL FROM:<a@c.example>\nC: RCPT TO:<b@mx.example>\nC: BDAT 7 LAST\nC: he\\x6c\n"
                "S: 250 ok\\r\\n\nS: 250 ok\\r\\n\nC: lo\\r\\n\nS: 250 queued\\r\\n\nC: QUIT\nS: 221 bye\n");
  EXPECT_EQ(count(r, l::rule_id::syn_verb), 0u) << l::to_text(r, "x");  // the chunk was framed by count
  EXPECT_EQ(count(r, l::rule_id::bdat_size_exact), 0u) << l::to_text(r, "x");
}

// Issue 7: a known mechanism with a non-base64 initial response is AUTH-BASE64, not SYN-VERB; an
// unknown verb still is SYN-VERB.
TEST(LintEngine, AuthInitialResponseNotBase64IsAuthBase64) {
  const auto r = lint_text("S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250 AUTH PLAIN\n"
                           "C: AUTH PLAIN ****not-base64****\nS: 501 5.5.2 bad\nC: QUIT\nS: 221 bye\n");
  EXPECT_EQ(hits(r, l::rule_id::auth_base64), 1u) << l::to_text(r, "auth");
  EXPECT_EQ(hits(r, l::rule_id::syn_verb), 0u) << l::to_text(r, "auth");
  const auto u = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\nC: FROB x\nS: 500 no\nC: QUIT\nS: 221 bye\n");
  EXPECT_EQ(hits(u, l::rule_id::syn_verb), 1u) << l::to_text(u, "verb");
}

// Issue 7: RFC 2920 §4 example 4 -- 354 after every RCPT was refused, 554 after the data -- is the
// server's right (RFC 5321 §3.3 "MAY"); the client's DATA with no RCPT at all is still flagged.
TEST(LintEngine, DataAcceptedWithNoRecipientIsNotTheServers) {
  const auto r = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n"
                           "C: RCPT TO:<b@c.example>\nS: 550 no\nC: DATA\nS: 354 go\nC: .\nS: 554 none\n"
                           "C: QUIT\nS: 221 bye\n");
  EXPECT_EQ(hits(r, l::rule_id::seq_data_no_rcpt), 0u) << l::to_text(r, "ex4");
  const auto c = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n"
                           "C: DATA\nS: 503 no\nC: QUIT\nS: 221 bye\n");
  EXPECT_EQ(hits(c, l::rule_id::seq_data_no_rcpt), 1u) << l::to_text(c, "client");
}

// Issue 7: BODY=BINARYMIME is BINARYMIME's parameter (RFC 3030 §3), advertised without 8BITMIME in
// RFC 3030 §4.2; BODY=8BITMIME there is still unadvertised.
TEST(LintEngine, BodyBinarymimeNeedsOnlyBinarymime) {
  const std::string ehlo = "S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250-BINARYMIME\nS: 250 CHUNKING\n";
  const auto r = lint_text(ehlo + "C: MAIL FROM:<a@c.example> BODY=BINARYMIME\nS: 250 ok\n");
  EXPECT_EQ(hits(r, l::rule_id::param_unadvertised), 0u) << l::to_text(r, "binarymime");
  const auto e = lint_text(ehlo + "C: MAIL FROM:<a@c.example> BODY=8BITMIME\nS: 250 ok\n");
  EXPECT_EQ(hits(e, l::rule_id::param_unadvertised), 1u) << l::to_text(e, "8bitmime");
}

// Issue 7: BURL (RFC 4468 §3.4), advertised, is not judged: no SYN-VERB, and a second MAIL after a
// failed BURL … LAST is not nested. Unadvertised, or an unregistered word, it is still SYN-VERB.
TEST(LintEngine, AdvertisedExtensionVerbIsNotJudged) {
  const std::string tx = "C: MAIL FROM:<a@c.example>\nS: 250 ok\nC: RCPT TO:<b@c.example>\nS: 250 ok\n"
                         "C: BURL imap://x.example/y LAST\nS: 554 failed\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n";
  const auto r = lint_text("S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250 BURL imap\n" + tx);
  EXPECT_EQ(hits(r, l::rule_id::syn_verb), 0u) << l::to_text(r, "burl");
  EXPECT_EQ(hits(r, l::rule_id::seq_mail_nested), 0u) << l::to_text(r, "burl");
  const auto u = lint_text("S: 220 mx\nC: EHLO c\nS: 250 mx\n" + tx);
  EXPECT_EQ(hits(u, l::rule_id::syn_verb), 1u) << l::to_text(u, "unadvertised");
}

// Issue 7: the server-side sequencing rules ask the library's own server_session (src/lint_model.hpp)
// what a correct server answers; each server half is found on the server's reply, the client half
// (where the rule has one) on the client's line.
std::size_t side_hits(const l::report& r, l::rule_id id, l::side s) {
  return static_cast<std::size_t>(std::count_if(r.findings.begin(), r.findings.end(), [&](const l::finding& f) {
    return f.rule == id && f.at_fault == s && f.kind == l::finding_kind::decided;
  }));
}

TEST(LintSession, ServerHalvesComeFromTheSession) {
  const std::string hello = "S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250-CHUNKING\nS: 250 AUTH PLAIN\n";
  const std::string mail = "C: MAIL FROM:<a@c.example>\nS: 250 ok\n";
  const std::string rcpt = "C: RCPT TO:<b@c.example>\nS: 250 ok\n";
  // MAIL inside an open transaction, accepted: the client sent it, the server had to refuse it.
  auto r = lint_text(hello + mail + mail);
  EXPECT_EQ(side_hits(r, l::rule_id::seq_mail_nested, l::side::client), 1u) << l::to_text(r, "nested");
  EXPECT_EQ(side_hits(r, l::rule_id::seq_mail_nested, l::side::server), 1u) << l::to_text(r, "nested");
  // Refused as it must be: only the client's.
  r = lint_text(hello + mail + "C: MAIL FROM:<a@c.example>\nS: 503 nested\n");
  EXPECT_EQ(side_hits(r, l::rule_id::seq_mail_nested, l::side::server), 0u) << l::to_text(r, "refused");
  // AUTH in a transaction, accepted (aiosmtpd 1.4 does this).
  r = lint_text(hello + mail + "C: AUTH PLAIN AGJvYgBwdw==\nS: 235 ok\n");
  EXPECT_EQ(side_hits(r, l::rule_id::auth_in_transaction, l::side::server), 1u) << l::to_text(r, "auth");
  EXPECT_EQ(side_hits(r, l::rule_id::auth_in_transaction, l::side::client), 1u) << l::to_text(r, "auth");
  // DATA after BDAT, and BDAT after LAST, accepted.
  r = lint_text(hello + mail + rcpt + "C: BDAT 5\nC: abc\nS: 250 ok\nC: DATA\nS: 354 go\nC: .\nS: 250 ok\n");
  EXPECT_EQ(side_hits(r, l::rule_id::bdat_mix_data, l::side::server), 1u) << l::to_text(r, "mix");
  r = lint_text(hello + mail + rcpt + "C: BDAT 5 LAST\nC: abc\nS: 250 ok\nC: BDAT 5 LAST\nC: abc\nS: 250 ok\n");
  EXPECT_EQ(side_hits(r, l::rule_id::bdat_after_last, l::side::server), 1u) << l::to_text(r, "last");
  EXPECT_EQ(side_hits(r, l::rule_id::bdat_after_last, l::side::client), 1u) << l::to_text(r, "last");
  // The session answers RSET, NOOP and QUIT itself: 250, 250, 221.
  r = lint_text(hello + "C: RSET\nS: 252 hm\nC: NOOP\nS: 502 no\nC: QUIT\nS: 250 bye\n");
  EXPECT_EQ(hits(r, l::rule_id::seq_rset_250), 1u) << l::to_text(r, "fixed");
  EXPECT_EQ(hits(r, l::rule_id::seq_noop_250), 1u) << l::to_text(r, "fixed");
  EXPECT_EQ(hits(r, l::rule_id::quit_221_close), 1u) << l::to_text(r, "fixed");
  // "RSET x" is a syntax error: 501 is right.
  r = lint_text(hello + "C: RSET x\nS: 501 syntax\n");
  EXPECT_EQ(hits(r, l::rule_id::seq_rset_250), 0u) << l::to_text(r, "rset x");
}

// The session follows the recorded server's policy decisions: RCPT accepted after a refused MAIL is a
// finding (the client's, who saw the refusal; the server's when pipelined: RcptAcceptedAfterRefusedMail…),
// after an accepted one it is not; after STARTTLS it starts over (RFC 3207 §4.2).
TEST(LintSession, FollowsTheRecordedServer) {
  const std::string hello = "S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250 STARTTLS\n";
  auto r = lint_text(hello + "C: MAIL FROM:<a@c.example>\nS: 550 no\nC: RCPT TO:<b@c.example>\nS: 250 ok\n");
  EXPECT_EQ(side_hits(r, l::rule_id::seq_rcpt_before_mail, l::side::client), 1u) << l::to_text(r, "refused");
  EXPECT_EQ(side_hits(r, l::rule_id::seq_rcpt_before_mail, l::side::server), 0u) << l::to_text(r, "refused");
  r = lint_text(hello + "C: MAIL FROM:<a@c.example>\nS: 250 ok\nC: RCPT TO:<b@c.example>\nS: 250 ok\n");
  EXPECT_EQ(hits(r, l::rule_id::seq_rcpt_before_mail), 0u) << l::to_text(r, "accepted");
  r = lint_text(hello + "C: STARTTLS\nS: 220 go\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n");
  EXPECT_EQ(hits(r, l::rule_id::tls_reset_state), 1u) << l::to_text(r, "tls");
  r = lint_text(hello + "C: STARTTLS\nS: 220 go\nC: EHLO c\nS: 250 mx\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n");
  EXPECT_EQ(hits(r, l::rule_id::tls_reset_state), 0u) << l::to_text(r, "tls ehlo");
  // An excerpt (no greeting): what came before is unknown, so RCPT without a MAIL is not the server's.
  r = lint_text("C: RCPT TO:<b@c.example>\nS: 250 ok\nC: RSET\nS: 250 ok\n");
  EXPECT_EQ(side_hits(r, l::rule_id::seq_rcpt_before_mail, l::side::server), 0u) << l::to_text(r, "excerpt");
}

// A Postfix debug_peer log does not log the message: the reply after 354 answers the end of data the
// log leaves out (not REPLY-UNSOLICITED), DATA-EOD cannot be decided, and the QUIT after it is a command.
TEST(LintSession, DataLeftOutOfTheLogEndsAtTheNextReply) {
  std::string log;
  const auto line = [&](char dir, const std::string& text) {
    log += "Nov 22 09:53:05 mx postfix/smtpd[9210]: " + std::string(1, dir) + " unknown[127.0.0.1]: " + text + "\n";
  };
  line('>', "220 mx.example ESMTP Postfix");
  line('<', "EHLO c.example");
  line('>', "250-mx.example");
  line('>', "250 PIPELINING");
  line('<', "MAIL FROM:<a@c.example>");
  line('>', "250 2.1.0 Ok");
  line('<', "RCPT TO:<b@mx.example>");
  line('>', "250 2.1.5 Ok");
  line('<', "DATA");
  line('>', "354 End data with <CR><LF>.<CR><LF>");
  line('>', "250 2.0.0 Ok: queued as 51BA5118056");
  line('<', "MAIL FROM:<a@c.example>");
  line('>', "250 2.1.0 Ok");
  line('<', "MAIL FROM:<a@c.example>");
  line('>', "250 2.1.0 Ok");
  line('<', "QUIT");
  line('>', "221 2.0.0 Bye");
  const auto tr = t::read(log);
  ASSERT_EQ(tr.fmt, t::format::postfix_debug);
  const auto r = l::lint(tr, {});
  EXPECT_EQ(hits(r, l::rule_id::reply_unsolicited), 0u) << l::to_text(r, "log");
  EXPECT_EQ(r.undecidable[static_cast<std::size_t>(l::rule_id::data_eod)], 1u) << l::to_text(r, "log");
  EXPECT_EQ(hits(r, l::rule_id::quit_client_close), 0u) << l::to_text(r, "log");
  // The reference server followed past the message: the nested MAIL after it is still judged.
  EXPECT_EQ(side_hits(r, l::rule_id::seq_mail_nested, l::side::server), 1u) << l::to_text(r, "log");
}

// LMTP (RFC 2033): the reference server is an LMTP session, so it stays in step across the
// per-recipient replies and still judges what follows them.
TEST(LintSession, Lmtp) {
  const std::string lmtp =
      "S: 220 mx LMTP\nC: LHLO c.example\nS: 250 mx\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n"
      "C: RCPT TO:<b@mx.example>\nS: 250 ok\nC: RCPT TO:<c@mx.example>\nS: 250 ok\nC: DATA\nS: 354 go\n"
      "C: hi\nC: .\nS: 250 ok b\nS: 452 full c\nC: RSET\nS: 252 hm\nC: MAIL FROM:<a@c.example>\nS: 250 ok\n"
      "C: MAIL FROM:<a@c.example>\nS: 250 ok\nC: QUIT\nS: 221 bye\n";
  l::lint_options o;
  o.lmtp = true;
  const auto r = lint_text(lmtp, o);
  EXPECT_EQ(hits(r, l::rule_id::reply_after_data_one), 0u) << l::to_text(r, "lmtp");
  EXPECT_EQ(hits(r, l::rule_id::seq_rset_250), 1u) << l::to_text(r, "lmtp");
  EXPECT_EQ(side_hits(r, l::rule_id::seq_mail_nested, l::side::server), 1u) << l::to_text(r, "lmtp");
}

// RESPONSE-TEXT-ONLY-CODE: only a client that read a 2xx whose text reads as a failure and then
// retried or gave up the transaction; pipelined commands sent before the reply are no reaction.
TEST(LintEngine, ResponseTextOnlyCodeNeedsAReaction) {
  const std::string hello = "S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250 PIPELINING\nC: MAIL FROM:<a@c.example>\n";
  auto r = lint_text(hello + "S: 250 ok, but a lookup error was logged\nC: RSET\nS: 250 ok\n");
  EXPECT_EQ(hits(r, l::rule_id::response_text_only_code), 1u) << l::to_text(r, "rset");
  r = lint_text(hello + "S: 250 ok, but a lookup error was logged\nC: RCPT TO:<b@c.example>\nS: 250 ok\n");
  EXPECT_EQ(hits(r, l::rule_id::response_text_only_code), 0u) << l::to_text(r, "went on");
  r = lint_text(hello + "S: 250 sender ok\nC: RSET\nS: 250 ok\n");
  EXPECT_EQ(hits(r, l::rule_id::response_text_only_code), 0u) << l::to_text(r, "plain text");
  r = lint_text(hello + "C: RSET\nS: 250 ok, but an error was logged\nS: 250 ok\n");
  EXPECT_EQ(hits(r, l::rule_id::response_text_only_code), 0u) << l::to_text(r, "pipelined");
}

namespace {
long max_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// Reads `block` `times` times through a streaming reader into one linter, as `smtpspec lint` does.
l::report stream(const std::string& head, const std::string& block, std::size_t times) {
  t::options o;
  o.fmt = t::format::rfc;
  t::reader rd(o);
  l::linter lt({}, o.fmt);
  const auto drain = [&] {
    for (const auto& e : rd.events()) lt.feed(e);
    rd.clear();
  };
  rd.feed(head);
  for (std::size_t i = 0; i < times; ++i) {
    rd.feed(block);
    drain();
  }
  rd.finish();
  drain();
  lt.finish();
  return lt.take();
}
}  // namespace

// Issue 7 "1 GB inputs (streamed, bounded memory)": one endless connection -- the linter, its reference
// server and the reader keep only what is in flight. 100 MB of transactions, then 50 MB of a client
// pipelining with no reply ever coming.
TEST(LintMemory, OneEndlessConnectionStaysBounded) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan's quarantine keeps freed blocks: memory is measured in the plain build";
#endif
  const std::string head = "S: 220 mx\nC: EHLO c\nS: 250-mx\nS: 250-PIPELINING\nS: 250 SIZE 1000000\n";
  std::string tx = "C: MAIL FROM:<a@c.example>\nS: 250 ok\nC: RCPT TO:<b@mx.example>\nS: 250 ok\n"
                   "C: DATA\nS: 354 go\n";
  for (int i = 0; i < 20; ++i) tx += "C: a line of message text, long enough to matter\n";
  tx += "C: .\nS: 250 queued\nC: NOOP\nS: 250 ok\n";
  std::string block;
  while (block.size() < (1u << 16)) block += tx;
  const long before = max_rss_kb();
  const auto r = stream(head, block, 100u * 1000 * 1000 / block.size());
  EXPECT_EQ(r.connections, 1u);
  EXPECT_FALSE(r.has_errors()) << l::to_text(r, "tx");
  std::string noreply;
  while (noreply.size() < (1u << 16)) noreply += "C: MAIL FROM:<a@c.example>\nC: RCPT TO:<b@mx.example>\n";
  const auto q = stream(head, noreply, 50u * 1000 * 1000 / noreply.size());
  EXPECT_GT(q.findings.size(), 0u);  // nested MAILs, unanswered commands
  const long grown_kb = max_rss_kb() - before;
  EXPECT_LT(grown_kb, 64 * 1024) << "max RSS grew by " << grown_kb << " KiB";
}

TEST(LintBadInput, NeverCrashes) {
  std::string junk;
  for (int k = 0; k < 5000; ++k) junk.push_back(static_cast<char>((k * 7919) & 0xff));
  const std::string inputs[] = {
      "", junk, "S: 220 mx\nC: DATA\nS: 354 go\nC: unterminated data\n",  // ends mid-DATA
      "C: BDAT 99999999999999999999 LAST\n", "C: BDAT 100\nC: x\n", "S: 250-a\nS: 250-b\n",
      "S: 220 mx\nC: AUTH PLAIN\nS: 334 \nC: " + std::string(20000, 'A') + "\n",
      "C: \\x00\\x00\\r\\r\\n\\n.\\n\nS: \\x00\\xff\\r\\n\n",
  };
  std::string many = "S: 220 mx\n";  // a client that never waits: the pending queue stays bounded
  for (int k = 0; k < 20000; ++k) many += "C: NOOP\n";
  const auto rm = lint_text(many);
  EXPECT_EQ(rm.undecidable[static_cast<std::size_t>(l::rule_id::reply_missing)], 4096u);
  for (const auto& in : inputs) {
    const auto r = lint_text(in);
    EXPECT_FALSE(l::to_text(r, "x").empty());
    EXPECT_TRUE(nlohmann::json::accept(l::to_json(r))) << in.substr(0, 80);
  }
}

TEST(LintWriters, JsonIsCanonicalAndComplete) {
  const auto r = lint_text(with_rcpt_reply("250 ok"));
  const auto j = nlohmann::json::parse(l::to_json(r));
  EXPECT_EQ(j["format"], "rfc");
  EXPECT_EQ(j["capabilities"]["octets"], "lines");
  EXPECT_EQ(j["counts"]["error"], 1);
  EXPECT_EQ(j["rules"]["ESC-MISSING"], 1);
  ASSERT_EQ(j["findings"].size(), 1u);
  const auto& f = j["findings"][0];
  EXPECT_EQ(f["rule"], "ESC-MISSING");
  EXPECT_EQ(f["side"], "server");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["line"], 9);
  EXPECT_EQ(f["octets"], "250 ok\\r\\n");
  EXPECT_EQ(f["rfc"], "RFC 2034");
  EXPECT_EQ(f["section"], "§4");
  EXPECT_EQ(f["url"], "https://www.rfc-editor.org/rfc/rfc2034#section-4");
  EXPECT_EQ(f["quote"], std::string(l::info(l::rule_id::esc_missing).quote));
}

TEST(LintWriters, TextIsGccStyle) {
  const auto r = lint_text(with_rcpt_reply("250 ok"));
  const auto s = l::to_text(r, "f.txt");
  EXPECT_EQ(s.rfind("f.txt:9: error: ESC-MISSING [server] ", 0), 0u) << s;
  EXPECT_NE(s.find("\n    RFC 2034 §4: \"These codes must appear"), std::string::npos);
  EXPECT_NE(s.find("f.txt: 1 error(s), 0 warning(s), 0 info, 0 cannot decide\n"), std::string::npos);
}

TEST(LintWriters, JunitOneSuitePerFileOneCasePerRule) {
  l::lint_options o;
  o.ignore = {"RESPONSE-TEXT-ONLY-CODE"};
  const auto bad = lint_text(with_rcpt_reply("250 ok"), o);
  const auto good = lint_text(clean, o);
  const l::named_report nr[] = {{"bad.txt", &bad}, {"good.txt", &good}};
  const auto x = l::to_junit(nr);
  EXPECT_EQ(x.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0), 0u);
  std::size_t ran = 0;
  for (bool b : bad.ran) ran += b;
  EXPECT_NE(x.find("<testsuite name=\"bad.txt\" tests=\"" + std::to_string(ran) + "\" failures=\"1\""),
            std::string::npos);
  EXPECT_NE(x.find("<testsuite name=\"good.txt\" tests=\"" + std::to_string(ran) + "\" failures=\"0\""),
            std::string::npos);
  EXPECT_NE(x.find("<testcase classname=\"bad.txt\" name=\"ESC-MISSING\">\n      <failure type=\"error\""),
            std::string::npos);
  // Not run (--ignore): not a testcase; run and clean: a passing one.
  EXPECT_EQ(x.find("name=\"RESPONSE-TEXT-ONLY-CODE\""), std::string::npos);
  EXPECT_NE(x.find("<testcase classname=\"good.txt\" name=\"ESC-MISSING\""), std::string::npos);
}

// SARIF 2.1.0: the required properties of the schema (sarifLog: version, runs; run: tool; tool: driver;
// toolComponent: name; reportingDescriptor: id; result: message; message: text; region startLine >= 1).
TEST(LintWriters, SarifHasTheRequiredProperties) {
  const auto bad = lint_text(with_rcpt_reply("250 ok"));
  const l::named_report nr[] = {{"dir/bad.txt", &bad}};
  const auto j = nlohmann::json::parse(l::to_sarif(nr));
  EXPECT_EQ(j["version"], "2.1.0");
  ASSERT_EQ(j["runs"].size(), 1u);
  const auto& run = j["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["name"], "smtpspec lint");
  const auto& rules = run["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), l::rule_catalogue().size());
  std::set<std::string> ids;
  for (const auto& r : rules) {
    ASSERT_TRUE(r.contains("id"));
    ids.insert(r["id"]);
    EXPECT_TRUE(r["helpUri"].get<std::string>().starts_with("https://www.rfc-editor.org/rfc/rfc"));
    const auto lv = r["defaultConfiguration"]["level"].get<std::string>();
    EXPECT_TRUE(lv == "error" || lv == "warning" || lv == "note");
  }
  EXPECT_EQ(ids.size(), rules.size());
  ASSERT_EQ(run["results"].size(), 1u);
  const auto& res = run["results"][0];
  EXPECT_EQ(res["ruleId"], "ESC-MISSING");
  EXPECT_EQ(rules[res["ruleIndex"].get<std::size_t>()]["id"], "ESC-MISSING");
  EXPECT_TRUE(res["message"]["text"].is_string());
  const auto& loc = res["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "dir/bad.txt");
  EXPECT_EQ(loc["region"]["startLine"], 9);
  EXPECT_GE(loc["region"]["byteOffset"].get<int>(), 0);
}
