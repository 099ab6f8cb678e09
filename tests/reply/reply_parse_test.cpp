// The client-side reply parser: aggregation, every diagnostic, split independence, bounded memory
// on hostile streams, and EHLO replies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smtpspec/smtpspec.hpp"
#include "gtest_helpers.hpp"

using namespace smtpspec;
using id = reply_diagnostic_id;

namespace {

std::string json_of(const std::vector<reply>& rs) { return to_json(std::span<const reply>(rs)); }

std::vector<reply> parse_in_chunks(std::string_view s, std::size_t chunk, const reply_parse_options& o = {}) {
  reply_parser p(o);
  std::vector<reply> out;
  for (std::size_t at = 0; at < s.size(); at += chunk) {
    p.feed(s.substr(at, chunk));
    for (auto& r : p.take()) out.push_back(std::move(r));
  }
  p.finish();
  for (auto& r : p.take()) out.push_back(std::move(r));
  return out;
}

std::vector<id> ids(const reply& r) {
  std::vector<id> out;
  for (const auto& d : r.diagnostics) out.push_back(d.id);
  return out;
}

// The single reply of `stream`, with exactly the diagnostics `want` (in offset order).
::testing::AssertionResult one_reply(std::string_view stream, std::vector<id> want, reply* out = nullptr) {
  const auto rs = parse_replies(stream);
  if (rs.size() != 1) return ::testing::AssertionFailure() << rs.size() << " replies: " << json_of(rs);
  if (ids(rs[0]) != want) return ::testing::AssertionFailure() << "diagnostics: " << to_json(rs[0]);
  for (const auto& d : rs[0].diagnostics)
    if (d.offset > stream.size()) return ::testing::AssertionFailure() << "offset beyond the stream";
  if (out) *out = rs[0];
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(ReplyParser, SingleLine) {
  reply r;
  ASSERT_TRUE(one_reply("250 OK\r\n", {}, &r));
  EXPECT_EQ(r.code, 250);
  EXPECT_FALSE(r.enhanced);
  EXPECT_FALSE(r.multiline());
  EXPECT_EQ(r.length, 8u);
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].text, "OK");
  EXPECT_TRUE(r.valid());
  EXPECT_EQ(to_json(r),
            R"({"code":250,"enhanced":null,"multiline":false,"offset":0,"length":8,"line_count":1,"lines":[{"offset":0,"text":"OK"}],"diagnostics":[]})");
}

TEST(ReplyParser, MultiLineAggregation) {
  const std::string s = "250-First line\r\n250-Second line\r\n250-234 Text beginning with numbers\r\n250 The last line\r\n";
  reply r;
  ASSERT_TRUE(one_reply(s, {}, &r));
  EXPECT_TRUE(r.multiline());
  EXPECT_EQ(r.line_count, 4u);
  EXPECT_EQ(r.lines[2].text, "234 Text beginning with numbers");
  EXPECT_EQ(r.lines[1].offset, 16u);
  EXPECT_EQ(r.length, s.size());
}

TEST(ReplyParser, StreamOfReplies) {
  const auto rs = parse_replies("220 mx ESMTP\r\n250-mx\r\n250 SIZE\r\n354 go\r\n");
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[1].offset, 14u);
  EXPECT_EQ(rs[2].code, 354);
  EXPECT_EQ(rs[2].offset + rs[2].length, 40u);
}

TEST(ReplyParser, EnhancedCodes) {
  reply r;
  ASSERT_TRUE(one_reply("551-5.7.1 Forwarding to remote hosts disabled\r\n551 5.7.1 Select another host\r\n", {}, &r));
  ASSERT_TRUE(r.enhanced);
  EXPECT_EQ(*r.enhanced, (enhanced_status{5, 7, 1}));
  EXPECT_EQ(r.messages(), (std::vector<std::string>{"Forwarding to remote hosts disabled", "Select another host"}));
  // Not an enhanced code: followed by something other than SP.
  ASSERT_TRUE(one_reply("250 1.2.3.4 is your address\r\n", {}, &r));
  EXPECT_FALSE(r.enhanced);
  ASSERT_TRUE(one_reply("250 2.1.5.3 ok\r\n", {}, &r));
  EXPECT_FALSE(r.enhanced);
}

