// parse_domain: RFC 5321 §4.1.2 Domain and §4.1.3 address literals.
#include <gtest/gtest.h>

#include <string>

#include "gtest_helpers.hpp"

using namespace smtpspec;
using namespace smtpspec_test;

namespace {

void expect_name(std::string_view in) {
  auto r = parse_domain(in, strict);
  ASSERT_TRUE(accepted(r, in));
  EXPECT_EQ(r->kind, domain_kind::name);
  EXPECT_EQ(r->text, in);
  EXPECT_TRUE(r->tag.empty());
  EXPECT_TRUE(r->address.empty());
  EXPECT_TRUE(r.diags().empty()) << to_json(r);
}

}  // namespace

// Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str];
// Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig
TEST(Domain, LetDigAndLdhStr) {
  for (auto in : {"a", "Z", "7", "example.com", "EXAMPLE.COM", "a-b.c", "a--b.c", "xn--bcher-kva.example",
                  "1a.2b", "123.456", "0", "a.b.c.d.e.f.g", "mail-1.sub-2.example-3.org"})
    expect_name(in);
}

TEST(Domain, RejectsBadLabels) {
  for (auto in : {"-a", "a-", "a-.b", "-a.b", "a.-b", "a.b-", "a_b", "a..b", ".a", "..", ".", "a b", "a@b",
                  "a/b", "a:b", "(a)", "a*", "[", "]", "a[b]"})
    EXPECT_TRUE(rejected(parse_domain(in, strict), in));
}

TEST(Domain, EmptyIsRejected) { EXPECT_TRUE(rejected(parse_domain("", strict), "")); }

TEST(Domain, TrailingDotStrictVsLenient) {
  EXPECT_TRUE(rejected(parse_domain("example.com.", strict), "example.com."));
  auto r = parse_domain("example.com.", lenient);
  ASSERT_TRUE(accepted(r, "example.com."));
  EXPECT_TRUE(only_diags(r, {diagnostic_id::trailing_dot_domain}));
  // "." alone is no domain in either profile.
  EXPECT_TRUE(rejected(parse_domain(".", lenient), "."));
}

TEST(Domain, LabelLimit) {
  const auto max = limits{}.label;
  const std::string at = std::string(max, 'a') + ".com";
  const std::string over = std::string(max + 1, 'a') + ".com";
  expect_name(at);
  EXPECT_TRUE(rejected(parse_domain(over, strict), over, error_code::label_too_long));
  EXPECT_TRUE(rejected(parse_domain(over, lenient), over, error_code::label_too_long));
  // A single label too.
  const std::string single(max + 1, 'b');
  EXPECT_TRUE(rejected(parse_domain(single, strict), single, error_code::label_too_long));
}

TEST(Domain, DomainLimit) {
  const auto max = limits{}.domain;
  const std::string at = make_domain(max);
  const std::string over = make_domain(max + 1);
  ASSERT_EQ(at.size(), max);
  ASSERT_EQ(over.size(), max + 1);
  expect_name(at);
  EXPECT_TRUE(rejected(parse_domain(over, strict), over, error_code::domain_too_long));
  EXPECT_TRUE(rejected(parse_domain(over, lenient), over, error_code::domain_too_long));
}

TEST(Domain, LimitsAreConfigurable) {
  parse_options o = strict;
  o.limits.domain = 1000;
  const std::string d = make_domain(300);
  EXPECT_TRUE(accepted(parse_domain(d, o), d));
  o.limits.label = 100;
  const std::string l = std::string(80, 'x') + ".y";
  EXPECT_TRUE(accepted(parse_domain(l, o), l));
}

// IPv4-address-literal = Snum 3("." Snum); Snum = 1*3DIGIT, 0 through 255
TEST(Domain, Ipv4Literal) {
  for (auto in : {"[0.0.0.0]", "[255.255.255.255]", "[127.0.0.1]", "[192.0.2.1]", "[001.02.3.000]"}) {
    auto r = parse_domain(in, strict);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_EQ(r->kind, domain_kind::ipv4);
    EXPECT_EQ(r->text, in);
    EXPECT_TRUE(r->tag.empty());
    std::string_view sv(in);
    EXPECT_EQ(r->address, sv.substr(1, sv.size() - 2));
  }
}

