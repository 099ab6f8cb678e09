// parse_command: RFC 5321 §4.1.1 commands, STARTTLS (RFC 3207), AUTH (RFC 4954), BDAT (RFC 3030),
// LHLO (RFC 2033).
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "gtest_helpers.hpp"

using namespace smtpspec;
using namespace smtpspec_test;

namespace {

result<command> strict_cmd(std::string_view in) { return parse_command(in, strict); }
result<command> lenient_cmd(std::string_view in) { return parse_command(in, lenient); }

// An argument that makes each verb valid (empty when it takes none).
std::string minimal_argument(verb v) {
  switch (v) {
    case verb::ehlo: case verb::helo: case verb::lhlo: return " example.com";
    case verb::mail: return " FROM:<a@b>";
    case verb::rcpt: return " TO:<a@b>";
    case verb::vrfy: case verb::expn: return " user";
    case verb::auth: return " PLAIN";
    case verb::bdat: return " 1";
    default: return "";
  }
}

}  // namespace

TEST(Command, EveryVerbParsesAndIsCaseInsensitive) {
  ASSERT_EQ(all_verbs().size(), 15u);
  for (verb v : all_verbs()) {
    const std::string name(to_string(v));
    std::string lower = name;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string mixed = lower;
    mixed[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[0])));
    for (const std::string& spelled : {name, lower, mixed}) {
      for (const std::string& line : {spelled + minimal_argument(v), spelled + minimal_argument(v) + "\r\n"}) {
        auto r = strict_cmd(line);
        ASSERT_TRUE(accepted(r, line));
        EXPECT_EQ(r->verb, v) << line;
        EXPECT_EQ(r->verb_text, spelled);
        EXPECT_TRUE(r.diags().empty()) << to_json(r);
      }
    }
  }
}

TEST(Command, VerbNames) {
  const char* names[] = {"EHLO", "HELO", "LHLO", "MAIL", "RCPT", "DATA", "RSET", "VRFY",
                         "EXPN", "HELP", "NOOP", "QUIT", "STARTTLS", "AUTH", "BDAT"};
  ASSERT_EQ(all_verbs().size(), std::size(names));
  for (std::size_t i = 0; i < std::size(names); ++i) {
    bool found = false;
    for (verb v : all_verbs()) found = found || to_string(v) == names[i];
    EXPECT_TRUE(found) << names[i];
  }
}

TEST(Command, UnrecognizedAndEmpty) {
  // §4.1.1: command codes are terminated by SP or CRLF, so "DATA2" is not DATA with an argument.
  for (auto in : {"FOO", "FOO bar", "MAILX FROM:<a@b>", "EHL0 x", "STARTTLSX", "X\r\n", "H", "DATA2"})
    EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::unrecognized_command));
  EXPECT_TRUE(rejected(strict_cmd(""), "", error_code::empty_input));
  EXPECT_TRUE(rejected(lenient_cmd(""), "", error_code::empty_input));
  // The JSON of an unknown verb has "verb":null.
  auto r = strict_cmd("FOO");
  EXPECT_NE(to_json(r).find("\"verb\":null"), std::string::npos) << to_json(r);
}

// ehlo = "EHLO" SP ( Domain / address-literal ); helo = "HELO" SP Domain (§4.1.1.1)
TEST(Command, EhloHeloLhlo) {
  for (auto in : {"EHLO example.com", "EHLO [192.0.2.1]", "EHLO [IPv6:2001:db8::1]", "LHLO example.com",
                  "LHLO [192.0.2.1]", "HELO example.com"}) {
    auto r = strict_cmd(in);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_EQ(r->domain.text, std::string_view(in).substr(5));
  }
  auto ipv6 = strict_cmd("EHLO [IPv6:2001:db8::1]");
  ASSERT_TRUE(ipv6.ok());
  EXPECT_EQ(ipv6->domain.kind, domain_kind::ipv6);
}

TEST(Command, HeloWithAddressLiteral) {
  EXPECT_TRUE(rejected(strict_cmd("HELO [192.0.2.1]"), "HELO [192.0.2.1]"));
  auto r = lenient_cmd("HELO [192.0.2.1]");
  ASSERT_TRUE(accepted(r, "HELO [192.0.2.1]"));
  EXPECT_EQ(r->domain.kind, domain_kind::ipv4);
  EXPECT_TRUE(only_diags(r, {diagnostic_id::helo_address_literal}));
}

