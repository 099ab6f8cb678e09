// The reply formatter (RFC 5321 §4.2, §4.5.3.1.5; RFC 2034 §3-§4), the EHLO reply builder and the
// standard reply tables.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smtpspec/smtpspec.hpp"

using namespace smtpspec;

namespace {
const enhanced_status s511{5, 1, 1};
const enhanced_status s200{2, 0, 0};

std::string text_of(const result<formatted_reply>& r) {
  EXPECT_TRUE(r.ok()) << to_json(r);
  return r.ok() ? r->text : std::string();
}

std::vector<std::string> wire_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < s.size()) {
    const auto end = s.find("\r\n", at);
    out.push_back(s.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

::testing::AssertionResult refused(const result<formatted_reply>& r, error_code code, std::size_t offset) {
  if (r.ok()) return ::testing::AssertionFailure() << "accepted: " << to_json(r);
  if (r.error().code != code || r.error().offset != offset)
    return ::testing::AssertionFailure() << to_json(r);
  return ::testing::AssertionSuccess();
}
}  // namespace

TEST(FormatReply, SingleAndMultiLine) {
  EXPECT_EQ(text_of(format_reply(250, std::nullopt, {"OK"})), "250 OK\r\n");
  EXPECT_EQ(text_of(format_reply(250, std::nullopt, {"First line", "Second line", "234 Text beginning with numbers", "The last line"})),
            "250-First line\r\n250-Second line\r\n250-234 Text beginning with numbers\r\n250 The last line\r\n");
  const auto r = format_reply(250, std::nullopt, {"a", "b"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->line_count, 2u);
}

TEST(FormatReply, EnhancedCodeOnEveryLine) {
  // RFC 2034 §6's example.
  EXPECT_EQ(text_of(format_reply(551, enhanced_status{5, 7, 1},
                                 {"Forwarding to remote hosts disabled", "Select another host to act as your forwarder"})),
            "551-5.7.1 Forwarding to remote hosts disabled\r\n551 5.7.1 Select another host to act as your forwarder\r\n");
  format_options plain;
  plain.enhanced_codes = false;
  EXPECT_EQ(text_of(format_reply(550, s511, {"No such user"}, plain)), "550 No such user\r\n");
}

TEST(FormatReply, EmptyText) {
  EXPECT_EQ(text_of(format_reply(250, std::nullopt, {})), "250\r\n");     // Reply-code [ SP textstring ]
  EXPECT_EQ(text_of(format_reply(250, std::nullopt, {""})), "250\r\n");
  EXPECT_EQ(text_of(format_reply(250, s200, {})), "250 2.0.0 \r\n");     // RFC 2034: code, then a space
  EXPECT_EQ(text_of(format_reply(250, std::nullopt, {"", ""})), "250-\r\n250\r\n");
}

TEST(FormatReply, ClassMustMatch) {
  EXPECT_TRUE(refused(format_reply(250, s511, {"x"}), error_code::status_class_mismatch, 0));
  EXPECT_TRUE(refused(format_reply(550, s200, {"x"}), error_code::status_class_mismatch, 0));
  EXPECT_TRUE(refused(format_reply(354, enhanced_status{2, 0, 0}, {"x"}), error_code::status_class_mismatch, 0));
  EXPECT_TRUE(refused(format_reply(450, enhanced_status{3, 0, 0}, {"x"}), error_code::invalid_enhanced_status, 0));
  EXPECT_TRUE(refused(format_reply(550, enhanced_status{5, 1000, 0}, {"x"}), error_code::invalid_enhanced_status, 0));
  EXPECT_TRUE(format_reply(354, std::nullopt, {"Start mail input; end with <CRLF>.<CRLF>"}).ok());
}

TEST(FormatReply, ReplyCodeRange) {
  for (int bad : {0, 99, 199, 150, 600, 260, 1000, -250, 2500}) {
    EXPECT_TRUE(refused(format_reply(bad, std::nullopt, {"x"}), error_code::invalid_reply_code, 0)) << bad;
  }
  for (int good : {200, 211, 354, 421, 555, 559, 250}) EXPECT_TRUE(format_reply(good, std::nullopt, {"x"}).ok()) << good;
}

TEST(FormatReply, InjectionIsRefusedByDefault) {
  // Offsets count octets in the lines joined by LF.
  EXPECT_TRUE(refused(format_reply(250, std::nullopt, {"ok\r\nRCPT TO:<x@y>"}), error_code::forbidden_reply_octet, 2));
  EXPECT_TRUE(refused(format_reply(250, std::nullopt, {"ab", "cd\nx"}), error_code::forbidden_reply_octet, 5));
  const std::string nul("a\0b", 3);
  EXPECT_TRUE(refused(format_reply(250, std::nullopt, {std::string_view(nul)}), error_code::forbidden_reply_octet, 1));
  EXPECT_TRUE(refused(format_reply(250, std::nullopt, {"bell\x07"}), error_code::forbidden_reply_octet, 4));
  EXPECT_TRUE(refused(format_reply(250, std::nullopt, {"del\x7f"}), error_code::forbidden_reply_octet, 3));
  EXPECT_TRUE(refused(format_reply(250, std::nullopt, {"caf\xc3\xa9"}), error_code::forbidden_reply_octet, 3));
  EXPECT_TRUE(format_reply(250, std::nullopt, {"tab\tok"}).ok());  // textstring allows HT
}

TEST(FormatReply, InjectionIsNeutralisedOnRequest) {
  format_options o;
  o.policy = text_policy::neutralise;
  EXPECT_EQ(text_of(format_reply(250, std::nullopt, {"ok\r\nRCPT TO:<x@y>"}, o)), "250 ok  RCPT TO:<x@y>\r\n");
  const std::string nul("a\0b", 3);
  EXPECT_EQ(text_of(format_reply(550, s511, {std::string_view(nul)}, o)), "550 5.1.1 a b\r\n");
  o.utf8 = true;
  EXPECT_EQ(text_of(format_reply(250, std::nullopt, {"caf\xc3\xa9"}, o)), "250 caf\xc3\xa9\r\n");
}

TEST(FormatReply, WrapsAtWordsWithinTheLimit) {
  std::string words;
  for (int i = 0; i < 200; ++i) words += "word" + std::to_string(i) + ' ';
  words.pop_back();
  const auto r = format_reply(550, s511, {std::string_view(words)});
  ASSERT_TRUE(r.ok());
  const auto lines = wire_lines(r->text);
  ASSERT_GT(lines.size(), 1u);
  std::string rejoined;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size() + 2, 512u);
    EXPECT_EQ(lines[i].substr(0, 10), i + 1 == lines.size() ? "550 5.1.1 " : "550-5.1.1 ");
    if (i) rejoined += ' ';
    rejoined += lines[i].substr(10);
  }
  EXPECT_EQ(rejoined, words);  // only the break spaces were dropped
  EXPECT_EQ(r->line_count, lines.size());
}

