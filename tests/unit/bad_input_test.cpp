// Bad input: NUL, bare CR, bare LF, invalid UTF-8, 8-bit octets, huge lines. Every entry point must
// return an error value naming the offset and the RFC, never crash (issue 2, "Bad input").
#include <gtest/gtest.h>

#include <string>

#include "gtest_helpers.hpp"

using namespace smtpspec;
using namespace smtpspec_test;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

struct octet_case {
  std::string input;
  error_code code;
  std::size_t offset;
};

}  // namespace

TEST(BadInput, CommandOctets) {
  const octet_case cases[] = {
      {"NOOP\0"s, error_code::nul_octet, 4},
      {"MAIL FROM:<a\0@b>"s, error_code::nul_octet, 12},
      {"\0"s, error_code::nul_octet, 0},
      {"NO\rOP"s, error_code::bare_cr, 2},
      {"NOOP\r"s, error_code::bare_cr, 4},
      {"MAIL FROM:<a@b>\rRCPT TO:<c@d>\r\n"s, error_code::bare_cr, 15},
      {"NO\nOP"s, error_code::bare_lf, 2},
      {"RCPT TO:<a\n@b>\r\n"s, error_code::bare_lf, 10},
      {"MAIL FROM:<\xC3\xA9@example.com>"s, error_code::non_ascii, 11},  // UTF-8 é
      {"MAIL FROM:<a@\xFF>"s, error_code::non_ascii, 13},                // invalid UTF-8
      {"RCPT TO:<a@b> X=\x80"s, error_code::non_ascii, 16},             // lone continuation octet
      {"EHLO \xE2\x82"s, error_code::non_ascii, 5},                      // truncated sequence
      {"NOOP \xC0\xAF"s, error_code::non_ascii, 5},                      // overlong encoding
  };
  for (const auto& c : cases) {
    for (const auto* o : {&strict, &lenient}) {
      auto r = parse_command(c.input, *o);
      ASSERT_TRUE(rejected(r, c.input, c.code));
      EXPECT_EQ(r.error().offset, c.offset) << printable(c.input);
    }
  }
}

TEST(BadInput, NonAsciiNamesRfc6531) {
  auto r = parse_command("MAIL FROM:<j\xC3\xB6rg@example.com>", strict);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, error_code::non_ascii);
  EXPECT_NE(r.error().rfc.find("RFC 6531"), std::string_view::npos) << r.error().rfc;
  EXPECT_NE(to_json(r).find("RFC 6531"), std::string::npos);
}

TEST(BadInput, SecondLineIsNotAccepted) {
  for (const std::string& in : {"NOOP\r\nNOOP\r\n"s, "NOOP\r\nQUIT"s, "NOOP\nQUIT\n"s})
    for (const auto* o : {&strict, &lenient}) EXPECT_TRUE(rejected(parse_command(in, *o), in));
}

TEST(BadInput, AddressOctets) {
  const octet_case cases[] = {
      {"a\0@b"s, error_code::nul_octet, 1},
      {"a@b\0"s, error_code::nul_octet, 3},
      {"a\r@b"s, error_code::bare_cr, 1},
      {"a@b\n"s, error_code::bare_lf, 3},
      {"\xC3\xA9@b"s, error_code::non_ascii, 0},
      {"a@\xFF\xFE"s, error_code::non_ascii, 2},
      {"a@b\x80"s, error_code::non_ascii, 3},
  };
  for (const auto& c : cases) {
    for (const auto* o : {&strict, &lenient}) {
      auto m = parse_mailbox(c.input, *o);
      ASSERT_TRUE(rejected(m, c.input, c.code));
      EXPECT_EQ(m.error().offset, c.offset) << printable(c.input);
      const std::string path = "<" + c.input + ">";
      auto p = parse_path(path, *o);
      ASSERT_TRUE(rejected(p, path, c.code));
      EXPECT_EQ(p.error().offset, c.offset + 1) << printable(path);
    }
  }
  EXPECT_TRUE(rejected(parse_domain("exa\xC3\xA9mple.com"sv, strict), "exa\xC3\xA9mple.com"s, error_code::non_ascii));
  EXPECT_TRUE(rejected(parse_domain("ex\0ample"sv, strict), "ex\0ample"s, error_code::nul_octet));
  EXPECT_TRUE(rejected(parse_domain("ex\rample"sv, strict), "ex\rample"s, error_code::bare_cr));
}