TEST(Command, EhloInvalidDomain) {
  for (auto in : {"EHLO under_score.example", "HELO -bad-", "EHLO localhost.localdomain_", "EHLO 1.2.3.4:25"}) {
    EXPECT_TRUE(rejected(strict_cmd(in), in));
    auto r = lenient_cmd(in);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_TRUE(only_diags(r, {diagnostic_id::invalid_helo_domain}));
  }
}

TEST(Command, EhloMissingArgument) {
  for (auto in : {"EHLO", "HELO", "LHLO", "EHLO\r\n"}) {
    EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::missing_argument));
    EXPECT_TRUE(rejected(lenient_cmd(in), in, error_code::missing_argument));
  }
}

TEST(Command, EhloDomainLimits) {
  const std::string label = "EHLO " + std::string(limits{}.label + 1, 'a') + ".example";
  EXPECT_TRUE(rejected(strict_cmd(label), label, error_code::label_too_long));
}

// mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] (§4.1.1.2)
TEST(Command, Mail) {
  auto r = strict_cmd("MAIL FROM:<user@example.com>\r\n");
  ASSERT_TRUE(accepted(r, "MAIL FROM:<user@example.com>\r\n"));
  EXPECT_EQ(r->verb, verb::mail);
  EXPECT_EQ(r->path.kind, path_kind::mailbox);
  EXPECT_EQ(r->path.text, "<user@example.com>");
  EXPECT_EQ(r->path.mailbox.local_part, "user");
  EXPECT_TRUE(r->params.empty());

  auto lower = strict_cmd("mail from:<a@b>");
  ASSERT_TRUE(accepted(lower, "mail from:<a@b>"));
  EXPECT_EQ(lower->path.mailbox.text, "a@b");

  auto null = strict_cmd("MAIL FROM:<>");
  ASSERT_TRUE(accepted(null, "MAIL FROM:<>"));
  EXPECT_EQ(null->path.kind, path_kind::null);

  auto pm = strict_cmd("MAIL FROM:<Postmaster@example.com>");
  ASSERT_TRUE(accepted(pm, "MAIL FROM:<Postmaster@example.com>"));

  auto routed = strict_cmd("MAIL FROM:<@relay.example:user@example.com>");
  ASSERT_TRUE(accepted(routed, "MAIL FROM:<@relay.example:user@example.com>"));
  ASSERT_EQ(routed->path.source_route.size(), 1u);
  EXPECT_TRUE(only_diags(routed, {diagnostic_id::source_route_ignored}));
}

TEST(Command, MailPostmasterWithoutDomain) {
  EXPECT_TRUE(rejected(strict_cmd("MAIL FROM:<Postmaster>"), "MAIL FROM:<Postmaster>",
                       error_code::postmaster_not_allowed));
}

TEST(Command, MailBadSender) {
  for (auto in : {"MAIL FROM:<a@@b>", "MAIL FROM:<a@b", "MAIL FROM:<a b@c>", "MAIL FROM:<@>", "MAIL FROM:<a@-b>"}) {
    auto r = strict_cmd(in);
    ASSERT_TRUE(rejected(r, in, error_code::bad_sender_syntax));
    EXPECT_EQ(r.error().reply, info(error_code::bad_sender_syntax).reply);
    EXPECT_EQ(r.error().reply.substr(0, 9), "553 5.1.7");  // RFC 3463 X.1.7 bad sender address syntax
  }
}

TEST(Command, MailMissingArgument) {
  for (auto in : {"MAIL", "MAIL\r\n"}) EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::missing_argument));
  for (auto in : {"MAIL FROM", "MAIL FROM:", "MAIL TO:<a@b>", "MAIL <a@b>"}) EXPECT_TRUE(rejected(strict_cmd(in), in));
}

// rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) [SP Rcpt-parameters]
TEST(Command, Rcpt) {
  auto r = strict_cmd("RCPT TO:<user@example.com>");
  ASSERT_TRUE(accepted(r, "RCPT TO:<user@example.com>"));
  EXPECT_EQ(r->verb, verb::rcpt);
  EXPECT_EQ(r->path.kind, path_kind::mailbox);

  auto pm = strict_cmd("RCPT TO:<Postmaster>");
  ASSERT_TRUE(accepted(pm, "RCPT TO:<Postmaster>"));
  EXPECT_EQ(pm->path.kind, path_kind::postmaster);

  auto pmd = strict_cmd("rcpt to:<POSTMASTER@example.com>");
  ASSERT_TRUE(accepted(pmd, "rcpt to:<POSTMASTER@example.com>"));
  EXPECT_EQ(pmd->path.kind, path_kind::postmaster_at_domain);
  EXPECT_EQ(pmd->path.mailbox.domain.text, "example.com");
}

