// parse_mailbox: RFC 5321 §4.1.2 Mailbox = Local-part "@" ( Domain / address-literal ).
#include <gtest/gtest.h>

#include <string>

#include "gtest_helpers.hpp"

using namespace smtpspec;
using namespace smtpspec_test;

TEST(Mailbox, DotString) {
  for (auto in : {"a@b", "user@example.com", "first.last@example.com", "a.b.c@d", "x+tag@example.com",
                  "!#$%&'*+-/=?^_`{|}~@example.com", "0@0", "UPPER.lower@MiXeD.example"}) {
    auto r = parse_mailbox(in, strict);
    ASSERT_TRUE(accepted(r, in));
    const std::string_view sv(in);
    const auto at = sv.rfind('@');
    EXPECT_EQ(r->text, sv);
    EXPECT_EQ(r->local_part, sv.substr(0, at));
    EXPECT_EQ(r->local_kind, local_part_kind::dot_string);
    EXPECT_EQ(r->local_part_value(), sv.substr(0, at));
    EXPECT_EQ(r->domain.text, sv.substr(at + 1));
    EXPECT_EQ(r->domain.kind, domain_kind::name);
    EXPECT_TRUE(r.diags().empty()) << to_json(r);
  }
}

TEST(Mailbox, BadDotString) {
  for (auto in : {".a@b", "a.@b", "a..b@b", "a b@c", "a(b)@c", "a,b@c", "a:b@c", "a;b@c", "a<b@c", "a>b@c",
                  "a[b@c", "a]b@c", "a\\b@c", "a\"b@c", "@b", "a@", "a", "a@@b", "a@b@c", "@", "", "a@b.",
                  "a@.b", "a@-b", "a@b_c"})
    EXPECT_TRUE(rejected(parse_mailbox(in, strict), in));
}

struct quoted_case {
  const char* input;
  const char* local_part;
  const char* value;  // quoting removed
};

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE; quoted-pairSMTP = %d92 %d32-126
TEST(Mailbox, QuotedString) {
  const quoted_case cases[] = {
      {R"("a"@b)", R"("a")", "a"},
      {R"("a b"@b)", R"("a b")", "a b"},
      {R"("a\"b"@b)", R"("a\"b")", R"(a"b)"},
      {R"("a\\b"@b)", R"("a\\b")", R"(a\b)"},
      {R"("Joe\,Smith"@b)", R"("Joe\,Smith")", "Joe,Smith"},  // §4.1.2's own example
      {R"("\ "@b)", R"("\ ")", " "},
      {R"("\~"@b)", R"("\~")", "~"},
      {R"("a@b"@c)", R"("a@b")", "a@b"},
      {R"(" !#[]~.."@c)", R"(" !#[]~..")", " !#[]~.."},
      {R"(""@c)", R"("")", ""},  // *QcontentSMTP allows zero
  };
  for (const auto& c : cases) {
    for (const auto* o : {&strict, &lenient}) {
      auto r = parse_mailbox(c.input, *o);
      ASSERT_TRUE(accepted(r, c.input));
      EXPECT_EQ(r->local_kind, local_part_kind::quoted_string);
      EXPECT_EQ(r->local_part, c.local_part);
      EXPECT_EQ(r->local_part_value(), c.value) << c.input;
      // Both profiles note the quoted local part (info, §4.1.2 SHOULD avoid).
      EXPECT_TRUE(only_diags(r, {diagnostic_id::quoted_local_part}));
    }
  }
}

TEST(Mailbox, BadQuotedString) {
  for (auto in : {
           R"("a@b)",       // unterminated
           R"("a\"@b)",     // the closing quote is escaped
           R"("a"b"@c)",    // DQUOTE inside
           "\"a\tb\"@c",    // TAB is not qtextSMTP
           "\"a\\\tb\"@c",  // nor quoted-pairSMTP
           "\"a\x7f\"@c",   // DEL
           "\"a\\\x7f\"@c",
           R"("a".b@c)",    // Local-part is Dot-string OR Quoted-string, not a mix
           R"(a."b"@c)",
       })
    EXPECT_TRUE(rejected(parse_mailbox(in, strict), in));
}

TEST(Mailbox, AddressLiterals) {
  struct {
    const char* in;
    domain_kind kind;
  } cases[] = {{"a@[192.0.2.1]", domain_kind::ipv4},
               {"a@[IPv6:2001:db8::1]", domain_kind::ipv6},
               {"a@[IPv6:::ffff:192.0.2.1]", domain_kind::ipv6}};
  for (const auto& c : cases) {
    auto r = parse_mailbox(c.in, strict);
    ASSERT_TRUE(accepted(r, c.in));
    EXPECT_EQ(r->domain.kind, c.kind);
    EXPECT_EQ(r->domain.text, std::string_view(c.in).substr(2));
  }
  EXPECT_TRUE(rejected(parse_mailbox("a@[300.1.1.1]", strict), "a@[300.1.1.1]", error_code::snum_out_of_range));
  EXPECT_TRUE(rejected(parse_mailbox("a@[IPv6:1:2:3:4::5:6:7]", strict), "a@[IPv6:1:2:3:4::5:6:7]",
                       error_code::ipv6_too_many_groups));
  EXPECT_TRUE(rejected(parse_mailbox("a@[x:y]", strict), "a@[x:y]", error_code::unregistered_address_literal_tag));
  auto r = parse_mailbox("a@[x:y]", lenient);
  ASSERT_TRUE(accepted(r, "a@[x:y]"));
  EXPECT_EQ(r->domain.kind, domain_kind::general);
}

TEST(Mailbox, LocalPartLimit) {
  const auto max = limits{}.local_part;
  const std::string at = std::string(max, 'l') + "@example.com";
  const std::string over = std::string(max + 1, 'l') + "@example.com";
  EXPECT_TRUE(accepted(parse_mailbox(at, strict), at));
  EXPECT_TRUE(rejected(parse_mailbox(over, strict), over, error_code::local_part_too_long));
  EXPECT_TRUE(rejected(parse_mailbox(over, lenient), over, error_code::local_part_too_long));
  parse_options raised = strict;
  raised.limits.local_part = max + 1;
  EXPECT_TRUE(accepted(parse_mailbox(over, raised), over));
}

TEST(Mailbox, DomainLimits) {
  const std::string at = "a@" + make_domain(limits{}.domain);
  const std::string over = "a@" + make_domain(limits{}.domain + 1);
  EXPECT_TRUE(accepted(parse_mailbox(at, strict), at));
  EXPECT_TRUE(rejected(parse_mailbox(over, strict), over, error_code::domain_too_long));
  const std::string label = "a@" + std::string(limits{}.label + 1, 'x') + ".com";
  EXPECT_TRUE(rejected(parse_mailbox(label, strict), label, error_code::label_too_long));
}

TEST(Mailbox, TrailingDotDomain) {
  EXPECT_TRUE(rejected(parse_mailbox("a@example.com.", strict), "a@example.com."));
  auto r = parse_mailbox("a@example.com.", lenient);
  ASSERT_TRUE(accepted(r, "a@example.com."));
  EXPECT_TRUE(only_diags(r, {diagnostic_id::trailing_dot_domain}));
}

TEST(Mailbox, KindNames) {
  EXPECT_EQ(to_string(local_part_kind::dot_string), "dot_string");
  EXPECT_EQ(to_string(local_part_kind::quoted_string), "quoted_string");
}