TEST(ReplyParser, CodeSyntax) {
  reply r;
  ASSERT_TRUE(one_reply("2500 OK\r\n", {id::reply_code_syntax}, &r));
  EXPECT_FALSE(r.code);
  EXPECT_EQ(r.diagnostics[0].offset, 3u);
  EXPECT_EQ(r.lines[0].text, "2500 OK");
  ASSERT_TRUE(one_reply("25\r\n", {id::reply_code_syntax}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 2u);
  ASSERT_TRUE(one_reply("abc def\r\n", {id::reply_code_syntax}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 0u);
  ASSERT_TRUE(one_reply("\r\n", {id::reply_code_syntax}));
  EXPECT_FALSE(r.valid());
}

TEST(ReplyParser, CodeRange) {
  reply r;
  ASSERT_TRUE(one_reply("150 x\r\n", {id::reply_code_out_of_range}, &r));
  EXPECT_EQ(r.code, 150);  // kept: clients interpret the first digit (§4.2)
  ASSERT_TRUE(one_reply("260 x\r\n", {id::reply_code_out_of_range}));
  ASSERT_TRUE(one_reply("650 x\r\n", {id::reply_code_out_of_range}));
  ASSERT_TRUE(one_reply("559 x\r\n", {}));
}

TEST(ReplyParser, Separator) {
  reply r;
  ASSERT_TRUE(one_reply("250OK\r\n", {id::missing_separator}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 3u);
  EXPECT_EQ(r.lines[0].text, "OK");
  // §4.2: the code alone is acceptable (with or without SP), senders SHOULD NOT send it.
  ASSERT_TRUE(one_reply("250\r\n", {id::code_without_text}, &r));
  EXPECT_TRUE(r.valid());
  ASSERT_TRUE(one_reply("250 \r\n", {id::code_without_text}));
  ASSERT_TRUE(one_reply("250-\r\n250 x\r\n", {}));
}

TEST(ReplyParser, MixedCodes) {
  reply r;
  ASSERT_TRUE(one_reply("250-a\r\n251-b\r\n250 c\r\n", {id::mixed_reply_codes}, &r));
  EXPECT_EQ(r.code, 250);
  EXPECT_EQ(r.diagnostics[0].offset, 7u);
  EXPECT_EQ(r.line_count, 3u);
}

TEST(ReplyParser, EnhancedDiagnostics) {
  reply r;
  ASSERT_TRUE(one_reply("550 5.01.1 bad\r\n", {id::enhanced_status_syntax}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 4u);
  EXPECT_FALSE(r.enhanced);
  ASSERT_TRUE(one_reply("550 5.1.1000 x\r\n", {id::enhanced_status_syntax}));
  ASSERT_TRUE(one_reply("250 5.1.1 x\r\n", {id::enhanced_status_class_mismatch}, &r));
  EXPECT_TRUE(r.enhanced);  // reported as received
  ASSERT_TRUE(one_reply("550-5.1.1 a\r\n550 b\r\n", {id::enhanced_status_inconsistent}, &r));
  EXPECT_FALSE(r.enhanced);
  ASSERT_TRUE(one_reply("550-a\r\n550 5.1.1 b\r\n", {id::enhanced_status_inconsistent}));
  ASSERT_TRUE(one_reply("550-5.1.1 a\r\n550 5.1.2 b\r\n", {id::enhanced_status_inconsistent}));
  ASSERT_TRUE(one_reply("250 2.0.0\r\n", {id::enhanced_status_without_space}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 9u);
  ASSERT_TRUE(one_reply("250 2.0.0 \r\n", {}));
}

TEST(ReplyParser, LineEnds) {
  reply r;
  ASSERT_TRUE(one_reply("250 OK\n", {id::bare_lf}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 6u);
  EXPECT_EQ(r.lines[0].text, "OK");
  ASSERT_TRUE(one_reply("250 O\rK\r\n", {id::bare_cr}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 5u);
  EXPECT_EQ(r.lines[0].text, "O\rK");
  ASSERT_TRUE(one_reply("250 OK\r\r\n", {id::bare_cr}, &r));
  EXPECT_EQ(r.lines[0].text, "OK\r");
  // Without lf_ends_line a bare LF is text, and the line goes on to the CRLF.
  reply_parse_options o;
  o.lf_ends_line = false;
  const auto rs = parse_replies("250-a\nb\r\n250 c\r\n", o);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].lines[0].text, "a\nb");
  EXPECT_EQ(ids(rs[0]), std::vector<id>{id::bare_lf});
}

TEST(ReplyParser, TextOctets) {
  reply r;
  ASSERT_TRUE(one_reply("250 caf\xc3\xa9 \xc3\xa9\r\n", {id::eight_bit_text}, &r));  // once per line
  EXPECT_EQ(r.diagnostics[0].offset, 7u);
  ASSERT_TRUE(one_reply(std::string("250 a\0b\x01\r\n", 10), {id::control_character}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 5u);
  ASSERT_TRUE(one_reply("250 a\tb\r\n", {}));
  ASSERT_TRUE(one_reply("250 a\x7f\r\n", {id::control_character}));
}

TEST(ReplyParser, EndOfStream) {
  reply r;
  ASSERT_TRUE(one_reply("250 OK", {id::unterminated_line}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 6u);
  EXPECT_EQ(r.length, 6u);
  ASSERT_TRUE(one_reply("250-a\r\n", {id::unterminated_reply}, &r));
  EXPECT_EQ(r.length, 7u);
  ASSERT_TRUE(one_reply("250-a\r\n250-b", {id::unterminated_line, id::unterminated_reply}));
  ASSERT_TRUE(one_reply("250 OK\r", {id::bare_cr, id::unterminated_line}, &r));
  EXPECT_EQ(r.lines[0].text, "OK\r");
  EXPECT_TRUE(parse_replies("").empty());
  // A stream that ends after a complete reply: nothing more.
  EXPECT_EQ(parse_replies("250 OK\r\n").size(), 1u);
}

TEST(ReplyParser, LongLineIsCountedNotKept) {
  std::string s = "250 " + std::string(600, 'x') + "\r\n";
  reply r;
  ASSERT_TRUE(one_reply(s, {id::line_too_long}, &r));
  EXPECT_EQ(r.diagnostics[0].offset, 510u);  // the first octet past 512 including CRLF
  EXPECT_EQ(r.lines[0].text.size(), 506u);
  EXPECT_EQ(r.length, s.size());
  // Exactly 512 octets including CRLF is fine.
  ASSERT_TRUE(one_reply("250 " + std::string(506, 'x') + "\r\n", {}));
  ASSERT_TRUE(one_reply("250 " + std::string(507, 'x') + "\r\n", {id::line_too_long}));
}

TEST(ReplyParser, TenMegabyteLine) {
  reply_parser p;
  const std::string chunk(64 * 1024, '\xe9');
  p.feed("250 ");
  std::size_t fed = 4;
  while (fed < 10 * 1024 * 1024) {
    p.feed(chunk);
    fed += chunk.size();
  }
  p.feed("\r\n250 next\r\n");
  p.finish();
  auto rs = p.take();
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].lines[0].text.size(), 506u);
  EXPECT_EQ(rs[0].length, fed + 2);
  EXPECT_EQ(ids(rs[0]), (std::vector<id>{id::eight_bit_text, id::line_too_long}));
  EXPECT_EQ(rs[1].offset, fed + 2);
  EXPECT_EQ(rs[1].lines[0].text, "next");
}

TEST(ReplyParser, HundredThousandContinuationLines) {
  std::string s;
  for (int i = 0; i < 100000; ++i) s += i % 2 ? "250-line\r\n" : "251-line\r\n";
  s += "250 end\r\n";
  reply_parser p;
  p.feed(s);
  p.finish();
  const auto rs = p.take();
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].line_count, 100001u);
  EXPECT_EQ(rs[0].lines.size(), 1000u);
  // Every second line has a different code, but the diagnostics stop at the cap.
  EXPECT_EQ(rs[0].diagnostics.size(), 65u);
  EXPECT_EQ(rs[0].diagnostics.back().id, id::too_many_diagnostics);
  EXPECT_EQ(rs[0].length, s.size());
  EXPECT_EQ(rs[0].code, 251);
}

TEST(ReplyParser, TooManyLinesDiagnostic) {
  reply_parse_options o;
  o.max_lines = 2;
  const auto rs = parse_replies("250-a\r\n250-b\r\n250-c\r\n250 d\r\n", o);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].lines.size(), 2u);
  EXPECT_EQ(rs[0].line_count, 4u);
  EXPECT_EQ(ids(rs[0]), std::vector<id>{id::too_many_lines});
  EXPECT_EQ(rs[0].diagnostics[0].offset, 14u);
}

TEST(ReplyParser, EverySplitGivesTheSameReplies) {
  const std::vector<std::string> streams = {
      "250 OK\r\n",
      "250-a\r\n250-b\r\n250 c\r\n220 next\r\n",
      "550-5.1.1 a\r\n550 5.1.2 b\r\n",
      "250 OK\n2500 x\r\n25\r\n250OK\r\n",
      "250 O\rK\r\n250 x\r\r\n250 y\r",
      std::string("250 a\0\x80\x7f\r\n", 10),
      "250-a\r\n251-b",
      "250 " + std::string(520, 'y') + "\r\n250 z\r\n",
  };
  for (const auto& s : streams) {
    const std::string whole = json_of(parse_replies(s));
    for (std::size_t cut = 0; cut <= s.size(); ++cut) {
      reply_parser p;
      p.feed(std::string_view(s).substr(0, cut));
      p.feed(std::string_view(s).substr(cut));
      p.finish();
      ASSERT_EQ(json_of(p.take()), whole) << "split at " << cut << " of " << smtpspec_test::printable(s);
    }
    EXPECT_EQ(json_of(parse_in_chunks(s, 1)), whole);
    EXPECT_EQ(json_of(parse_in_chunks(s, 3)), whole);
  }
}

TEST(ReplyParser, QueueAndLifecycle) {
  reply_parser p;
  p.feed("250 a\r\n250 b\r\n250-c");
  EXPECT_EQ(p.pending(), 2u);
  EXPECT_EQ(p.consumed(), 19u);
  auto a = p.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->lines[0].text, "a");
  EXPECT_EQ(p.pending(), 1u);
  p.feed("\r\n250 d\r\n");
  EXPECT_EQ(p.take().size(), 2u);
  EXPECT_FALSE(p.next());
  p.finish();
  EXPECT_TRUE(p.finished());
  p.feed("250 ignored\r\n");
  EXPECT_EQ(p.pending(), 0u);
  p.reset();
  EXPECT_FALSE(p.finished());
  p.feed("250 again\r\n");
  const auto r = p.next();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->offset, 0u);
}