TEST(Command, RcptNullPath) {
  EXPECT_TRUE(rejected(strict_cmd("RCPT TO:<>"), "RCPT TO:<>", error_code::null_path_not_allowed));
  EXPECT_TRUE(rejected(lenient_cmd("RCPT TO:<>"), "RCPT TO:<>", error_code::null_path_not_allowed));
}

TEST(Command, RcptBadRecipient) {
  for (auto in : {"RCPT TO:<a@@b>", "RCPT TO:<a@b", "RCPT TO:<a..b@c>", "RCPT TO:<a@b_c>"}) {
    auto r = strict_cmd(in);
    ASSERT_TRUE(rejected(r, in, error_code::bad_recipient_syntax));
    EXPECT_EQ(r.error().reply.substr(0, 9), "553 5.1.3");  // RFC 3463 X.1.3 bad destination syntax
  }
}

TEST(Command, MoreSpecificPathErrorsWin) {
  const std::string local(limits{}.local_part + 1, 'l');
  const std::string mail = "MAIL FROM:<" + local + "@example.com>";
  const std::string rcpt = "RCPT TO:<" + local + "@example.com>";
  EXPECT_TRUE(rejected(strict_cmd(mail), mail, error_code::local_part_too_long));
  EXPECT_TRUE(rejected(strict_cmd(rcpt), rcpt, error_code::local_part_too_long));
  EXPECT_TRUE(rejected(strict_cmd("RCPT TO:<a@[1.2.3.999]>"), "RCPT TO:<a@[1.2.3.999]>",
                       error_code::snum_out_of_range));
  EXPECT_TRUE(rejected(strict_cmd("MAIL FROM:<a@[IPv6:1::2::3]>"), "MAIL FROM:<a@[IPv6:1::2::3]>",
                       error_code::invalid_ipv6_literal));
}

TEST(Command, PathLimitInCommands) {
  const std::string local(limits{}.local_part, 'l');
  const std::string at = "<" + local + "@" + make_domain(limits{}.path - local.size() - 3) + ">";
  const std::string over = "<" + local + "@" + make_domain(limits{}.path - local.size() - 2) + ">";
  for (const std::string head : {"MAIL FROM:", "RCPT TO:"}) {
    const std::string ok_line = head + at, long_line = head + over;
    EXPECT_TRUE(accepted(strict_cmd(ok_line), ok_line));
    EXPECT_TRUE(rejected(strict_cmd(long_line), long_line, error_code::path_too_long));
  }
}

// esmtp-param = esmtp-keyword ["=" esmtp-value]; esmtp-value = 1*(%d33-60 / %d62-126)
TEST(Command, Params) {
  const std::string_view in = "MAIL FROM:<a@b> SIZE=1000 BODY=8BITMIME SMTPUTF8 ENVID=x+2Bid RET=HDRS";
  auto r = strict_cmd(in);
  ASSERT_TRUE(accepted(r, in));
  ASSERT_EQ(r->params.size(), 5u);
  EXPECT_EQ(r->params[0].keyword, "SIZE");
  EXPECT_EQ(r->params[0].value, "1000");
  EXPECT_TRUE(r->params[0].has_value);
  EXPECT_EQ(r->params[1].keyword, "BODY");
  EXPECT_EQ(r->params[1].value, "8BITMIME");
  EXPECT_EQ(r->params[2].keyword, "SMTPUTF8");
  EXPECT_FALSE(r->params[2].has_value);
  EXPECT_EQ(r->params[3].value, "x+2Bid");
  EXPECT_EQ(r->params[4].keyword, "RET");

  auto rc = strict_cmd("RCPT TO:<a@b> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b");
  ASSERT_TRUE(accepted(rc, "RCPT TO:<a@b> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@b"));
  ASSERT_EQ(rc->params.size(), 2u);
  EXPECT_EQ(rc->params[1].value, "rfc822;a@b");

  auto nullp = strict_cmd("MAIL FROM:<> X-1=~!");
  ASSERT_TRUE(accepted(nullp, "MAIL FROM:<> X-1=~!"));
  EXPECT_EQ(nullp->params[0].keyword, "X-1");
}

