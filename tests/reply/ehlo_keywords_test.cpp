// Issue 3, item 2: the EHLO keyword registry (catalogue/extensions.inc, server_limits.inc), its use
// by parse_ehlo_reply (extension, parameter syntax, typed views, diagnostics), extension_set's
// parameter answers and the catalogue JSON for the bindings.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smtpspec/smtpspec.hpp"

namespace {
using namespace smtpspec;
using id = reply_diagnostic_id;

ehlo_reply ehlo(const std::string& stream) {
  const auto rs = parse_replies(stream);
  EXPECT_EQ(rs.size(), 1u);
  auto e = parse_ehlo_reply(rs.at(0));
  EXPECT_TRUE(e.ok());
  return std::move(e).value();
}

std::vector<id> ids(const ehlo_reply& e) {
  std::vector<id> out;
  for (const auto& d : e.diagnostics) out.push_back(d.id);
  return out;
}

TEST(ExtensionCatalogue, EveryRowIsComplete) {
  const auto cat = extension_catalogue();
  ASSERT_EQ(cat.size(), 35u);
  for (std::size_t i = 0; i < cat.size(); ++i) {
    const auto& row = cat[i];
    EXPECT_EQ(static_cast<std::size_t>(row.id), i);
    EXPECT_FALSE(row.keyword.empty());
    EXPECT_EQ(find_extension(row.keyword), row.id);
    // A registered keyword never starts with X (RFC 5321 §2.2.2).
    EXPECT_NE(row.keyword[0], 'X');
    EXPECT_NE(to_string(row.ehlo), "");
  }
  EXPECT_EQ(info(extension::size).ehlo, ehlo_syntax::size);
  EXPECT_EQ(info(extension::auth).ehlo, ehlo_syntax::auth);
  EXPECT_EQ(info(extension::dsn).mail_params, "RET ENVID");
  EXPECT_EQ(info(extension::dsn).rcpt_params, "NOTIFY ORCPT");
  EXPECT_EQ(find_extension("mt-priority"), extension::mt_priority);
  EXPECT_EQ(find_extension("X-EXPS"), std::nullopt);
}

// catalogue/params.inc (the parameters smtpspec types) and extensions.inc (the parameters each
// extension defines) must agree: every typed parameter is listed under its extension and command.
TEST(ExtensionCatalogue, AgreesWithTheParameterCatalogue) {
  for (const auto& p : param_catalogue()) {
    const auto only = extension_set::none().add(p.extension);
    const verb v = p.command == param_command::mail ? verb::mail : verb::rcpt;
    const verb other = v == verb::mail ? verb::rcpt : verb::mail;
    EXPECT_TRUE(accepts_parameter(only, v, p.keyword)) << p.keyword;
    EXPECT_FALSE(accepts_parameter(only, other, p.keyword)) << p.keyword;
    EXPECT_FALSE(accepts_parameter(extension_set::none(), v, p.keyword)) << p.keyword;
  }
}

TEST(ExtensionSet, AcceptedParameters) {
  auto set = extension_set::none().add(extension::dsn).add(extension::size).add(extension::eightbitmime)
                 .add(extension::binarymime);
  EXPECT_EQ(accepted_parameters(set, verb::mail), (std::vector<std::string_view>{"BODY", "SIZE", "RET", "ENVID"}));
  EXPECT_EQ(accepted_parameters(set, verb::rcpt), (std::vector<std::string_view>{"NOTIFY", "ORCPT"}));
  EXPECT_TRUE(accepts_parameter(set, verb::mail, "size"));
  EXPECT_FALSE(accepts_parameter(set, verb::mail, "SMTPUTF8"));
  EXPECT_FALSE(accepts_parameter(set, verb::mail, "X-FOO"));
  EXPECT_FALSE(accepts_parameter(set, verb::mail, "SIZ"));
  EXPECT_FALSE(accepts_parameter(set, verb::vrfy, "SIZE"));
  EXPECT_TRUE(accepted_parameters(extension_set::none(), verb::mail).empty());
  EXPECT_TRUE(accepted_parameters(extension_set::all(), verb::rcpt).size() >= 3u);
}

TEST(EhloKeywords, RegisteredKeywordsGetTheirExtensionAndTypedValues) {
  const auto e = ehlo(
      "250-mx.example.com\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n"
      "250-DELIVERBY 240\r\n250-FUTURERELEASE 604800 2026-12-31T23:59:59Z\r\n250-MT-PRIORITY STANAG4406\r\n"
      "250-LIMITS RCPTMAX=100 MAILMAX=5 FOO-BAR=x\r\n250-XEXCH50\r\n250 pipelining\r\n");
  EXPECT_TRUE(e.diagnostics.empty()) << to_json(result<ehlo_reply>(e));
  ASSERT_EQ(e.keywords.size(), 9u);
  EXPECT_EQ(e.keywords[0].extension, extension::size);
  EXPECT_EQ(e.keywords[0].size, 35882577u);
  EXPECT_EQ(e.keywords[2].mechanisms, (std::vector<std::string>{"PLAIN", "LOGIN"}));
  EXPECT_EQ(e.keywords[3].min_by_time, 240u);
  EXPECT_EQ(e.keywords[4].max_interval, 604800u);
  EXPECT_EQ(e.keywords[4].max_date_time, "2026-12-31T23:59:59Z");
  EXPECT_EQ(e.keywords[5].policy, "STANAG4406");
  ASSERT_EQ(e.keywords[6].limits.size(), 3u);
  EXPECT_EQ(e.keywords[6].limits[0].number, 100u);
  EXPECT_EQ(e.keywords[6].limits[1].number, 5u);
  EXPECT_EQ(e.keywords[6].limits[2].number, std::nullopt);  // not registered: kept as text
  EXPECT_EQ(e.keywords[6].limits[2].value, "x");
  EXPECT_EQ(e.keywords[7].extension, std::nullopt);           // private X- keyword, no diagnostic
  EXPECT_EQ(e.keywords[8].extension, extension::pipelining);  // case-insensitive
  const auto set = e.extensions();
  EXPECT_TRUE(set.has(extension::size));
  EXPECT_TRUE(set.has(extension::pipelining));
  EXPECT_FALSE(set.has(extension::starttls));
  EXPECT_FALSE(set.has(extension::dsn));
  EXPECT_TRUE(accepts_parameter(set, verb::mail, "AUTH"));
  EXPECT_FALSE(accepts_parameter(set, verb::rcpt, "NOTIFY"));
}

TEST(EhloKeywords, SizeWithoutNumberAndSizeZero) {
  const auto e = ehlo("250-mx\r\n250-SIZE\r\n250 CHUNKING\r\n");
  EXPECT_TRUE(e.diagnostics.empty());
  EXPECT_EQ(e.keywords[0].size, std::nullopt);
  EXPECT_TRUE(e.keywords[0].params_ok);
  EXPECT_EQ(ehlo("250-mx\r\n250 SIZE 0\r\n").keywords[0].size, 0u);  // RFC 1870 §4: no fixed maximum
  // Above 2^53-1 the number is valid but not carried (JSON-safe), without a diagnostic.
  const auto big = ehlo("250-mx\r\n250 SIZE 99999999999999999999999\r\n");
  EXPECT_TRUE(big.diagnostics.empty());
  EXPECT_EQ(big.keywords[0].size, std::nullopt);
  EXPECT_EQ(ehlo("250-mx\r\n250 SIZE 9007199254740991\r\n").keywords[0].size, 9007199254740991u);
}

TEST(EhloKeywords, ParameterSyntaxDiagnostics) {
  struct Case {
    const char* line;
    id expected;
  };
  const Case cases[] = {
      {"SIZE abc", id::ehlo_size_syntax},
      {"SIZE 10 20", id::ehlo_size_syntax},
      {"SIZE -1", id::ehlo_size_syntax},
      {"AUTH", id::ehlo_auth_without_mechanisms},
      {"AUTH PLAIN login", id::ehlo_auth_mechanism_syntax},
      {"AUTH ABCDEFGHIJKLMNOPQRSTU", id::ehlo_auth_mechanism_syntax},  // 21 characters
      {"DELIVERBY 1234567890", id::ehlo_deliverby_syntax},
      {"DELIVERBY 10 20", id::ehlo_deliverby_syntax},
      {"FUTURERELEASE 604800", id::ehlo_futurerelease_syntax},
      {"FUTURERELEASE 0 2026-12-31T23:59:59Z", id::ehlo_futurerelease_syntax},
      {"FUTURERELEASE 604800 2026-12-31", id::ehlo_futurerelease_syntax},
      {"MT-PRIORITY A B", id::ehlo_mt_priority_syntax},
      {"MT-PRIORITY ABCDEFGHIJKLMNOPQRSTU", id::ehlo_mt_priority_syntax},
      {"LIMITS RCPTMAX=0", id::ehlo_limits_syntax},
      {"LIMITS RCPTMAX=1000000", id::ehlo_limits_syntax},
      {"LIMITS RCPTMAX", id::ehlo_limits_syntax},
      {"LIMITS RCPTMAX=5 rcptmax=6", id::ehlo_limits_syntax},
      {"LIMITS =5", id::ehlo_limits_syntax},
      {"PIPELINING yes", id::ehlo_unexpected_params},
      {"STARTTLS 1", id::ehlo_unexpected_params},
      {"FOO", id::ehlo_unknown_keyword},
      {"TURN", id::ehlo_deprecated_keyword},
  };
  for (const auto& c : cases) {
    const auto e = ehlo(std::string("250-mx\r\n250 ") + c.line + "\r\n");
    ASSERT_EQ(ids(e), std::vector<id>{c.expected}) << c.line;
    EXPECT_EQ(e.diagnostics[0].offset, 8u) << c.line;  // the keyword line's
    const bool about_params = c.expected != id::ehlo_unknown_keyword && c.expected != id::ehlo_deprecated_keyword;
    EXPECT_EQ(e.keywords[0].params_ok, !about_params) << c.line;
  }
  // Valid forms next to those.
  for (const char* line : {"DELIVERBY", "DELIVERBY 0", "DELIVERBY ,ext", "DELIVERBY 240,a,b", "MT-PRIORITY",
                           "MT-PRIORITY MIXER", "LIMITS", "LIMITS RCPTDOMAINMAX=999999", "BURL imap", "BURL",
                           "NO-SOLICITING net.example:ADV", "X-ANYTHING goes here", "xfoo",
                           "FUTURERELEASE 999999999 2026-12-31T23:59:59.5+01:00"}) {
    EXPECT_TRUE(ehlo(std::string("250-mx\r\n250 ") + line + "\r\n").diagnostics.empty()) << line;
  }
}

TEST(EhloKeywords, DuplicatesAndDeprecatedKeywords) {
  const auto e = ehlo("250-mx\r\n250-SIZE 100\r\n250-SEND\r\n250 size 200\r\n");
  EXPECT_EQ(ids(e), (std::vector<id>{id::ehlo_deprecated_keyword, id::ehlo_duplicate_keyword}));
  EXPECT_EQ(e.diagnostics[1].offset, 32u);
  EXPECT_EQ(e.find("SIZE")->size, 100u);  // the first line counts
  EXPECT_EQ(e.keywords[2].size, 200u);
}

TEST(EhloKeywords, LinesBreakingEhloLineAreOnlyLookedUp) {
  // The old "AUTH=LOGIN PLAIN" form: one keyword_syntax diagnostic, nothing more.
  const auto e = ehlo("250-mx\r\n250-AUTH=LOGIN PLAIN\r\n250 SIZE 1\x01\r\n");
  EXPECT_EQ(ids(e), (std::vector<id>{id::ehlo_keyword_syntax, id::ehlo_keyword_syntax}));
  EXPECT_EQ(e.keywords[0].extension, std::nullopt);
  EXPECT_EQ(e.keywords[1].extension, extension::size);
  EXPECT_FALSE(e.keywords[1].params_ok);
}

TEST(EhloKeywords, CanonicalJson) {
  const auto rs = parse_replies("250-mx\r\n250-SIZE 1000\r\n250-AUTH PLAIN\r\n250-LIMITS RCPTMAX=5 X=y\r\n"
                                "250-SIZE abc\r\n250-MT-PRIORITY\r\n250-X-FOO 1\r\n250 DSN\r\n");
  EXPECT_EQ(to_json(parse_ehlo_reply(rs[0])),
            R"j({"ok":true,"value":{"domain":"mx","greeting":null,"keywords":[)j"
            R"j({"keyword":"SIZE","params":["1000"],"extension":"SIZE","value":{"size":1000}},)j"
            R"j({"keyword":"AUTH","params":["PLAIN"],"extension":"AUTH","value":{"mechanisms":["PLAIN"]}},)j"
            R"j({"keyword":"LIMITS","params":["RCPTMAX=5","X=y"],"extension":"LIMITS","value":{"limits":[)j"
            R"j({"name":"RCPTMAX","value":"5","number":5},{"name":"X","value":"y","number":null}]}},)j"
            R"j({"keyword":"SIZE","params":["abc"],"extension":"SIZE","value":null},)j"
            R"j({"keyword":"MT-PRIORITY","params":[],"extension":"MT-PRIORITY","value":{"policy":null}},)j"
            R"j({"keyword":"X-FOO","params":["1"],"extension":null,"value":null},)j"
            R"j({"keyword":"DSN","params":[],"extension":"DSN","value":null}],)j"
            R"j("extensions":["SIZE","DSN","AUTH","MT-PRIORITY","LIMITS"],"diagnostics":[)j"
            R"j({"id":"ehlo_duplicate_keyword","severity":"warning","offset":65,"rfc":"RFC 5321 §4.1.1.1",)j"
            R"j("message":"EHLO keyword listed more than once (the first line is the one that counts)"},)j"
            R"j({"id":"ehlo_size_syntax","severity":"warning","offset":65,"rfc":"RFC 1870 §4",)j"
            R"j("message":"SIZE takes at most one parameter, a decimal number of octets"}]},"diagnostics":[]})j");
}

TEST(EhloKeywords, ManyLinesStayBounded) {
  std::string s = "250-mx\r\n";
  for (int i = 0; i < 900; ++i) s += "250-SIZE " + std::to_string(i) + "\r\n";
  std::string limits = "250 LIMITS";
  while (limits.size() < 500) limits += " A=1";
  s += limits + "\r\n";
  const auto e = ehlo(s);
  ASSERT_EQ(e.keywords.size(), 901u);
  ASSERT_EQ(e.diagnostics.size(), 900u);  // 899 duplicates, one LIMITS finding for ~120 repeated names
  for (std::size_t i = 0; i < 899; ++i) EXPECT_EQ(e.diagnostics[i].id, id::ehlo_duplicate_keyword);
  EXPECT_EQ(e.diagnostics[899].id, id::ehlo_limits_syntax);
}

TEST(ExtensionCatalogue, Json) {
  const auto j = nlohmann::json::parse(extension_catalogue_json());
  ASSERT_EQ(j["extensions"].size(), extension_catalogue().size());
  EXPECT_EQ(j["extensions"][8]["keyword"], "SIZE");
  EXPECT_EQ(j["extensions"][8]["ehlo"], "size");
  EXPECT_EQ(j["extensions"][8]["mail_params"], nlohmann::json::array({"SIZE"}));
  EXPECT_EQ(j["extensions"][8]["rcpt_params"], nlohmann::json::array());
  EXPECT_EQ(j["extensions"][16]["rcpt_params"], nlohmann::json::array({"NOTIFY", "ORCPT"}));
  EXPECT_EQ(j["extensions"][0]["status"], "deprecated");
  ASSERT_EQ(j["server_limits"].size(), 3u);
  EXPECT_EQ(j["server_limits"][1]["name"], "RCPTMAX");
  EXPECT_EQ(find_server_limit("rcptdomainmax"), server_limit::rcptdomainmax);
  EXPECT_EQ(find_server_limit("RCPT"), std::nullopt);
}

}  // namespace
