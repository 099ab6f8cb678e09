// The catalogues (errors.inc, diagnostics.inc) and the canonical JSON (conformance/README.md).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "gtest_helpers.hpp"

using namespace smtpspec;
using namespace smtpspec_test;
using json = nlohmann::ordered_json;

namespace {

// Row counts straight from the .inc files, so the tables cannot silently drop a row.
constexpr std::size_t error_rows = 0
#define SMTPSPEC_ERROR(name, rfc, reply, message) +1
#include "smtpspec/catalogue/errors.inc"
#undef SMTPSPEC_ERROR
    ;
constexpr std::size_t diagnostic_rows = 0
#define SMTPSPEC_DIAGNOSTIC(id, sev, rfc, message) +1
#include "smtpspec/catalogue/diagnostics.inc"
#undef SMTPSPEC_DIAGNOSTIC
    ;

json parsed(const std::string& s) {
  auto j = json::parse(s, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << s;
  return j;
}

std::vector<std::string> keys(const json& j) {
  std::vector<std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
  return out;
}

using keylist = std::vector<std::string>;

}  // namespace

TEST(Catalogue, ErrorsAreCompleteAndConsistent) {
  const auto cat = error_catalogue();
  ASSERT_EQ(cat.size(), error_rows);
  std::set<std::string_view> names;
  // RFC 3463: class.subject.detail with the class equal to the basic code's first digit.
  const std::regex reply_re(R"(^([245])[0-9][0-9] ([245])\.[0-9]{1,3}\.[0-9]{1,3}$)");
  for (std::size_t i = 0; i < cat.size(); ++i) {
    const auto& row = cat[i];
    EXPECT_EQ(static_cast<std::size_t>(row.code), i) << row.name;  // append-only numbering
    EXPECT_TRUE(names.insert(row.name).second) << "duplicate " << row.name;
    EXPECT_EQ(to_string(row.code), row.name);
    EXPECT_EQ(&info(row.code), &row);
    EXPECT_FALSE(row.message.empty()) << row.name;
    EXPECT_EQ(row.rfc.substr(0, 4), "RFC ") << row.name;
    std::smatch m;
    const std::string reply(row.reply);
    ASSERT_TRUE(std::regex_match(reply, m, reply_re)) << row.name << ": " << row.reply;
    EXPECT_EQ(m[1], m[2]) << row.name << ": " << row.reply;
  }
}

TEST(Catalogue, DiagnosticsAreCompleteAndConsistent) {
  const auto cat = diagnostic_catalogue();
  ASSERT_EQ(cat.size(), diagnostic_rows);
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < cat.size(); ++i) {
    const auto& row = cat[i];
    EXPECT_EQ(static_cast<std::size_t>(row.id), i) << row.name;
    EXPECT_TRUE(names.insert(row.name).second) << "duplicate " << row.name;
    EXPECT_EQ(to_string(row.id), row.name);
    EXPECT_EQ(&info(row.id), &row);
    EXPECT_FALSE(row.message.empty()) << row.name;
    EXPECT_EQ(row.rfc.substr(0, 4), "RFC ") << row.name;
    // Diagnostics are accepted deviations or notes; errors live in the error catalogue.
    EXPECT_NE(row.level, severity::error) << row.name;
  }
}

TEST(Catalogue, RfcFactsTheRepliesEncode) {
  // Spot checks against the RFCs themselves (a second source on purpose).
  EXPECT_NE(info(error_code::non_ascii).rfc.find("RFC 6531"), std::string_view::npos);
  EXPECT_EQ(info(error_code::bad_sender_syntax).reply.substr(4), "5.1.7");     // RFC 3463 X.1.7
  EXPECT_EQ(info(error_code::bad_recipient_syntax).reply.substr(4), "5.1.3");  // RFC 3463 X.1.3
  EXPECT_EQ(info(error_code::unrecognized_command).reply.substr(0, 3), "500");  // RFC 5321 §4.2.4
  EXPECT_EQ(info(error_code::syntax_error).reply.substr(0, 3), "501");
  EXPECT_EQ(info(error_code::line_too_long).rfc, "RFC 5321 §4.5.3.1.4");
  EXPECT_EQ(to_string(severity::info), "info");
  EXPECT_EQ(to_string(severity::warning), "warning");
  EXPECT_EQ(to_string(severity::error), "error");
}