TEST(Command, InvalidParams) {
  for (auto in : {"MAIL FROM:<a@b> -X=1", "MAIL FROM:<a@b> X=", "MAIL FROM:<a@b> X=a=b", "MAIL FROM:<a@b> =1",
                  "MAIL FROM:<a@b> X_Y=1", "RCPT TO:<a@b> X=\x7f", "RCPT TO:<a@b> X=1 =2"}) {
    EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::invalid_parameter));
  }
  // A parameter glued to the path is no parameter.
  EXPECT_TRUE(rejected(strict_cmd("MAIL FROM:<a@b>SIZE=1"), "MAIL FROM:<a@b>SIZE=1"));
}

TEST(Command, DuplicateParameter) {
  const std::string_view in = "MAIL FROM:<a@b> SIZE=1 SIZE=2";
  EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::duplicate_parameter));
  auto r = lenient_cmd(in);
  ASSERT_TRUE(accepted(r, in));
  EXPECT_EQ(r->params.size(), 2u);
  EXPECT_TRUE(only_diags(r, {diagnostic_id::duplicate_parameter}));
}

// ESMTP keywords are case-insensitive (§2.4), so "size" repeats "SIZE".
TEST(Command, DuplicateParameterIgnoresCase) {
  const std::string_view in = "RCPT TO:<a@b> NOTIFY=NEVER notify=NEVER";
  EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::duplicate_parameter));
}

TEST(Command, NoArgumentVerbs) {
  for (verb v : {verb::data, verb::rset, verb::quit, verb::starttls}) {
    const std::string name(to_string(v));
    const std::string line = name + "\r\n";
    auto r = strict_cmd(line);
    ASSERT_TRUE(accepted(r, line));
    EXPECT_EQ(r->verb, v);
    for (const std::string& in : {name + " x", name + " x\r\n", name + " <a@b>"}) {
      EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::unexpected_argument));
      EXPECT_TRUE(rejected(lenient_cmd(in), in, error_code::unexpected_argument));
    }
  }
}

// vrfy = "VRFY" SP String; expn = "EXPN" SP String; String = Atom / Quoted-string
TEST(Command, VrfyExpn) {
  for (const char* v : {"VRFY", "EXPN"}) {
    const std::string atom = std::string(v) + " user";
    auto r = strict_cmd(atom);
    ASSERT_TRUE(accepted(r, atom));
    EXPECT_TRUE(r->has_argument);
    EXPECT_EQ(r->argument, "user");

    const std::string quoted = std::string(v) + " \"John Smith\"";
    auto q = strict_cmd(quoted);
    ASSERT_TRUE(accepted(q, quoted));
    EXPECT_EQ(q->argument, "\"John Smith\"");

    EXPECT_TRUE(rejected(strict_cmd(v), v, error_code::missing_argument));
    const std::string two = std::string(v) + " John Smith";
    EXPECT_TRUE(rejected(strict_cmd(two), two));
    const std::string dotted = std::string(v) + " a.b";  // Atom, not Dot-string
    EXPECT_TRUE(rejected(strict_cmd(dotted), dotted));
  }
}

// help = "HELP" [ SP String ]; noop = "NOOP" [ SP String ]
TEST(Command, HelpNoop) {
  for (const char* v : {"HELP", "NOOP"}) {
    auto bare = strict_cmd(v);
    ASSERT_TRUE(accepted(bare, v));
    EXPECT_FALSE(bare->has_argument);
    EXPECT_NE(to_json(bare).find("\"argument\":null"), std::string::npos) << to_json(bare);
    const std::string with = std::string(v) + " MAIL";
    auto r = strict_cmd(with);
    ASSERT_TRUE(accepted(r, with));
    EXPECT_TRUE(r->has_argument);
    EXPECT_EQ(r->argument, "MAIL");
  }
}