TEST(FormatReply, CutsWordsLongerThanALine) {
  const std::string word(1200, 'x');
  format_options o;
  const auto r = format_reply(250, std::nullopt, {std::string_view(word)}, o);
  ASSERT_TRUE(r.ok());
  const auto lines = wire_lines(r->text);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].size(), 510u);
  EXPECT_EQ(lines[1].size(), 510u);
  EXPECT_EQ(lines[2], "250 " + std::string(1200 - 2 * 506, 'x'));
  // With 8-bit text allowed, a cut never splits a UTF-8 character.
  o.utf8 = true;
  o.max_line = 12;  // "250 " + 6 octets + CRLF
  const auto u = format_reply(250, std::nullopt, {"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"}, o);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->text, "250-\xc3\xa9\xc3\xa9\xc3\xa9\r\n250 \xc3\xa9\r\n");
}

TEST(FormatReply, LimitTooSmall) {
  format_options o;
  o.max_line = 10;
  EXPECT_TRUE(refused(format_reply(550, s511, {"x"}, o), error_code::reply_line_too_long, 0));
  o.max_line = 17;
  EXPECT_TRUE(format_reply(550, s511, {"xyz"}, o).ok());
}

TEST(FormatReply, Json) {
  EXPECT_EQ(to_json(format_reply(250, std::nullopt, {"a", "b"})),
            R"({"ok":true,"value":{"text":"250-a\r\n250 b\r\n","lines":["250-a","250 b"]},"diagnostics":[]})");
  const auto j = nlohmann::json::parse(to_json(format_reply(250, s511, {"x"})));
  EXPECT_EQ(j["error"]["code"], "status_class_mismatch");
  EXPECT_EQ(j["error"]["rfc"], "RFC 2034 §4");
}