TEST(EhloReply, KeywordsAndParams) {
  const auto rs = parse_replies(
      "250-mx.example.com Hello client [192.0.2.1]\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
      "250-AUTH PLAIN LOGIN\r\n250 ENHANCEDSTATUSCODES\r\n");
  ASSERT_EQ(rs.size(), 1u);
  const auto e = parse_ehlo_reply(rs[0]);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->domain, "mx.example.com");
  EXPECT_EQ(e->greeting, "Hello client [192.0.2.1]");
  ASSERT_EQ(e->keywords.size(), 4u);
  EXPECT_EQ(e->keywords[2].params, (std::vector<std::string>{"PLAIN", "LOGIN"}));
  ASSERT_NE(e->find("auth"), nullptr);  // case-insensitive (§4.1.1.1)
  EXPECT_EQ(e->find("STARTTLS"), nullptr);
  EXPECT_TRUE(e->diagnostics.empty());
  EXPECT_EQ(to_json(parse_ehlo_reply(parse_replies("250 mx.example.com\r\n")[0])),
            R"({"ok":true,"value":{"domain":"mx.example.com","greeting":null,"keywords":[],"extensions":[],"diagnostics":[]},"diagnostics":[]})");
}

TEST(EhloReply, OddLinesAreReadAndReported) {
  const auto rs = parse_replies("250-mx..bad greeting\r\n250-AUTH=LOGIN PLAIN\r\n250 -X\r\n");
  const auto e = parse_ehlo_reply(rs[0]);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->keywords[0].keyword, "AUTH=LOGIN");
  EXPECT_EQ(e->keywords[0].params, std::vector<std::string>{"PLAIN"});
  ASSERT_EQ(e->diagnostics.size(), 3u);
  EXPECT_EQ(e->diagnostics[0].id, id::ehlo_domain_syntax);
  EXPECT_EQ(e->diagnostics[1].id, id::ehlo_keyword_syntax);
  EXPECT_EQ(e->diagnostics[1].offset, 22u);
}