// auth = "AUTH" SP sasl-mech [SP initial-response]; sasl-mech = 1*20(UPPER-ALPHA / DIGIT / "-" / "_")
TEST(Command, Auth) {
  auto r = strict_cmd("AUTH PLAIN");
  ASSERT_TRUE(accepted(r, "AUTH PLAIN"));
  EXPECT_EQ(r->mechanism, "PLAIN");
  EXPECT_FALSE(r->has_initial_response);

  auto ir = strict_cmd("AUTH PLAIN AHVzZXIAcGFzcw==\r\n");
  ASSERT_TRUE(accepted(ir, "AUTH PLAIN AHVzZXIAcGFzcw==\r\n"));
  EXPECT_TRUE(ir->has_initial_response);
  EXPECT_EQ(ir->initial_response, "AHVzZXIAcGFzcw==");

  auto empty = strict_cmd("AUTH EXTERNAL =");  // "=" is the empty initial response
  ASSERT_TRUE(accepted(empty, "AUTH EXTERNAL ="));
  EXPECT_EQ(empty->initial_response, "=");

  for (auto in : {"AUTH SCRAM-SHA-256", "AUTH X_Y-1", "AUTH CRAM-MD5", "AUTH PLAIN dGVzdA==", "AUTH PLAIN dGVzdDE=",
                  "AUTH PLAIN dGVzdDEy", "AUTH PLAIN +/+/"})
    EXPECT_TRUE(accepted(strict_cmd(in), in));
}

TEST(Command, AuthMechanismLength) {
  const std::string twenty = "AUTH " + std::string(20, 'M');
  const std::string twentyone = "AUTH " + std::string(21, 'M');
  EXPECT_TRUE(accepted(strict_cmd(twenty), twenty));
  EXPECT_TRUE(rejected(strict_cmd(twentyone), twentyone, error_code::invalid_mechanism));
  EXPECT_TRUE(rejected(lenient_cmd(twentyone), twentyone, error_code::invalid_mechanism));
}

TEST(Command, AuthBadMechanism) {
  for (auto in : {"AUTH PL@IN", "AUTH PLAIN.", "AUTH =", "AUTH PL+AIN"})
    EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::invalid_mechanism));
  EXPECT_TRUE(rejected(strict_cmd("AUTH"), "AUTH", error_code::missing_argument));
}

TEST(Command, AuthLowercaseMechanism) {
  EXPECT_TRUE(rejected(strict_cmd("AUTH plain"), "AUTH plain", error_code::invalid_mechanism));
  auto r = lenient_cmd("AUTH plain");
  ASSERT_TRUE(accepted(r, "AUTH plain"));
  EXPECT_EQ(r->mechanism, "plain");
  EXPECT_TRUE(only_diags(r, {diagnostic_id::lowercase_mechanism}));
}

TEST(Command, AuthBadInitialResponse) {
  for (auto in : {"AUTH PLAIN abc$", "AUTH PLAIN abc", "AUTH PLAIN dGVzdA=", "AUTH PLAIN ====", "AUTH PLAIN a===",
                  "AUTH PLAIN ab=c", "AUTH PLAIN =="})
    EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::invalid_initial_response));
}

// bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ]; chunk-size = 1*DIGIT; end-marker = "LAST"
TEST(Command, Bdat) {
  auto r = strict_cmd("BDAT 1000");
  ASSERT_TRUE(accepted(r, "BDAT 1000"));
  EXPECT_EQ(r->chunk_size, 1000u);
  EXPECT_FALSE(r->last);

  auto last = strict_cmd("BDAT 0 LAST\r\n");
  ASSERT_TRUE(accepted(last, "BDAT 0 LAST\r\n"));
  EXPECT_EQ(last->chunk_size, 0u);
  EXPECT_TRUE(last->last);

  auto lower = strict_cmd("bdat 007 last");  // ABNF literals are case-insensitive
  ASSERT_TRUE(accepted(lower, "bdat 007 last"));
  EXPECT_EQ(lower->chunk_size, 7u);
  EXPECT_TRUE(lower->last);
}

TEST(Command, BdatChunkSizeLimit) {
  auto max = strict_cmd("BDAT 9007199254740991 LAST");  // 2^53-1
  ASSERT_TRUE(accepted(max, "BDAT 9007199254740991 LAST"));
  EXPECT_EQ(max->chunk_size, 9007199254740991u);
  for (auto in : {"BDAT 9007199254740992", "BDAT 18446744073709551616", "BDAT 99999999999999999999999999999"})
    EXPECT_TRUE(rejected(strict_cmd(in), in, error_code::chunk_size_overflow));
}