TEST(FormatEhlo, Keywords) {
  const std::vector<ehlo_keyword> kw{{"SIZE", {"35882577"}}, {"8BITMIME", {}}, {"AUTH", {"PLAIN", "LOGIN"}},
                                     {"ENHANCEDSTATUSCODES", {}}};
  EXPECT_EQ(text_of(format_ehlo_reply("mx.example.com", "Hello client", kw)),
            "250-mx.example.com Hello client\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n"
            "250 ENHANCEDSTATUSCODES\r\n");
  EXPECT_EQ(text_of(format_ehlo_reply("mx.example.com", "", {})), "250 mx.example.com\r\n");
  EXPECT_EQ(text_of(format_ehlo_reply("[192.0.2.1]", "hi", {})), "250 [192.0.2.1] hi\r\n");
}

TEST(FormatEhlo, Refusals) {
  EXPECT_FALSE(format_ehlo_reply("bad domain", "", {}).ok());
  const std::vector<ehlo_keyword> bad_kw{{"SIZE", {}}, {"AUTH=LOGIN", {}}};
  EXPECT_TRUE(refused(format_ehlo_reply("mx.example.com", "", bad_kw), error_code::invalid_ehlo_keyword, 1));
  const std::vector<ehlo_keyword> bad_param{{"AUTH", {"PL AIN"}}};
  EXPECT_TRUE(refused(format_ehlo_reply("mx.example.com", "", bad_param), error_code::invalid_ehlo_param, 0));
  const std::vector<ehlo_keyword> empty_param{{"AUTH", {""}}};
  EXPECT_TRUE(refused(format_ehlo_reply("mx.example.com", "", empty_param), error_code::invalid_ehlo_param, 0));
  EXPECT_TRUE(refused(format_ehlo_reply("mx.example.com", "hi\r\n250 PIPELINING", {}), error_code::forbidden_reply_octet, 2));
  format_options o;
  o.policy = text_policy::neutralise;
  EXPECT_EQ(text_of(format_ehlo_reply("mx.example.com", "hi\r\nX", {}, o)), "250 mx.example.com hi  X\r\n");
  const std::string long_greeting(600, 'g');
  EXPECT_TRUE(refused(format_ehlo_reply("mx.example.com", long_greeting, {}), error_code::reply_line_too_long, 0));
}

TEST(StandardReplies, Tables) {
  ASSERT_NE(lookup_standard_reply(354), nullptr);
  EXPECT_EQ(lookup_standard_reply(354)->text, "Start mail input; end with <CRLF>.<CRLF>");
  EXPECT_EQ(lookup_standard_reply(451)->text, "Requested action aborted: local error in processing");
  EXPECT_EQ(lookup_standard_reply(299), nullptr);
  EXPECT_EQ(standard_replies().size(), 24u);
  for (const auto& r : standard_replies()) EXPECT_TRUE(format_reply(r.code, std::nullopt, {r.text}).ok()) << r.code;
  // §4.3.2
  EXPECT_TRUE(is_listed_reply(reply_stage::rcpt, 251));
  EXPECT_FALSE(is_listed_reply(reply_stage::mail, 251));
  EXPECT_TRUE(is_listed_reply(reply_stage::mail, 421));  // any command
  EXPECT_TRUE(is_listed_reply(reply_stage::quit, 500));
  EXPECT_TRUE(is_listed_reply(reply_stage::data, 354));
  EXPECT_FALSE(is_listed_reply(reply_stage::data_end, 354));
  EXPECT_TRUE(is_listed_reply(reply_stage::data_end, 550));
  EXPECT_FALSE(is_listed_reply(reply_stage::noop, 550));
  EXPECT_TRUE(is_listed_reply(reply_stage::connection, 554));
  for (const auto& s : reply_sequences()) EXPECT_NE(lookup_standard_reply(s.code), nullptr) << s.code;
  EXPECT_EQ(reply_stage_for(verb::lhlo), reply_stage::ehlo);
  EXPECT_EQ(reply_stage_for(verb::rcpt), reply_stage::rcpt);
  EXPECT_FALSE(reply_stage_for(verb::starttls).has_value());
  const auto j = nlohmann::json::parse(reply_catalogue_json());
  EXPECT_EQ(j["standard_replies"].size(), standard_replies().size());
  EXPECT_EQ(j["sequences"].size(), reply_sequences().size());
  EXPECT_EQ(j["reply_diagnostics"].size(), reply_diagnostic_catalogue().size());
  EXPECT_EQ(j["sequences"][0]["stage"], "any");
  EXPECT_TRUE(j["standard_replies"][0]["note"].is_null());
}