TEST(Catalogue, LimitsDefaultToRfc5321Minimums) {
  const limits l{};
  EXPECT_EQ(l.local_part, 64u);     // §4.5.3.1.1
  EXPECT_EQ(l.domain, 255u);        // §4.5.3.1.2
  EXPECT_EQ(l.path, 256u);          // §4.5.3.1.3
  EXPECT_EQ(l.command_line, 512u);  // §4.5.3.1.4
  EXPECT_EQ(l.label, 63u);          // RFC 1035 §2.3.4
  EXPECT_EQ(parse_options{}.profile, profile::strict);
}

TEST(Catalogue, CatalogueJsonListsEveryRow) {
  const auto j = parsed(catalogue_json());
  ASSERT_FALSE(j.is_discarded());
  const std::string dump = j.dump();
  for (const auto& row : error_catalogue()) {
    EXPECT_NE(dump.find("\"" + std::string(row.name) + "\""), std::string::npos) << row.name;
    EXPECT_NE(dump.find(std::string(row.reply)), std::string::npos) << row.reply;
  }
  for (const auto& row : diagnostic_catalogue())
    EXPECT_NE(dump.find("\"" + std::string(row.name) + "\""), std::string::npos) << row.name;
}

TEST(Json, MailboxExactForm) {
  auto r = parse_mailbox("a@b", strict);
  EXPECT_EQ(to_json(r),
            R"({"ok":true,"value":{"text":"a@b","local_part":"a","local_part_kind":"dot_string",)"
            R"("local_part_value":"a","domain":{"text":"b","kind":"name","tag":null,"address":null,"ascii":"b",)"
            R"("unicode":"b"}},)"
            R"("diagnostics":[]})");
}

TEST(Json, KeyOrderOfEveryShape) {
  const auto d = parsed(to_json(parse_domain("[IPv6:::1]", strict)));
  EXPECT_EQ(keys(d), (keylist{"ok", "value", "diagnostics"}));
  EXPECT_EQ(keys(d["value"]), (keylist{"text", "kind", "tag", "address", "ascii", "unicode"}));
  EXPECT_TRUE(d["value"]["ascii"].is_null());
  EXPECT_EQ(d["value"]["kind"], "ipv6");
  EXPECT_EQ(d["value"]["tag"], "IPv6");
  EXPECT_EQ(d["value"]["address"], "::1");

  const auto p = parsed(to_json(parse_path("<@x:\"a b\"@c>", strict)));
  EXPECT_EQ(keys(p["value"]), (keylist{"text", "kind", "source_route", "mailbox"}));
  EXPECT_EQ(keys(p["value"]["mailbox"]),
            (keylist{"text", "local_part", "local_part_kind", "local_part_value", "domain"}));
  EXPECT_EQ(p["value"]["mailbox"]["local_part"], "\"a b\"");
  EXPECT_EQ(p["value"]["mailbox"]["local_part_value"], "a b");
  ASSERT_EQ(p["diagnostics"].size(), 2u);
  for (const auto& diag : p["diagnostics"])
    EXPECT_EQ(keys(diag), (keylist{"id", "severity", "offset", "rfc", "message"}));

  const auto null = parsed(to_json(parse_path("<>", strict)));
  EXPECT_EQ(null["value"]["kind"], "null");
  EXPECT_TRUE(null["value"]["mailbox"].is_null());
  EXPECT_TRUE(null["value"]["source_route"].is_array());

  const auto e = parsed(to_json(parse_mailbox("a@@b", strict)));
  EXPECT_EQ(keys(e), (keylist{"ok", "error", "diagnostics"}));
  EXPECT_EQ(e["ok"], false);
  EXPECT_EQ(keys(e["error"]), (keylist{"code", "offset", "expected", "rfc", "reply", "message"}));
}

