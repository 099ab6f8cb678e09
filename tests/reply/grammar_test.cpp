// The formatter's output checked against the ABNF itself (the PEGTL rules of
// grammar/smtpspec/grammar/rfc5321_reply.hpp): Reply-line for every reply, ehlo-ok-rsp for EHLO.
#include <gtest/gtest.h>

#include <string>
#include <tao/pegtl.hpp>
#include <vector>

#include "smtpspec/grammar/rfc3463.hpp"
#include "smtpspec/grammar/rfc5321_reply.hpp"
#include "smtpspec/smtpspec.hpp"
#include "whole_match.hpp"

using namespace smtpspec;
namespace pegtl = tao::pegtl;
namespace g = smtpspec::grammar;

namespace {
using smtpspec_test::whole;
}  // namespace

TEST(Grammar, ReplyLineRule) {
  EXPECT_TRUE(whole<g::rfc5321::Reply_line>("250 OK\r\n"));
  EXPECT_TRUE(whole<g::rfc5321::Reply_line>("250-a\r\n250-\r\n250 b\r\n"));
  EXPECT_TRUE(whole<g::rfc5321::Reply_line>("250\r\n"));
  EXPECT_FALSE(whole<g::rfc5321::Reply_line>("250 \r\n"));   // SP needs a textstring after it
  EXPECT_FALSE(whole<g::rfc5321::Reply_line>("650 x\r\n"));
  EXPECT_FALSE(whole<g::rfc5321::Reply_line>("250 a\nb\r\n"));
  EXPECT_TRUE(whole<g::rfc5321::Greeting>("220 mx.example.com ESMTP\r\n"));
  EXPECT_TRUE(whole<g::rfc5321::Greeting>("220-[192.0.2.1] hi\r\n220-more\r\n220\r\n"));
  EXPECT_FALSE(whole<g::rfc5321::Greeting>("220 -bad\r\n"));
  EXPECT_TRUE(whole<g::rfc3463::status_code>("5.1.10"));
  EXPECT_FALSE(whole<g::rfc3463::status_code>("5.01.1"));
  EXPECT_FALSE(whole<g::rfc3463::status_code>("5.1.1234"));
}

TEST(Grammar, FormatterOutputIsAReplyLine) {
  std::string long_text;
  for (int i = 0; i < 150; ++i) long_text += "word" + std::to_string(i) + ' ';
  const std::string tab = "a\tb";
  const std::string zs(1300, 'z');
  const std::vector<std::vector<std::string_view>> inputs = {
      {}, {""}, {"OK"}, {"", ""}, {"a", "", "b"}, {long_text}, {tab}, {"  leading and trailing  "}, {zs}};
  for (int code : {250, 354, 421, 550}) {
    for (const auto& lines : inputs) {
      for (std::optional<enhanced_status> st :
           {std::optional<enhanced_status>{}, std::optional<enhanced_status>(enhanced_status{static_cast<unsigned>(code / 100), 1, 1})}) {
        if (code == 354 && st) continue;
        const auto r = format_reply(code, st, std::span<const std::string_view>(lines));
        ASSERT_TRUE(r.ok()) << to_json(r);
        EXPECT_TRUE(whole<g::rfc5321::Reply_line>(r->text)) << r->text;
      }
    }
  }
}

TEST(Grammar, EhloReplyIsAnEhloOkRsp) {
  const std::vector<ehlo_keyword> kw{{"SIZE", {"1000"}}, {"AUTH", {"PLAIN", "LOGIN"}}, {"X-EXT", {}}};
  for (const auto& keywords : {std::vector<ehlo_keyword>{}, kw}) {
    for (const char* greeting : {"", "Hello there"}) {
      const auto r = format_ehlo_reply("mx.example.com", greeting, keywords);
      ASSERT_TRUE(r.ok());
      EXPECT_TRUE(whole<g::rfc5321::ehlo_ok_rsp>(r->text)) << r->text;
      // And it reads back to the same keywords.
      const auto e = parse_ehlo_reply(parse_replies(r->text)[0]);
      ASSERT_TRUE(e.ok());
      EXPECT_EQ(e->keywords, keywords);
      EXPECT_TRUE(e->diagnostics.empty());
    }
  }
}