TEST(Command, BdatMalformed) {
  EXPECT_TRUE(rejected(strict_cmd("BDAT"), "BDAT", error_code::missing_argument));
  for (auto in : {"BDAT x", "BDAT -1", "BDAT 1 FIRST", "BDAT 1 LAST x", "BDAT 1.5", "BDAT +1", "BDAT 1LAST"})
    EXPECT_TRUE(rejected(strict_cmd(in), in));
}

TEST(Command, Starttls) {
  auto r = strict_cmd("STARTTLS\r\n");
  ASSERT_TRUE(accepted(r, "STARTTLS\r\n"));
  EXPECT_EQ(r->verb, verb::starttls);
  EXPECT_NE(to_json(r).find("\"verb\":\"STARTTLS\""), std::string::npos);
}

TEST(Command, LenientSpaceAroundColon) {
  struct {
    const char* in;
    diagnostic_id id;
    std::size_t offset;
  } cases[] = {
      {"MAIL FROM: <a@b>", diagnostic_id::space_after_colon, 10},
      {"RCPT TO: <a@b>", diagnostic_id::space_after_colon, 8},
      {"MAIL FROM :<a@b>", diagnostic_id::space_before_colon, 9},
      {"RCPT TO :<a@b>", diagnostic_id::space_before_colon, 7},
  };
  for (const auto& c : cases) {
    EXPECT_TRUE(rejected(strict_cmd(c.in), c.in));
    auto r = lenient_cmd(c.in);
    ASSERT_TRUE(accepted(r, c.in));
    EXPECT_EQ(r->path.mailbox.text, "a@b");
    ASSERT_TRUE(only_diags(r, {c.id}));
    EXPECT_EQ(r.diags()[0].offset, c.offset) << c.in;
  }
}

TEST(Command, LenientMissingAngleBrackets) {
  for (auto in : {"MAIL FROM:a@b", "RCPT TO:a@b", "MAIL FROM:a@b SIZE=10"}) {
    EXPECT_TRUE(rejected(strict_cmd(in), in));
    auto r = lenient_cmd(in);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_EQ(r->path.mailbox.text, "a@b");
    EXPECT_TRUE(only_diags(r, {diagnostic_id::missing_angle_brackets}));
  }
  auto p = lenient_cmd("MAIL FROM:a@b SIZE=10");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->params.size(), 1u);
  EXPECT_EQ(p->params[0].keyword, "SIZE");
}

TEST(Command, LenientTrailingWhitespace) {
  struct {
    const char* in;
    std::size_t offset;
  } cases[] = {{"MAIL FROM:<a@b> ", 15}, {"RCPT TO:<a@b>\t\r\n", 13}, {"DATA ", 4}, {"QUIT  \r\n", 4},
               {"EHLO example.com ", 16}, {"NOOP\t", 4}};
  for (const auto& c : cases) {
    EXPECT_TRUE(rejected(strict_cmd(c.in), c.in));
    auto r = lenient_cmd(c.in);
    ASSERT_TRUE(accepted(r, c.in));
    ASSERT_TRUE(only_diags(r, {diagnostic_id::trailing_whitespace}));
    EXPECT_EQ(r.diags()[0].offset, c.offset) << c.in;
  }
}

TEST(Command, LenientExtraWhitespace) {
  for (auto in : {"MAIL FROM:<a@b>  SIZE=1", "MAIL FROM:<a@b>\tSIZE=1", "EHLO  example.com", "VRFY  user",
                  "BDAT  10   LAST", "AUTH  PLAIN"}) {
    EXPECT_TRUE(rejected(strict_cmd(in), in));
    auto r = lenient_cmd(in);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_TRUE(has_diag(r, diagnostic_id::extra_whitespace));
  }
}

TEST(Command, LineEndings) {
  auto crlf = strict_cmd("NOOP\r\n");
  ASSERT_TRUE(accepted(crlf, "NOOP\r\n"));
  EXPECT_TRUE(crlf.diags().empty());

  auto lf = strict_cmd("NOOP\n");
  ASSERT_TRUE(rejected(lf, "NOOP\n", error_code::bare_lf));
  EXPECT_EQ(lf.error().offset, 4u);
  auto lf_lenient = lenient_cmd("MAIL FROM:<a@b>\n");
  ASSERT_TRUE(accepted(lf_lenient, "MAIL FROM:<a@b>\n"));
  ASSERT_TRUE(only_diags(lf_lenient, {diagnostic_id::bare_lf_line_ending}));
  EXPECT_EQ(lf_lenient.diags()[0].offset, 15u);
}

