// parse_path: RFC 5321 §4.1.2 Path, Reverse-path, Forward-path, source routes; §4.1.1.3 Postmaster.
#include <gtest/gtest.h>

#include <string>

#include "gtest_helpers.hpp"

using namespace smtpspec;
using namespace smtpspec_test;

TEST(Path, Mailbox) {
  for (auto role : {path_role::any, path_role::reverse, path_role::forward}) {
    auto r = parse_path("<user@example.com>", strict, role);
    ASSERT_TRUE(accepted(r, "<user@example.com>"));
    EXPECT_EQ(r->kind, path_kind::mailbox);
    EXPECT_EQ(r->text, "<user@example.com>");
    EXPECT_TRUE(r->source_route.empty());
    EXPECT_EQ(r->mailbox.text, "user@example.com");
    EXPECT_EQ(r->mailbox.local_part, "user");
    EXPECT_EQ(r->mailbox.domain.text, "example.com");
    EXPECT_TRUE(r.diags().empty()) << to_json(r);
  }
}

TEST(Path, NullPath) {
  for (auto role : {path_role::any, path_role::reverse}) {
    auto r = parse_path("<>", strict, role);
    ASSERT_TRUE(accepted(r, "<>"));
    EXPECT_EQ(r->kind, path_kind::null);
    EXPECT_EQ(r->text, "<>");
  }
  // Reverse-path = Path / "<>": the null path is never a Forward-path.
  EXPECT_TRUE(rejected(parse_path("<>", strict, path_role::forward), "<>", error_code::null_path_not_allowed));
  EXPECT_TRUE(rejected(parse_path("<>", lenient, path_role::forward), "<>", error_code::null_path_not_allowed));
}

TEST(Path, Postmaster) {
  for (auto in : {"<Postmaster>", "<postmaster>", "<POSTMASTER>"}) {  // ABNF strings ignore case
    for (auto role : {path_role::any, path_role::forward}) {
      auto r = parse_path(in, strict, role);
      ASSERT_TRUE(accepted(r, in));
      EXPECT_EQ(r->kind, path_kind::postmaster);
      EXPECT_EQ(r->text, in);
    }
    // "<Postmaster>" is only in the RCPT syntax (§4.1.1.3), never a Reverse-path.
    EXPECT_TRUE(rejected(parse_path(in, strict, path_role::reverse), in, error_code::postmaster_not_allowed));
  }
}

TEST(Path, PostmasterAtDomain) {
  for (auto in : {"<Postmaster@example.com>", "<postmaster@EXAMPLE.com>"}) {
    auto r = parse_path(in, strict, path_role::forward);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_EQ(r->kind, path_kind::postmaster_at_domain);
    EXPECT_EQ(r->mailbox.domain.text, std::string_view(in).substr(12, std::string_view(in).size() - 13));
    EXPECT_EQ(r->mailbox.local_part, std::string_view(in).substr(1, 10));
  }
  // Not Postmaster: an ordinary mailbox.
  auto r = parse_path("<postmasters@example.com>", strict, path_role::forward);
  ASSERT_TRUE(accepted(r, "<postmasters@example.com>"));
  EXPECT_EQ(r->kind, path_kind::mailbox);
}

TEST(Path, SourceRoute) {
  const std::string_view in = "<@a.example,@B.EXAMPLE,@c.example:user@d.example>";
  for (const auto* o : {&strict, &lenient}) {
    auto r = parse_path(in, *o);
    ASSERT_TRUE(accepted(r, in));
    EXPECT_EQ(r->kind, path_kind::mailbox);
    ASSERT_EQ(r->source_route.size(), 3u);
    EXPECT_EQ(r->source_route[0].text, "a.example");
    EXPECT_EQ(r->source_route[1].text, "B.EXAMPLE");
    EXPECT_EQ(r->source_route[2].text, "c.example");
    EXPECT_EQ(r->mailbox.text, "user@d.example");
    // Accepted and ignored, noted in both profiles (§4.1.2, Appendix C).
    EXPECT_TRUE(only_diags(r, {diagnostic_id::source_route_ignored}));
  }
  auto one = parse_path("<@a:b@c>", strict);
  ASSERT_TRUE(accepted(one, "<@a:b@c>"));
  EXPECT_EQ(one->source_route.size(), 1u);
}

TEST(Path, BadSourceRoute) {
  for (auto in : {"<@:a@b>", "<@a,:b@c>", "<@a,b:c@d>", "<@a;@b:c@d>", "<@a@b:c@d>", "<@a:>", "<@a:@b>",
                  "<a@b:c@d>", "<@a.:b@c>", "<@-a:b@c>", "<,@a:b@c>", "<@a,,@b:c@d>",
                  "<@[192.0.2.1]:a@b>"})  // At-domain = "@" Domain: no address literals
    EXPECT_TRUE(rejected(parse_path(in, strict), in));
}

TEST(Path, Malformed) {
  for (auto in : {"<a@b", "a@b>", "<a@b>x", "x<a@b>", "<<a@b>>", "<a@b> ", " <a@b>", "<>x", "<", ">", "",
                  "< a@b>", "<a@b >", "<a>", "<@>", "<\"a@b>"})
    EXPECT_TRUE(rejected(parse_path(in, strict), in));
}

TEST(Path, MissingAngleBracketsStrictVsLenient) {
  EXPECT_TRUE(rejected(parse_path("user@example.com", strict), "user@example.com"));
  auto r = parse_path("user@example.com", lenient);
  ASSERT_TRUE(accepted(r, "user@example.com"));
  EXPECT_EQ(r->kind, path_kind::mailbox);
  EXPECT_EQ(r->mailbox.text, "user@example.com");
  EXPECT_TRUE(only_diags(r, {diagnostic_id::missing_angle_brackets}));
}

TEST(Path, PathLimit) {
  // "<" local(64) "@" domain ">" = 256 exactly: the domain is 256 - 67 = 189 octets.
  const auto max = limits{}.path;
  const std::string local(limits{}.local_part, 'l');
  const std::string at = "<" + local + "@" + make_domain(max - local.size() - 3) + ">";
  const std::string over = "<" + local + "@" + make_domain(max - local.size() - 2) + ">";
  ASSERT_EQ(at.size(), max);
  ASSERT_EQ(over.size(), max + 1);
  EXPECT_TRUE(accepted(parse_path(at, strict), at));
  EXPECT_TRUE(rejected(parse_path(over, strict), over, error_code::path_too_long));
  EXPECT_TRUE(rejected(parse_path(over, lenient), over, error_code::path_too_long));
  // The source route counts: "<" to ">".
  const std::string routed = "<@r:" + local + "@" + make_domain(max - local.size() - 3 - 3) + ">";
  ASSERT_EQ(routed.size(), max);
  EXPECT_TRUE(accepted(parse_path(routed, strict), routed));
  const std::string routed_over = "<@rr:" + local + "@" + make_domain(max - local.size() - 3 - 3) + ">";
  EXPECT_TRUE(rejected(parse_path(routed_over, strict), routed_over, error_code::path_too_long));
}

TEST(Path, KindNames) {
  EXPECT_EQ(to_string(path_kind::null), "null");
  EXPECT_EQ(to_string(path_kind::postmaster), "postmaster");
  EXPECT_EQ(to_string(path_kind::postmaster_at_domain), "postmaster_at_domain");
  EXPECT_EQ(to_string(path_kind::mailbox), "mailbox");
}