TEST(Domain, Ipv4SnumLimit) {
  for (auto in : {"[256.0.0.1]", "[1.256.0.1]", "[1.2.256.1]", "[1.2.3.256]", "[999.1.1.1]"}) {
    EXPECT_TRUE(rejected(parse_domain(in, strict), in, error_code::snum_out_of_range));
    EXPECT_TRUE(rejected(parse_domain(in, lenient), in, error_code::snum_out_of_range));
  }
}

TEST(Domain, Ipv4Malformed) {
  for (auto in : {"[1.2.3]", "[1.2.3.4.5]", "[1.2.3.]", "[.1.2.3]", "[1..2.3]", "[1234.1.1.1]", "[1.2.3.4",
                  "1.2.3.4]", "[]", "[ 1.2.3.4]", "[1.2.3.4 ]", "[-1.2.3.4]", "[a.b.c.d]"})
    EXPECT_TRUE(rejected(parse_domain(in, strict), in));
}

// IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp (§4.1.3)
TEST(Domain, Ipv6AllFourForms) {
  for (auto in : {
           "[IPv6:2001:db8:0:0:0:0:0:1]",       // IPv6-full
           "[IPv6:ffff:FFFF:0:1:2:3:4:abcd]",   // IPv6-full, 1*4HEXDIG either case
           "[IPv6:::]",                         // IPv6-comp, nothing around "::"
           "[IPv6:::1]",                        // IPv6-comp
           "[IPv6:1::]",                        // IPv6-comp
           "[IPv6:2001:db8::1]",                // IPv6-comp
           "[IPv6:1:2:3::4:5:6]",               // IPv6-comp, 6 groups besides "::"
           "[IPv6:1:2:3:4:5:6::]",              // IPv6-comp, 6 before
           "[IPv6:::1:2:3:4:5:6]",              // IPv6-comp, 6 after
           "[IPv6:1:2:3:4:5:6:1.2.3.4]",        // IPv6v4-full
           "[IPv6:::1.2.3.4]",                  // IPv6v4-comp, nothing but "::"
           "[IPv6:::ffff:192.0.2.1]",           // IPv6v4-comp
           "[IPv6:1:2::3:4:1.2.3.4]",           // IPv6v4-comp, 4 groups besides "::"
           "[IPv6:1:2:3:4::1.2.3.4]",           // IPv6v4-comp, 4 before
       }) {
    auto r = parse_domain(in, strict);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_EQ(r->kind, domain_kind::ipv6);
    EXPECT_EQ(r->tag, "IPv6");
    std::string_view sv(in);
    EXPECT_EQ(r->address, sv.substr(6, sv.size() - 7));
    EXPECT_TRUE(r.diags().empty()) << to_json(r);
  }
}

// Lead's decision: IPv6-comp with more than 6 groups besides "::" (IPv6v4-comp: more than 4) is
// ipv6_too_many_groups wherever the "::" sits (§4.1.3's comments on IPv6-comp / IPv6v4-comp).
TEST(Domain, Ipv6CompTooManyGroups) {
  for (auto in : {"[IPv6:1:2:3:4::5:6:7]", "[IPv6:1:2:3:4:5:6:7::]", "[IPv6:::1:2:3:4:5:6:7]",
                  "[IPv6:1::2:3:4:5:6:7]"}) {
    EXPECT_TRUE(rejected(parse_domain(in, strict), in, error_code::ipv6_too_many_groups));
    EXPECT_TRUE(rejected(parse_domain(in, lenient), in, error_code::ipv6_too_many_groups));
  }
}