TEST(Command, LenientCombinesDiagnostics) {
  const std::string_view in = "MAIL FROM: a@b  SIZE=1 SIZE=2 \n";
  auto r = lenient_cmd(in);
  ASSERT_TRUE(accepted(r, in));
  EXPECT_TRUE(has_diag(r, diagnostic_id::space_after_colon));
  EXPECT_TRUE(has_diag(r, diagnostic_id::missing_angle_brackets));
  EXPECT_TRUE(has_diag(r, diagnostic_id::extra_whitespace));
  EXPECT_TRUE(has_diag(r, diagnostic_id::duplicate_parameter));
  EXPECT_TRUE(has_diag(r, diagnostic_id::trailing_whitespace));
  EXPECT_TRUE(has_diag(r, diagnostic_id::bare_lf_line_ending));
}

TEST(Command, StrictNeverWarns) {
  for (auto in : {"MAIL FROM:<@a:\"q\"@b> SIZE=1", "EHLO [IPv6:::1]", "RCPT TO:<Postmaster>", "AUTH PLAIN ="}) {
    auto r = strict_cmd(in);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_TRUE(no_warnings(r));
  }
}

TEST(Command, LineLimit) {
  // §4.5.3.1.4: 512 octets including the CRLF.
  const auto max = limits{}.command_line;
  const std::string at = "NOOP " + std::string(max - 7, 'x') + "\r\n";
  const std::string over = "NOOP " + std::string(max - 6, 'x') + "\r\n";
  ASSERT_EQ(at.size(), max);
  EXPECT_TRUE(accepted(strict_cmd(at), at));
  EXPECT_TRUE(rejected(strict_cmd(over), over, error_code::line_too_long));
  EXPECT_TRUE(rejected(lenient_cmd(over), over, error_code::line_too_long));
  // Without its CRLF the line may have 510 octets: the CRLF it will carry counts.
  const std::string bare_at = at.substr(0, at.size() - 2);
  const std::string bare_over = over.substr(0, over.size() - 2);
  EXPECT_TRUE(accepted(strict_cmd(bare_at), bare_at));
  EXPECT_TRUE(rejected(strict_cmd(bare_over), bare_over, error_code::line_too_long));
  // A MAIL line with parameters, at and over, when no extension lengthens it (the growth per
  // extension is tested in params_test.cpp).
  parse_options no_extensions = strict;
  no_extensions.extensions = extension_set::none();
  const std::string prefix = "MAIL FROM:<a@b> X=";
  const std::string mail_at = prefix + std::string(max - prefix.size() - 2, 'v') + "\r\n";
  const std::string mail_over = prefix + std::string(max - prefix.size() - 1, 'v') + "\r\n";
  EXPECT_TRUE(accepted(parse_command(mail_at, no_extensions), mail_at));
  EXPECT_TRUE(rejected(parse_command(mail_over, no_extensions), mail_over, error_code::line_too_long));
  // A server may raise the limit.
  parse_options raised = strict;
  raised.limits.command_line = 2 * max;
  EXPECT_TRUE(accepted(parse_command(over, raised), over));
}

TEST(Command, TenThousandParams) {
  std::string line = "MAIL FROM:<a@b>";
  // Private ("X") keywords: an unknown one is an error in strict (RFC 5321 §4.1.1.11).
  for (int i = 0; i < 10000; ++i) line += " XP" + std::to_string(i) + "=" + std::to_string(i);
  EXPECT_TRUE(rejected(strict_cmd(line), line, error_code::line_too_long));
  parse_options raised = strict;
  raised.limits.command_line = line.size() + 2;
  auto r = parse_command(line, raised);
  ASSERT_TRUE(accepted(r, line));
  ASSERT_EQ(r->params.size(), 10000u);
  EXPECT_EQ(r->params[9999].keyword, "XP9999");

  std::string dup = "RCPT TO:<a@b>";
  for (int i = 0; i < 10000; ++i) dup += " X=1";
  raised.limits.command_line = dup.size() + 2;
  EXPECT_TRUE(rejected(parse_command(dup, raised), dup, error_code::duplicate_parameter));
  raised.profile = profile::lenient;
  auto l = parse_command(dup, raised);
  ASSERT_TRUE(accepted(l, dup));
  EXPECT_EQ(l->params.size(), 10000u);
  EXPECT_GE(count_diag(l, diagnostic_id::duplicate_parameter), 1u);
}
