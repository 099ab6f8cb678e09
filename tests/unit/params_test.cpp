// Typed ESMTP parameters (esmtp.hpp): parse_esmtp_params, the typed values parse_command fills,
// the semantic errors, the line limit's growth, xtext.
#include <gtest/gtest.h>

#include <string>

#include "gtest_helpers.hpp"

using namespace smtpspec;
using namespace smtpspec_test;

namespace {

result<std::vector<esmtp_param>> mail(std::string_view s, const parse_options& o = strict) {
  return parse_esmtp_params(verb::mail, s, o);
}
result<std::vector<esmtp_param>> rcpt(std::string_view s, const parse_options& o = strict) {
  return parse_esmtp_params(verb::rcpt, s, o);
}

}  // namespace

TEST(Params, TypedValuesOfMail) {
  const std::string in = "SIZE=12345 BODY=8BITMIME RET=HDRS ENVID=QQ+2B314159 AUTH=e+3Dmc2@example.com "
                         "MT-PRIORITY=-3 BY=120;RT HOLDFOR=30 REQUIRETLS SMTPUTF8";
  const auto r = mail(in);
  ASSERT_TRUE(accepted(r, in));
  const auto& p = r.value();
  ASSERT_EQ(p.size(), 10u);
  EXPECT_EQ(p[0].kind, param_kind::size);
  EXPECT_EQ(p[0].number, 12345u);
  EXPECT_EQ(p[1].body, body_type::eight_bit_mime);
  EXPECT_TRUE(p[1].extension() == extension::eightbitmime);
  EXPECT_EQ(p[2].ret, ret_type::hdrs);
  EXPECT_EQ(p[3].text, "QQ+2B314159");
  EXPECT_EQ(p[3].decoded(), "QQ+314159");
  EXPECT_EQ(p[4].decoded(), "e=mc2@example.com");
  EXPECT_EQ(p[5].integer, -3);
  EXPECT_EQ(p[6].integer, 120);
  EXPECT_EQ(p[6].mode, by_mode::ret);
  EXPECT_TRUE(p[6].trace);
  EXPECT_EQ(p[7].number, 30u);
  EXPECT_EQ(p[8].kind, param_kind::requiretls);
  EXPECT_EQ(p[9].kind, param_kind::smtputf8);
  EXPECT_TRUE(p[9].extension() == extension::smtputf8);
  EXPECT_TRUE(r.diags().empty());
}

TEST(Params, TypedValuesOfRcpt) {
  const std::string in = "NOTIFY=delay,SUCCESS ORCPT=rfc822;x+40y RRVS=2014-04-03T23:01:00Z;R";
  const auto r = rcpt(in);
  ASSERT_TRUE(accepted(r, in));
  const auto& p = r.value();
  EXPECT_EQ(p[0].notify, notify_success | notify_delay);
  EXPECT_EQ(p[1].addr_type, "rfc822");
  EXPECT_EQ(p[1].decoded(), "x@y");
  EXPECT_EQ(p[1].encoding, orcpt_encoding::xtext);
  EXPECT_EQ(p[2].text, "2014-04-03T23:01:00Z");
  EXPECT_EQ(p[2].rrvs, rrvs_action::reject);
}

TEST(Params, AuthNullMailbox) {
  const auto r = mail("AUTH=<>");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value()[0].has_text);
  EXPECT_EQ(r.value()[0].decoded(), "");
  EXPECT_NE(to_json(r).find("\"typed\":{\"mailbox\":null}"), std::string::npos);
}