TEST(Domain, Ipv6v4CompTooManyGroups) {
  for (auto in : {"[IPv6:1:2:3::4:5:1.2.3.4]", "[IPv6:1:2:3:4:5::1.2.3.4]", "[IPv6:::1:2:3:4:5:1.2.3.4]"}) {
    EXPECT_TRUE(rejected(parse_domain(in, strict), in, error_code::ipv6_too_many_groups));
  }
}

TEST(Domain, Ipv6MatchingNoForm) {
  for (auto in : {
           "[IPv6:]",                          // empty
           "[IPv6:1:2:3:4:5:6:7]",             // 7 groups, no "::"
           "[IPv6:1:2:3:4:5:6:7:8:9]",         // 9 groups
           "[IPv6:12345::]",                   // 5 hex digits
           "[IPv6:g::1]",                      // not HEXDIG
           "[IPv6:1::2::3]",                   // two "::"
           "[IPv6::1]",                        // single leading colon
           "[IPv6:1:]",                        // dangling colon
           "[IPv6:1:2:3:4:5:1.2.3.4]",         // IPv6v4-full with 5 groups
           "[IPv6:1:2:3:4:5:6:7:1.2.3.4]",     // IPv6v4-full with 7 groups
           "[IPv6:1.2.3.4]",                   // IPv4 without "::"
       })
    EXPECT_TRUE(rejected(parse_domain(in, strict), in, error_code::invalid_ipv6_literal));
}

TEST(Domain, Ipv6EmbeddedIpv4SnumChecked) {
  for (auto in : {"[IPv6:::ffff:1.2.3.256]", "[IPv6:1:2:3:4:5:6:300.1.1.1]"})
    EXPECT_TRUE(rejected(parse_domain(in, strict), in));
}

// RFC 5234 §2.3: ABNF quoted strings are case-insensitive, so "IPv6:" matches "ipv6:".
// If this fails, the implementation treats the tag case-sensitively (RFC says otherwise).
TEST(Domain, Ipv6TagIsCaseInsensitive) {
  for (auto in : {"[ipv6:::1]", "[IPV6:2001:db8::1]"}) {
    auto r = parse_domain(in, strict);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_EQ(r->kind, domain_kind::ipv6);
  }
}

// General-address-literal = Standardized-tag ":" 1*dcontent; only "IPv6" is registered.
TEST(Domain, GeneralLiteralStrictVsLenient) {
  const std::string_view in = "[X-Foo:some.thing~here]";
  EXPECT_TRUE(rejected(parse_domain(in, strict), in, error_code::unregistered_address_literal_tag));
  auto r = parse_domain(in, lenient);
  ASSERT_TRUE(accepted(r, in));
  EXPECT_EQ(r->kind, domain_kind::general);
  EXPECT_EQ(r->tag, "X-Foo");
  EXPECT_EQ(r->address, "some.thing~here");
  EXPECT_EQ(r->text, in);
  EXPECT_TRUE(only_diags(r, {diagnostic_id::unregistered_address_literal_tag}));
}

TEST(Domain, GeneralLiteralSyntax) {
  // dcontent = %d33-90 / %d94-126: no "[", "\", "]", SP or controls; at least one.
  for (auto in : {"[tag:]", "[tag:a b]", "[tag:a[b]", "[tag:a\\b]", "[tag:a]b]", "[tag-:x]", "[:x]",
                  "[t_g:x]"})
    EXPECT_TRUE(rejected(parse_domain(in, lenient), in));
  for (auto in : {"[tag:!\"#$%&'()*+,-./09:;<=>?@AZ^_`az{|}~]", "[x1:y]"}) {
    auto r = parse_domain(in, lenient);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_EQ(r->kind, domain_kind::general);
  }
}

TEST(Domain, KindNames) {
  EXPECT_EQ(to_string(domain_kind::name), "name");
  EXPECT_EQ(to_string(domain_kind::ipv4), "ipv4");
  EXPECT_EQ(to_string(domain_kind::ipv6), "ipv6");
  EXPECT_EQ(to_string(domain_kind::general), "general");
}
