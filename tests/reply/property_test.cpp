// RapidCheck properties for replies and status codes:
//  - any split of a reply stream gives the same replies (and they tile the stream exactly);
//  - format → parse gives back the code, the enhanced code and the text;
//  - whatever the text, nothing but the line ends is CR or LF, NUL never appears, and every
//    formatted reply matches Reply-line;
//  - parse_enhanced_status accepts exactly the status-code rule, and prints back what it read.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <tao/pegtl.hpp>
#include <vector>

#include "smtpspec/grammar/rfc3463.hpp"
#include "smtpspec/grammar/rfc5321_reply.hpp"
#include "smtpspec/smtpspec.hpp"
#include "whole_match.hpp"

using namespace smtpspec;
namespace pegtl = tao::pegtl;

namespace {

using smtpspec_test::whole;

std::string json_of(const std::vector<reply>& rs) { return to_json(std::span<const reply>(rs)); }

// Pieces reply streams are made of, so random streams look like replies often enough.
rc::Gen<std::string> stream() {
  const std::vector<std::string> pieces = {"250", "250-", "250 ", "550 ", "5.1.1 ", "2.0.0", "\r\n", "\r", "\n",
                                           "OK", " ", "-", "2500", "25", "\xc3\xa9", std::string(1, '\0'), "x"};
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(
                          rc::gen::oneOf(rc::gen::elementOf(pieces), rc::gen::map(rc::gen::arbitrary<char>(), [](char c) {
                                           return std::string(1, c);
                                         }))),
                      [](const std::vector<std::string>& v) {
                        std::string s;
                        for (const auto& p : v) s += p;
                        return s;
                      });
}

const std::string text_chars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?<>@[]()-_=+/\\\"'\t";

rc::Gen<std::string> text_line() {
  return rc::gen::weightedOneOf<std::string>({
      {8, rc::gen::container<std::string>(rc::gen::elementOf(text_chars))},
      {1, rc::gen::map(rc::gen::inRange<std::size_t>(400, 1500), [](std::size_t n) {
         std::string s;
         for (std::size_t i = 0; i < n; ++i) s += (i % 7 == 6) ? ' ' : static_cast<char>('a' + i % 26);
         return s;
       })},
  });
}

rc::Gen<int> reply_code() {
  return rc::gen::map(rc::gen::tuple(rc::gen::inRange(2, 6), rc::gen::inRange(0, 6), rc::gen::inRange(0, 10)),
                      [](const std::tuple<int, int, int>& t) {
                        return std::get<0>(t) * 100 + std::get<1>(t) * 10 + std::get<2>(t);
                      });
}

bool starts_like_status(std::string_view s) {
  return s.size() >= 2 && (s[0] == '2' || s[0] == '4' || s[0] == '5') && s[1] == '.';
}

std::string without_spaces(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ') out.push_back(c);
  return out;
}

}  // namespace

RC_GTEST_PROP(ReplyStream, AnySplitGivesTheSameReplies, ()) {
  const std::string s = *stream();
  const auto whole_replies = parse_replies(s);
  const std::string expected = json_of(whole_replies);
  RC_ASSERT(!nlohmann::json::parse(expected, nullptr, false).is_discarded());  // valid JSON, valid UTF-8
  // The replies tile the stream: every octet belongs to exactly one reply.
  std::size_t at = 0;
  for (const auto& r : whole_replies) {
    RC_ASSERT(r.offset == at);
    RC_ASSERT(r.length > 0 || at == s.size());
    at += r.length;
    for (const auto& d : r.diagnostics) RC_ASSERT(d.offset <= s.size());
    RC_ASSERT(r.lines.size() <= r.line_count);
  }
  RC_ASSERT(at == s.size());
  // Random cut points.
  const auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, s.size() + 1));
  reply_parser p;
  std::size_t from = 0;
  std::vector<std::size_t> sorted = cuts;
  std::sort(sorted.begin(), sorted.end());
  std::vector<reply> got;
  for (std::size_t c : sorted) {
    p.feed(std::string_view(s).substr(from, c - from));
    for (auto& r : p.take()) got.push_back(std::move(r));
    from = c;
  }
  p.feed(std::string_view(s).substr(from));
  p.finish();
  for (auto& r : p.take()) got.push_back(std::move(r));
  RC_ASSERT(json_of(got) == expected);
}