TEST(Params, OrcptUtf8Forms) {
  const std::string x = "ORCPT=utf-8;J\\x{E9}r\\x{F4}me@example.com";
  const auto r = rcpt(x);
  ASSERT_TRUE(accepted(r, x));
  EXPECT_EQ(r.value()[0].encoding, orcpt_encoding::utf8_addr_xtext);
  EXPECT_EQ(r.value()[0].decoded(), "J\xC3\xA9r\xC3\xB4me@example.com");
  // The unitext form carries UTF-8 itself: only with SMTPUTF8 (RFC 6531 §3.3).
  const std::string u = "ORCPT=utf-8;J\xC3\xA9r\xC3\xB4me\\x{2B}x@example.com";
  EXPECT_TRUE(rejected(rcpt(u), u, error_code::non_ascii));
  parse_options o;
  o.smtputf8 = true;
  const auto ru = rcpt(u, o);
  ASSERT_TRUE(accepted(ru, u));
  EXPECT_EQ(ru.value()[0].encoding, orcpt_encoding::utf8_addr_unitext);
  EXPECT_EQ(ru.value()[0].decoded(), "J\xC3\xA9r\xC3\xB4me+x@example.com");
  // Six-digit HEXPOINT, the top of Unicode.
  const std::string top = "ORCPT=utf-8;a\\x{10FFFF}@example.com";
  ASSERT_TRUE(accepted(rcpt(top), top));
  EXPECT_EQ(rcpt(top).value()[0].decoded(), "a\xF4\x8F\xBF\xBF@example.com");
  const std::string above = "ORCPT=utf-8;a\\x{110000}@example.com";
  EXPECT_TRUE(rejected(rcpt(above), above, error_code::invalid_parameter_value));
}

TEST(Params, ErrorsAndOffsets) {
  struct row {
    const char* in;
    bool is_rcpt;
    error_code code;
    std::size_t offset;
  };
  const row rows[] = {
      {"SIZE=1 FOO=2", false, error_code::unknown_parameter, 7},
      {"NOTIFY=NEVER", false, error_code::parameter_not_allowed, 0},
      {"SIZE=1", true, error_code::parameter_not_allowed, 0},
      {"SIZE", false, error_code::parameter_value_required, 4},
      {"SMTPUTF8=1", false, error_code::parameter_value_forbidden, 8},
      {"REQUIRETLS=x", false, error_code::parameter_value_forbidden, 10},
      {"SIZE=12a", false, error_code::invalid_parameter_value, 7},
      {"SIZE=123456789012345678901", false, error_code::invalid_parameter_value, 25},
      {"SIZE=9007199254740992", false, error_code::size_out_of_range, 5},
      {"NOTIFY=SUCCESS,NEVER", true, error_code::notify_never_with_others, 15},
      {"ENVID=a+0Db", false, error_code::invalid_parameter_value, 7},
      {"ENVID=a+0db", false, error_code::invalid_parameter_value, 9},
      {"ORCPT=bogus;x", true, error_code::unregistered_addr_type, 6},
      {"AUTH=a+40", false, error_code::invalid_parameter_value, 9},
      {"BY=0;R", false, error_code::by_time_not_positive, 3},
      {"HOLDUNTIL=2030-01-01T00:00:00Z HOLDFOR=5", false, error_code::hold_conflict, 31},
      {"RRVS=2014-04-31T00:00:00Z", true, error_code::invalid_parameter_value, 13},
      {"SIZE=1 size=2", false, error_code::duplicate_parameter, 7},
      {"SIZE=1 =", false, error_code::invalid_parameter, 7},
  };
  for (const auto& t : rows) {
    const auto r = t.is_rcpt ? rcpt(t.in) : mail(t.in);
    EXPECT_TRUE(rejected(r, t.in, t.code)) << t.in;
    if (!r.ok()) {
      EXPECT_EQ(r.error().offset, t.offset) << t.in << ": " << to_json(r);
    }
  }
}