TEST(EhloReply, NotAPositiveReply) {
  const auto e = parse_ehlo_reply(parse_replies("\r\n502 5.5.1 no\r\n")[1]);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, error_code::invalid_ehlo_reply);
  EXPECT_EQ(e.error().offset, 2u);
  EXPECT_FALSE(parse_ehlo_reply(parse_replies("25\r\n")[0]).ok());
}

TEST(ReplyDiagnostics, Catalogue) {
  const auto cat = reply_diagnostic_catalogue();
  for (std::size_t i = 0; i < cat.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(cat[i].id), i);
    EXPECT_FALSE(cat[i].rfc.empty());
    EXPECT_FALSE(cat[i].message.empty());
    EXPECT_EQ(to_string(cat[i].id), cat[i].name);
  }
}

// Canonical JSON is UTF-8: received octets that are not are written as U+FFFD per maximal
// ill-formed subsequence, which is what JavaScript's TextDecoder and Python's
// bytes.decode("utf-8", "replace") give, so the three surfaces agree.
TEST(ReplyJson, IllFormedUtf8) {
  const std::string fffd = "\xef\xbf\xbd";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\xed\xa0\x80", fffd + fffd + fffd},   // a surrogate: ED then two stray octets
      {"\xe0\x80", fffd + fffd},              // overlong lead
      {"\xf4\x90\x80\x80", fffd + fffd + fffd + fffd},
      {"\xc0\xaf", fffd + fffd},
      {"\xe2\x82", fffd},                     // truncated, one subsequence
      {"\xe2\x82x", fffd + "x"},
      {"\xf0\x9f\x98", fffd},
      {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},  // valid: copied
      {"\xff", fffd},
  };
  for (const auto& [in, want] : cases) {
    const auto rs = parse_replies("250 " + in + "\r\n");
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].lines[0].text, in);  // the value keeps the octets
    const auto j = nlohmann::json::parse(to_json(rs[0]), nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << smtpspec_test::printable(in);
    EXPECT_EQ(j["lines"][0]["text"].get<std::string>(), want) << smtpspec_test::printable(in);
  }
}