RC_GTEST_PROP(ReplyFormat, RoundTrip, ()) {
  const int code = *reply_code();
  const bool with_status = code / 100 != 3 && *rc::gen::arbitrary<bool>();
  std::optional<enhanced_status> st;
  if (with_status)
    st = enhanced_status{static_cast<unsigned>(code / 100), *rc::gen::inRange(0u, 1000u), *rc::gen::inRange(0u, 1000u)};
  const auto lines = *rc::gen::container<std::vector<std::string>>(text_line());
  if (!st)
    for (const auto& l : lines) RC_PRE(!starts_like_status(l));
  const std::vector<std::string_view> views(lines.begin(), lines.end());
  const auto f = format_reply(code, st, views);
  RC_ASSERT(f.ok());
  RC_ASSERT(whole<grammar::rfc5321::Reply_line>(f->text));

  const auto rs = parse_replies(f->text);
  RC_ASSERT(rs.size() == 1u);
  const auto& r = rs[0];
  RC_ASSERT(r.code == code);
  RC_ASSERT(r.enhanced == st);
  RC_ASSERT(r.line_count == f->line_count);
  RC_ASSERT(r.valid());
  for (const auto& d : r.diagnostics) RC_ASSERT(d.id == reply_diagnostic_id::code_without_text);

  bool wrapped = false;
  for (const auto& l : lines) wrapped = wrapped || l.size() + 6 + (st ? st->to_string().size() + 1 : 0) > 512;
  const auto messages = r.messages();
  if (!wrapped) {
    const std::size_t n = lines.empty() ? 1 : lines.size();
    RC_ASSERT(messages.size() == n);
    for (std::size_t i = 0; i < lines.size(); ++i) RC_ASSERT(messages[i] == lines[i]);
  } else {
    std::string in, out;
    for (const auto& l : lines) in += l;
    for (const auto& m : messages) out += m;
    RC_ASSERT(without_spaces(in) == without_spaces(out));
  }
}

RC_GTEST_PROP(ReplyFormat, NoInjectionWhateverTheText, ()) {
  const auto lines = *rc::gen::container<std::vector<std::string>>(rc::gen::container<std::string>(
      rc::gen::weightedOneOf<char>({{3, rc::gen::element<char>('\r', '\n', '\0', ' ', 'a', '\x80', '\t')},
                                    {2, rc::gen::arbitrary<char>()}})));
  const std::vector<std::string_view> views(lines.begin(), lines.end());
  format_options o;
  o.policy = *rc::gen::element(text_policy::refuse, text_policy::neutralise);
  o.utf8 = *rc::gen::arbitrary<bool>();
  o.max_line = *rc::gen::element<std::size_t>(16, 80, 512);
  const auto f = format_reply(550, enhanced_status{5, 7, 1}, views, o);
  if (o.policy == text_policy::neutralise) RC_ASSERT(f.ok());
  if (!f.ok()) {
    RC_ASSERT(f.error().code == error_code::forbidden_reply_octet);
    std::size_t total = 0;
    for (const auto& l : lines) total += l.size() + 1;
    RC_ASSERT(f.error().offset < total);
    return;
  }
  const std::string& t = f->text;
  RC_ASSERT(t.find('\0') == std::string::npos);
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\r') RC_ASSERT(i + 1 < t.size() && t[i + 1] == '\n');
    if (t[i] == '\n') RC_ASSERT(i > 0 && t[i - 1] == '\r');
  }
  if (!o.utf8) RC_ASSERT(whole<grammar::rfc5321::Reply_line>(t));
  const auto rs = parse_replies(t);
  RC_ASSERT(rs.size() == 1u);
  RC_ASSERT(rs[0].code == 550);
  RC_ASSERT(rs[0].line_count == f->line_count);
  for (const auto& d : rs[0].diagnostics) RC_ASSERT(d.id != reply_diagnostic_id::line_too_long);
}

RC_GTEST_PROP(EnhancedStatus, MatchesTheGrammar, ()) {
  const std::string s = *rc::gen::container<std::string>(rc::gen::element<char>('0', '1', '2', '4', '5', '9', '.', ' ', 'X'));
  const auto r = parse_enhanced_status(s);
  RC_ASSERT(r.ok() == whole<grammar::rfc3463::status_code>(s));
  if (r.ok()) {
    RC_ASSERT(r->to_string() == s);
  } else {
    RC_ASSERT(r.error().offset <= s.size());
    RC_ASSERT(r.error().code == error_code::invalid_enhanced_status);
  }
}

RC_GTEST_PROP(EnhancedStatus, PrintsAndParsesBack, ()) {
  const enhanced_status s{*rc::gen::element(2u, 4u, 5u), *rc::gen::inRange(0u, 1000u), *rc::gen::inRange(0u, 1000u)};
  const auto r = parse_enhanced_status(s.to_string());
  RC_ASSERT(r.ok());
  RC_ASSERT(r.value() == s);
}