TEST(Params, InvalidValueCitesTheParametersRfc) {
  const auto r = mail("MT-PRIORITY=+1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rfc, "RFC 6710 §7");
  EXPECT_EQ(r.error().reply, "501 5.5.4");
  const auto w = rcpt("SIZE=1");
  EXPECT_EQ(w.error().reply, "555 5.5.4");
}

TEST(Params, OffsetsInACommandAreLineOffsets) {
  const std::string line = "MAIL FROM:<a@b> SIZE=1 BODY=9BIT";
  const auto r = parse_command(line, strict);
  ASSERT_TRUE(rejected(r, line, error_code::invalid_parameter_value));
  EXPECT_EQ(r.error().offset, line.find("9BIT"));
}

TEST(Params, UnknownAndPrivateKeywords) {
  EXPECT_TRUE(rejected(mail("FOO=1"), "FOO=1", error_code::unknown_parameter));
  const auto l = mail("FOO=1", lenient);
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(only_diags(l, {diagnostic_id::unknown_parameter}));
  EXPECT_EQ(l.value()[0].kind, param_kind::other);
  EXPECT_FALSE(l.value()[0].extension().has_value());
  for (const auto* o : {&strict, &lenient}) {
    const auto x = mail("X-FOO=1 xbar", *o);
    ASSERT_TRUE(x.ok()) << to_json(x);
    EXPECT_EQ(count_diag(x, diagnostic_id::private_parameter), 2u);
    EXPECT_TRUE(no_warnings(x));
  }
  // Lenient: duplicates are noted, also among typed keywords.
  const auto d = mail("SIZE=1 SIZE=2", lenient);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(only_diags(d, {diagnostic_id::duplicate_parameter}));
  // The unregistered ORCPT addr-type: lenient notes it.
  const auto u = rcpt("ORCPT=bogus;x", lenient);
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(only_diags(u, {diagnostic_id::unregistered_addr_type}));
}

TEST(Params, ExtensionsNotOffered) {
  parse_options o;
  o.extensions = extension_set::none();
  EXPECT_TRUE(rejected(mail("SIZE=1", o), "SIZE=1", error_code::extension_not_enabled));
  o.extensions.add(extension::size).add(extension::eightbitmime);
  EXPECT_TRUE(accepted(mail("SIZE=1 BODY=8BITMIME", o), "SIZE=1 BODY=8BITMIME"));
  // BINARYMIME is its own extension although BODY is 8BITMIME's keyword.
  const auto b = mail("BODY=BINARYMIME", o);
  ASSERT_TRUE(rejected(b, "BODY=BINARYMIME", error_code::extension_not_enabled));
  EXPECT_EQ(b.error().offset, 5u);
  o.extensions.add(extension::binarymime);
  const auto b2 = mail("BODY=BINARYMIME", o);
  ASSERT_TRUE(b2.ok());
  EXPECT_TRUE(b2.value()[0].extension() == extension::binarymime);
  // Private keywords do not depend on the set.
  EXPECT_TRUE(mail("X-A=1", o).ok());
}

TEST(Params, LineLimitGrowsWithTheExtensions) {
  EXPECT_EQ(line_growth(verb::mail, extension_set::all()), 739u);
  EXPECT_EQ(line_growth(verb::rcpt, extension_set::all()), 570u);
  EXPECT_EQ(line_growth(verb::ehlo, extension_set::all()), 0u);
  EXPECT_EQ(line_growth(verb::mail, extension_set::none()), 0u);
  EXPECT_EQ(line_growth(verb::mail, extension_set::none().add(extension::size).add(extension::auth)), 526u);
  EXPECT_EQ(line_growth(verb::rcpt, extension_set::none().add(extension::dsn)), 530u);

  const std::string head = "MAIL FROM:<a@b> X=";
  const std::string at_limit = head + std::string(1249 - head.size(), 'v');
  EXPECT_TRUE(parse_command(at_limit, strict).ok());
  const std::string over_limit = at_limit + "v";
  EXPECT_TRUE(rejected(parse_command(over_limit, strict), over_limit, error_code::line_too_long));
  // Without extensions, RFC 5321's 512 octets.
  parse_options plain;
  plain.extensions = extension_set::none();
  const std::string at_512 = head + std::string(510 - head.size(), 'v');
  EXPECT_TRUE(parse_command(at_512, plain).ok());
  const std::string at_513 = at_512 + "v";
  const auto over = parse_command(at_513, plain);
  ASSERT_TRUE(rejected(over, at_513, error_code::line_too_long));
  EXPECT_EQ(over.error().offset, 510u);
  // Other verbs keep 512 even with every extension.
  const std::string noop = "NOOP " + std::string(506, 'x');
  EXPECT_TRUE(rejected(parse_command(noop, strict), noop, error_code::line_too_long));
}

TEST(Params, TenThousandParametersAreBounded) {
  std::string params;
  for (int i = 0; i < 10000; ++i) params += i == 0 ? "X" : " X";
  const std::string line = "MAIL FROM:<a@b> " + params;
  for (const auto* o : {&strict, &lenient}) {
    const auto r = parse_command(line, *o);
    ASSERT_TRUE(rejected(r, line, error_code::line_too_long));
    EXPECT_EQ(r.error().offset, 1249u);
    const auto p = mail(params, *o);
    ASSERT_TRUE(rejected(p, params, error_code::line_too_long));
  }
  // Just under the limit, lenient: every duplicate noted, in bounded time.
  std::string many;
  while (many.size() + 2 < 1200) many += many.empty() ? "X" : " X";
  const auto r = mail(many, lenient);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().size(), 600u);
}