TEST(BadInput, ErrorFieldsAreFilled) {
  for (const std::string& in : {"MAIL FROM:<a@@b>"s, "FOO"s, ""s, "RCPT TO:<>"s, "NOOP\0"s}) {
    auto r = parse_command(in, strict);
    ASSERT_FALSE(r.ok()) << printable(in);
    const auto& e = r.error();
    EXPECT_LE(e.offset, in.size());
    EXPECT_FALSE(e.rfc.empty());
    EXPECT_FALSE(e.reply.empty());
    EXPECT_NE(e.rfc.find("RFC "), std::string_view::npos) << e.rfc;
    // The reply is "DDD D.D.D": a basic and an enhanced code of the same class.
    ASSERT_GE(e.reply.size(), 9u);
    EXPECT_EQ(e.reply[0], e.reply[4]) << e.reply;
  }
}

TEST(BadInput, HugeLines) {
  // 10 MB: an error with an offset inside the input, and it returns (no quadratic blow-up).
  const std::size_t n = 10u * 1024 * 1024;
  const std::string noop = "NOOP " + std::string(n, 'x');
  auto c = parse_command(noop, strict);
  ASSERT_TRUE(rejected(c, noop, error_code::line_too_long));
  const std::string mail = "MAIL FROM:<" + std::string(n, 'a') + "@b>";
  EXPECT_TRUE(rejected(parse_command(mail, lenient), mail, error_code::line_too_long));
  const std::string verbless(n, 'A');
  EXPECT_TRUE(rejected(parse_command(verbless, strict), verbless));
  const std::string local = std::string(n, 'a') + "@b";
  EXPECT_TRUE(rejected(parse_mailbox(local, strict), local, error_code::local_part_too_long));
  const std::string path = "<" + local + ">";
  EXPECT_TRUE(rejected(parse_path(path, strict), path));
  const std::string dom = make_domain(n);
  EXPECT_TRUE(rejected(parse_domain(dom, strict), dom, error_code::domain_too_long));
  const std::string label(n, 'd');
  EXPECT_TRUE(rejected(parse_domain(label, lenient), label));
  const std::string nested(n, '<');
  EXPECT_TRUE(rejected(parse_path(nested, lenient), nested));
  const std::string quotes = "\"" + std::string(n, '\\');
  EXPECT_TRUE(rejected(parse_mailbox(quotes, lenient), quotes));
}

TEST(BadInput, ValuesPointIntoTheInput) {
  // Exact-size heap copies: an over-read shows up under ASan, a copy shows up as a foreign pointer.
  const heap_input cmd("MAIL FROM:<@r.example:\"q x\"@[IPv6:::1]> SIZE=10 BODY=8BITMIME");
  auto c = parse_command(cmd.view(), strict);
  ASSERT_TRUE(accepted(c, cmd.view()));
  const char* begin = cmd.view().data();
  const char* end = begin + cmd.view().size();
  auto inside = [&](std::string_view v) { return !v.empty() && v.data() >= begin && v.data() + v.size() <= end; };
  EXPECT_TRUE(inside(c->verb_text));
  EXPECT_TRUE(inside(c->path.text));
  EXPECT_TRUE(inside(c->path.mailbox.local_part));
  EXPECT_TRUE(inside(c->path.mailbox.domain.address));
  EXPECT_TRUE(inside(c->path.source_route.at(0).text));
  EXPECT_TRUE(inside(c->params.at(1).value));
  EXPECT_EQ(c->path.mailbox.local_part.data(), begin + 22);

  const heap_input mb("user@example.com");
  auto m = parse_mailbox(mb.view(), strict);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->text.data(), mb.view().data());
  EXPECT_EQ(m->domain.text.data(), mb.view().data() + 5);

  const heap_input dm("[192.0.2.1]");
  auto d = parse_domain(dm.view(), strict);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text.data(), dm.view().data());
  EXPECT_EQ(d->address.data(), dm.view().data() + 1);
}

TEST(BadInput, EveryControlOctetInAMailboxIsRejected) {
  for (int ch = 0; ch < 0x20; ++ch) {
    std::string in = "a@b";
    in.insert(1, 1, static_cast<char>(ch));
    EXPECT_TRUE(rejected(parse_mailbox(in, lenient), in)) << ch;
    std::string quoted = "\"a\"@b";
    quoted.insert(2, 1, static_cast<char>(ch));
    EXPECT_TRUE(rejected(parse_mailbox(quoted, lenient), quoted)) << ch;
  }
  EXPECT_TRUE(rejected(parse_mailbox("a\x7f@b"sv, lenient), "a\x7f@b"s));
}

TEST(BadInput, EveryHighOctetIsNonAscii) {
  for (int ch = 0x80; ch < 0x100; ++ch) {
    std::string in = "NOOP ";
    in += static_cast<char>(ch);
    auto r = parse_command(in, lenient);
    ASSERT_TRUE(rejected(r, in, error_code::non_ascii)) << ch;
    EXPECT_EQ(r.error().offset, 5u);
  }
}