TEST(Json, CommandShapes) {
  struct {
    const char* in;
    keylist value_keys;
  } cases[] = {
      {"EHLO x", {"verb", "domain"}},
      {"LHLO x", {"verb", "domain"}},
      {"MAIL FROM:<a@b> SMTPUTF8 SIZE=1", {"verb", "path", "params"}},
      {"RCPT TO:<a@b>", {"verb", "path", "params"}},
      {"VRFY x", {"verb", "argument"}},
      {"NOOP", {"verb", "argument"}},
      {"AUTH PLAIN", {"verb", "mechanism", "initial_response"}},
      {"BDAT 5 LAST", {"verb", "chunk_size", "last"}},
      {"DATA", {"verb"}},
      {"STARTTLS", {"verb"}},
  };
  for (const auto& c : cases) {
    const auto j = parsed(to_json(parse_command(c.in, strict)));
    EXPECT_EQ(keys(j), (keylist{"ok", "verb", "value", "diagnostics"})) << c.in;
    EXPECT_EQ(keys(j["value"]), c.value_keys) << c.in;
    EXPECT_EQ(j["verb"], j["value"]["verb"]) << c.in;
  }
  const auto mail = parsed(to_json(parse_command("MAIL FROM:<a@b> SMTPUTF8 SIZE=1", strict)));
  EXPECT_EQ(mail["value"]["params"][0], (json{{"keyword", "SMTPUTF8"}, {"value", nullptr}, {"extension", "SMTPUTF8"},
                                             {"typed", json::object()}}));
  EXPECT_EQ(mail["value"]["params"][1],
            (json{{"keyword", "SIZE"}, {"value", "1"}, {"extension", "SIZE"}, {"typed", {{"size", 1}}}}));
  const auto bdat = parsed(to_json(parse_command("BDAT 5 LAST", strict)));
  EXPECT_EQ(bdat["value"]["chunk_size"], 5);
  EXPECT_EQ(bdat["value"]["last"], true);
  const auto auth = parsed(to_json(parse_command("AUTH PLAIN", strict)));
  EXPECT_TRUE(auth["value"]["initial_response"].is_null());
  const auto bad = parsed(to_json(parse_command("RCPT TO:<>", strict)));
  EXPECT_EQ(keys(bad), (keylist{"ok", "verb", "error", "diagnostics"}));
  EXPECT_EQ(bad["verb"], "RCPT");
  EXPECT_EQ(bad["error"]["code"], "null_path_not_allowed");
  EXPECT_EQ(bad["error"]["reply"], std::string(info(error_code::null_path_not_allowed).reply));
}

TEST(Json, ErrorAndDiagnosticFieldsComeFromTheCatalogue) {
  const std::string_view in = "MAIL FROM: <a@b>";
  auto r = parse_command(in, lenient);
  ASSERT_TRUE(r.ok());
  const auto j = parsed(to_json(r));
  ASSERT_EQ(j["diagnostics"].size(), 1u);
  const auto& d = j["diagnostics"][0];
  const auto& row = info(diagnostic_id::space_after_colon);
  EXPECT_EQ(d["id"], std::string(row.name));
  EXPECT_EQ(d["severity"], std::string(to_string(row.level)));
  EXPECT_EQ(d["offset"], r.diags()[0].offset);
  EXPECT_EQ(d["rfc"], std::string(row.rfc));
  EXPECT_EQ(d["message"], std::string(row.message));

  auto bad = parse_command(std::string_view("NOOP\0", 5), strict);
  ASSERT_FALSE(bad.ok());
  const auto e = parsed(to_json(bad))["error"];
  EXPECT_EQ(e["code"], std::string(to_string(bad.error().code)));
  EXPECT_EQ(e["offset"], bad.error().offset);
  EXPECT_EQ(e["expected"], std::string(bad.error().expected));
  EXPECT_EQ(e["rfc"], std::string(bad.error().rfc));
  EXPECT_EQ(e["reply"], std::string(bad.error().reply));
  EXPECT_EQ(e["message"], std::string(info(bad.error().code).message));
}

TEST(Json, EscapesQuotesAndBackslashes) {
  const std::string_view in = R"("a\"b\\c"@d)";
  auto r = parse_mailbox(in, strict);
  ASSERT_TRUE(r.ok()) << to_json(r);
  const auto j = parsed(to_json(r));
  EXPECT_EQ(j["value"]["local_part"], R"("a\"b\\c")");
  EXPECT_EQ(j["value"]["local_part_value"], R"(a"b\c)");
}

// One line, no raw control octets (the RFC references carry "§" as UTF-8, so not pure ASCII).
TEST(Json, OutputIsOneLine) {
  for (const auto& s : {to_json(parse_command("MAIL FROM:<\"x\\ y\"@[IPv6:::1]> A=b", strict)),
                        to_json(parse_command(std::string_view("\x01\xff\r\n\0", 5), strict)),
                        to_json(parse_domain("[t:\x7e]", lenient))}) {
    EXPECT_EQ(s.find('\n'), std::string::npos) << s;
    for (unsigned char ch : s) EXPECT_TRUE(ch >= 0x20 && ch != 0x7f) << s;
    EXPECT_FALSE(parsed(s).is_discarded());
  }
}