TEST(Params, EmptyAndMalformedInput) {
  const auto e = mail("");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e.value().empty());
  for (const std::string_view bad : {std::string_view(" "), std::string_view("SIZE=1 "), std::string_view("="),
                                     std::string_view("SIZE=1\r\n"), std::string_view("SIZE=\0", 6),
                                     std::string_view("SIZE=\xFF")}) {
    EXPECT_TRUE(rejected(mail(bad), bad)) << printable(bad);
    EXPECT_TRUE(rejected(mail(bad, lenient), bad)) << printable(bad);
  }
  // Truncated values of every typed keyword.
  for (const auto& row : param_catalogue()) {
    const std::string in = std::string(row.keyword) + "=";
    EXPECT_TRUE(rejected(parse_esmtp_params(row.command == param_command::mail ? verb::mail : verb::rcpt, in), in));
  }
}

TEST(Params, CatalogueAndNames) {
  ASSERT_EQ(param_catalogue().size(), 14u);
  for (const auto& row : param_catalogue()) {
    EXPECT_EQ(find_param(row.keyword), row.kind);
    EXPECT_EQ(info(row.kind).keyword, row.keyword);
    EXPECT_FALSE(row.rfc.empty());
  }
  EXPECT_EQ(find_param("mt-priority"), param_kind::mt_priority);
  EXPECT_EQ(find_param("SIZES"), param_kind::other);
  EXPECT_EQ(to_string(body_type::binary_mime), "BINARYMIME");
  EXPECT_EQ(to_string(orcpt_encoding::utf8_addr_unitext), "utf-8-addr-unitext");
}

TEST(Params, Xtext) {
  EXPECT_EQ(xtext_encode("a+b=c d\x01\xFF"), "a+2Bb+3Dc+20d+01+FF");
  EXPECT_EQ(xtext_decode("a+2Bb+3Dc+20d+01+FF"), "a+b=c d\x01\xFF");
  EXPECT_TRUE(is_xtext(""));
  EXPECT_TRUE(is_xtext("a+2B"));
  EXPECT_FALSE(is_xtext("a+2b"));
  EXPECT_FALSE(is_xtext("a=b"));
  EXPECT_FALSE(is_xtext("a b"));
  EXPECT_FALSE(is_xtext("a+2"));
}

TEST(Params, CommandJsonCarriesTheTypedValues) {
  const std::string line = "RCPT TO:<x@y> NOTIFY=FAILURE,SUCCESS ORCPT=rfc822;x+40y";
  const auto j = to_json(parse_command(line, strict));
  EXPECT_NE(j.find("{\"keyword\":\"NOTIFY\",\"value\":\"FAILURE,SUCCESS\",\"extension\":\"DSN\","
                   "\"typed\":{\"notify\":[\"SUCCESS\",\"FAILURE\"]}}"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find("\"typed\":{\"addr_type\":\"rfc822\",\"address\":\"x@y\",\"encoding\":\"xtext\"}"), std::string::npos)
      << j;
}
