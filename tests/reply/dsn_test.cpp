// The DSN catalogue: haraka-dsn 1.2.1's behaviour (what its own test/index.js asserts, as listed in
// ../shared/dsn/haraka-dsn-NOTES.md, plus its override rules), and `explain`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smtpspec/smtpspec.hpp"

using namespace smtpspec;
using dsn::message;
using strings = std::vector<std::string>;

namespace {
dsn::dsn_reply helper(std::string_view name, std::optional<message> msg = {}, std::optional<std::string_view> code = {}) {
  auto r = dsn::make(name, msg, code);
  EXPECT_TRUE(r.has_value()) << name;
  return r.value_or(dsn::dsn_reply{});
}
bool has_octet(const strings& lines, char c) {
  for (const auto& l : lines)
    if (l.find(c) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST(HarakaDsn, CreateDefaultsHaveExactlyHarakasFields) {
  const auto d = dsn::create("200");
  EXPECT_EQ(dsn::to_json(d),
            R"({"code":200,"msg":null,"cls":2,"sub":0,"det":0,"default_msg":"Other undefined status","reply":"2.0.0 Other undefined status"})");
  EXPECT_TRUE(d.code_from_caller);
}

TEST(HarakaDsn, CreateWithMessageAndSubject) {
  EXPECT_EQ(dsn::create("200", message("test msg")).to_string(), "2.0.0 test msg");
  const auto d = dsn::create("200", message("test msg"), 7);
  EXPECT_EQ(d.sub, "7");
  EXPECT_EQ(d.default_msg, "Other or undefined security status");
  EXPECT_EQ(d.to_string(), "2.7.0 test msg");
  EXPECT_EQ(dsn::create("550", message("test")).cls, 5u);
}

TEST(HarakaDsn, HelperDefaults) {
  const auto n = helper("net_unspecified");
  EXPECT_EQ(n.code, "450");
  EXPECT_FALSE(n.code_from_caller);
  EXPECT_EQ(n.default_msg, "Other or undefined network or routing status");
  const auto u = helper("net_unable_to_route");
  EXPECT_EQ(u.code, "550");
  EXPECT_EQ(u.default_msg, "Unable to route");
  EXPECT_EQ(helper("sec_unspecified").to_string(), "4.7.0 Other or undefined security status");
  EXPECT_EQ(helper("sec_unspecified", message("custom")).to_string(), "4.7.0 custom");
  EXPECT_EQ(helper("auth_succeeded").to_string(), "2.7.0 Authentication Succeeded");
}

TEST(HarakaDsn, HelperOwnDefaultIsTheMessage) {
  const auto d = helper("no_such_user");
  ASSERT_TRUE(d.msg.has_value());
  EXPECT_EQ(std::get<std::string>(*d.msg), "No such user");  // haraka: msg || 'No such user'
  EXPECT_EQ(d.default_msg, "Bad destination mailbox address");
  EXPECT_EQ(d.to_string(), "5.1.1 No such user");
  // An empty message is falsy in JavaScript: the helper's text, or the table's.
  EXPECT_EQ(helper("no_such_user", message("")).to_string(), "5.1.1 No such user");
  EXPECT_EQ(helper("addr_bad_dest_mbox", message("")).to_string(), "5.1.1 Bad destination mailbox address");
  EXPECT_EQ(helper("too_many_hops").to_string(), "5.4.6 Too many hops");
  EXPECT_EQ(helper("temp_resolver_failed").to_string(), "4.4.3 Temporary address resolution failure");
  EXPECT_EQ(helper("relaying_denied").to_string(), "5.7.1 Relaying denied");
  EXPECT_EQ(helper("bad_sender_ip").to_string(), "5.7.1 Bad sender IP");
}

TEST(HarakaDsn, CodeDecidesTheClass) {
  const auto d = helper("sec_unauthorized", message("Try again later"), "451");
  EXPECT_EQ(d.to_string(), "4.7.1 Try again later");
  EXPECT_EQ(d.basic_code(), 451);
  // /^[245]\d{2}/ is not end-anchored: "5500" is taken as it is.
  const auto long_code = helper("addr_rcpt_ok", {}, "5500");
  EXPECT_EQ(long_code.code, "5500");
  EXPECT_EQ(long_code.cls, 5u);
  EXPECT_EQ(long_code.basic_code(), 550);
  EXPECT_EQ(dsn::to_json(long_code).substr(0, 14), R"({"code":5500,")");
  EXPECT_EQ(helper("addr_rcpt_ok", {}, "550 text").code, "550 text");
  EXPECT_EQ(dsn::to_json(helper("addr_rcpt_ok", {}, "550 text")).substr(0, 20), R"({"code":"550 text",")");
  // Anything else falls back to the helper's default.
  for (const char* bad : {"650", "45", "", "abc", " 550", "-550", "1e3"}) {
    const auto f = helper("addr_rcpt_ok", {}, bad);
    EXPECT_EQ(f.code, "250") << bad;
    EXPECT_FALSE(f.code_from_caller) << bad;
  }
  EXPECT_EQ(dsn::create(std::nullopt).code, "450");
  EXPECT_EQ(dsn::create("99").cls, 4u);
}

TEST(HarakaDsn, ControlCharactersNeverReachTheReply) {
  const auto a = helper("no_such_user", message("injected\nX-Extra: header"));
  EXPECT_FALSE(has_octet(a.reply, '\n'));
  EXPECT_EQ(a.to_string(), "5.1.1 injectedX-Extra: header");
  const auto b = helper("no_such_user", message("bad\r\ngoodbye"));
  EXPECT_FALSE(has_octet(b.reply, '\n'));
  EXPECT_FALSE(has_octet(b.reply, '\r'));
  const auto c = dsn::create("550", message(strings{"line one\nX-Injected: evil", "line two"}));
  EXPECT_FALSE(has_octet(c.reply, '\n'));
  // The object keeps the caller's message as given; only reply is sanitised.
  EXPECT_EQ(std::get<strings>(*c.msg)[0], "line one\nX-Injected: evil");
  EXPECT_EQ(dsn::sanitize(std::string("a\0b\tc\x1f" "d\x7f" "e\x80", 10)), "abcde\x80");
}

TEST(HarakaDsn, MultiLineMessages) {
  const auto d = dsn::create("550", message(strings{"line one", "line two"}));
  EXPECT_TRUE(d.reply_is_list);
  EXPECT_EQ(d.reply, (strings{"5.0.0 line one", "5.0.0 line two"}));
  EXPECT_EQ(d.to_string(), "5.0.0 line one\n5.0.0 line two");
  EXPECT_EQ(dsn::to_json(d),
            R"({"code":550,"msg":["line one","line two"],"cls":5,"sub":0,"det":0,"default_msg":"Other undefined status","reply":["5.0.0 line one","5.0.0 line two"]})");
  // A list is never "absent": an empty list gives no reply lines, and a helper keeps it.
  const auto e = helper("no_such_user", message(strings{}));
  EXPECT_TRUE(e.reply.empty());
  EXPECT_TRUE(e.reply_is_list);
  EXPECT_EQ(helper("no_such_user", message(strings{""})).reply, strings{"5.1.1 "});
}

TEST(HarakaDsn, Rfc7505AndRfc7372) {
  const auto nm = helper("addr_null_mx");
  EXPECT_EQ(nm.code, "556");
  EXPECT_EQ(nm.to_string(), "5.1.10 Recipient address has null MX");
  EXPECT_EQ(helper("sec_null_mx_sender").code, "550");
  EXPECT_EQ(helper("sec_null_mx_sender").to_string().rfind("5.7.27 ", 0), 0u);
  EXPECT_EQ(helper("sec_dkim_no_pass").to_string().rfind("5.7.20 ", 0), 0u);
  EXPECT_EQ(helper("sec_spf_fail").to_string().rfind("5.7.23 ", 0), 0u);
  EXPECT_EQ(helper("sec_spf_error").code, "451");
  EXPECT_EQ(helper("sec_spf_error").to_string().rfind("4.7.24 ", 0), 0u);
  EXPECT_EQ(helper("sec_rdns_fail").to_string().rfind("5.7.25 ", 0), 0u);
  EXPECT_EQ(helper("sec_multi_auth_fail").to_string().rfind("5.7.26 ", 0), 0u);
}

TEST(HarakaDsn, TextsAreHarakasNotIanas) {
  EXPECT_EQ(dsn::default_text(0u, 0u), "Other undefined status");  // IANA: "…Status"
  EXPECT_EQ(dsn::default_text(6u, 5u), "Conversion failed");       // IANA: "Conversion Failed"
  EXPECT_EQ(dsn::default_text(6u, 7u), "");                        // RFC 6531 codes: not in haraka's table
  EXPECT_EQ(dsn::default_text(7u, 28u), "");
  // JavaScript property keys: only canonical indexes find a text.
  EXPECT_EQ(dsn::default_text("7", "1"), "Delivery not authorized, message refused");
  EXPECT_EQ(dsn::default_text("07", "1"), "");
  EXPECT_EQ(dsn::default_text("7.0", "1"), "");
  EXPECT_EQ(dsn::default_text("", "1"), "");
  const auto odd = dsn::create_text("450", std::nullopt, "07", "0");
  EXPECT_EQ(odd.to_string(), "4.07.0 ");
  EXPECT_FALSE(odd.status().has_value());
  EXPECT_EQ(dsn::to_json(odd).find(R"("sub":"07")") != std::string::npos, true);
}

TEST(HarakaDsn, NamesAndAliases) {
  EXPECT_NE(dsn::find_function("addr_dest_ambigous"), nullptr);  // haraka's spelling
  EXPECT_EQ(dsn::find_function("addr_dest_ambiguous"), nullptr);
  const auto* alias = dsn::find_function("addr_mbox_mobed");
  ASSERT_NE(alias, nullptr);
  EXPECT_EQ(alias->alias_of, "addr_mbox_moved");
  EXPECT_EQ(helper("addr_mbox_mobed").to_string(), helper("addr_mbox_moved").to_string());
  EXPECT_EQ(dsn::find_function("No_Such_User"), nullptr);
  EXPECT_FALSE(dsn::make("nope").has_value());
  const auto j = nlohmann::json::parse(dsn::catalogue_json());
  EXPECT_EQ(j["version"], "1.2.1");
  EXPECT_EQ(j["functions"].size(), dsn::function_catalogue().size());
  EXPECT_EQ(j["texts"].size(), 74u);
  EXPECT_EQ(j["functions"][3]["name"], "no_such_user");
  EXPECT_EQ(j["functions"][3]["default_msg"], "No such user");
  EXPECT_TRUE(j["functions"][0]["default_msg"].is_null());
}

TEST(Explain, EnhancedStatus) {
  const auto e = dsn::explain("5.1.1");
  EXPECT_EQ(e.kind, dsn::query_kind::enhanced_status);
  EXPECT_TRUE(e.found);
  ASSERT_NE(e.registry, nullptr);
  EXPECT_EQ(e.default_reply, "550 5.1.1 Bad destination mailbox address");
  EXPECT_EQ(e.dsn_functions, (std::vector<std::string_view>{"addr_bad_dest_mbox", "no_such_user"}));
  ASSERT_NE(e.class_info, nullptr);
  EXPECT_EQ(e.class_info->summary, "Permanent Failure");
  const auto j = nlohmann::json::parse(dsn::to_json(e));
  EXPECT_EQ(j["kind"], "enhanced_status");
  EXPECT_EQ(j["registry"]["rfc"], "RFC 3463");
  EXPECT_EQ(j["status"]["text"], "5.1.1");
  EXPECT_TRUE(j["function"].is_null());
}

TEST(Explain, UnregisteredAndRegistryKeys) {
  const auto e = dsn::explain("4.9.9");
  EXPECT_EQ(e.kind, dsn::query_kind::enhanced_status);
  EXPECT_FALSE(e.found);
  EXPECT_EQ(e.default_reply, "450 4.9.9");
  const auto x = dsn::explain("X.7.30");
  EXPECT_TRUE(x.found);
  EXPECT_FALSE(x.status.has_value());
  ASSERT_NE(x.registry, nullptr);
  EXPECT_EQ(x.registry->text, "REQUIRETLS support required");
}

TEST(Explain, FunctionsAndReplyCodes) {
  const auto f = dsn::explain("no_such_user");
  EXPECT_EQ(f.kind, dsn::query_kind::dsn_function);
  EXPECT_TRUE(f.found);
  EXPECT_EQ(f.default_reply, "550 5.1.1 No such user");
  const auto c = dsn::explain("354");
  EXPECT_EQ(c.kind, dsn::query_kind::reply_code);
  EXPECT_TRUE(c.found);
  ASSERT_EQ(c.sequences.size(), 1u);
  EXPECT_EQ(c.sequences[0]->stage, reply_stage::data);
  EXPECT_FALSE(dsn::explain("299").found);
  const auto none = dsn::explain("hello");
  EXPECT_EQ(none.kind, dsn::query_kind::none);
  EXPECT_FALSE(none.found);
  EXPECT_TRUE(nlohmann::json::parse(dsn::to_json(none))["kind"].is_null());
  EXPECT_NE(dsn::to_text(none).find("not an enhanced status code"), std::string::npos);
}
