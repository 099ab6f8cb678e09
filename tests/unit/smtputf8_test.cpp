// SMTPUTF8 (RFC 6531 §3.3): UTF-8 in local parts, U-labels and A-labels (IDNA2008), ill-formed
// UTF-8, and the canonical forms (domain_to_ascii / domain_to_unicode, domain::ascii/unicode).
#include <gtest/gtest.h>

#include <string>

#include "gtest_helpers.hpp"
#include "smtpspec/idna.hpp"

using namespace smtpspec;
using namespace smtpspec_test;

namespace {

parse_options utf8(profile p = profile::strict) {
  parse_options o;
  o.profile = p;
  o.smtputf8 = true;
  return o;
}

bool has_diag(const diagnostics& ds, diagnostic_id id) {
  for (const auto& d : ds) {
    if (d.id == id) return true;
  }
  return false;
}

}  // namespace

TEST(Smtputf8, OffMeansNonAsciiNamingRfc6531) {
  const std::string in = "用户@example.com";
  auto r = parse_mailbox(in, strict);
  ASSERT_TRUE(rejected(r, in, error_code::non_ascii));
  EXPECT_EQ(r.error().offset, 0u);
  EXPECT_EQ(r.error().rfc, "RFC 6531 §3.3");
}

TEST(Smtputf8, LocalPartsAndDomains) {
  const std::string in = "δοκιμή@παράδειγμα.δοκιμή";
  auto r = parse_mailbox(in, utf8());
  ASSERT_TRUE(accepted(r, in));
  EXPECT_EQ(r->local_part, "δοκιμή");
  EXPECT_EQ(r->domain.text, "παράδειγμα.δοκιμή");
  EXPECT_EQ(r->domain.ascii(), "xn--hxajbheg2az3al.xn--jxalpdlp");
  EXPECT_EQ(r->domain.unicode(), "παράδειγμα.δοκιμή");
  EXPECT_TRUE(r.diags().empty()) << to_json(r);

  const std::string q = "\"José Ñ\"@example.com";
  auto rq = parse_mailbox(q, utf8());
  ASSERT_TRUE(accepted(rq, q));
  EXPECT_EQ(rq->local_part_value(), "José Ñ");
}

TEST(Smtputf8, IllFormedUtf8IsAnErrorAtItsFirstOctet) {
  struct c { std::string in; error_code code; std::size_t offset; };
  for (const auto& t : {c{"a\xC0\x80@b", error_code::utf8_overlong, 1}, c{"a\xE0\x80\xAF@b", error_code::utf8_overlong, 1},
                        c{"a\xED\xA0\x80@b", error_code::utf8_surrogate, 1},
                        c{"a\xF4\x90\x80\x80@b", error_code::utf8_too_large, 1},
                        c{"a\xF5\x80\x80\x80@b", error_code::utf8_too_large, 1},
                        c{"ab\xE4\xBD@b", error_code::utf8_truncated, 2}, c{"a@b\xF0\x9F\x98", error_code::utf8_truncated, 3},
                        c{"a\x80@b", error_code::invalid_utf8, 1}, c{"a@\xFF", error_code::invalid_utf8, 2}}) {
    auto r = parse_mailbox(t.in, utf8());
    ASSERT_TRUE(rejected(r, t.in, t.code));
    EXPECT_EQ(r.error().offset, t.offset) << printable(t.in);
  }
}

TEST(Smtputf8, ALabelsAreValidatedWithoutTheOption) {
  EXPECT_TRUE(rejected(parse_domain("xn--zz.example", strict), "xn--zz.example", error_code::idna_punycode));
  EXPECT_TRUE(rejected(parse_domain("xn--a.example", strict), "xn--a.example", error_code::idna_invalid_a_label));
  EXPECT_TRUE(rejected(parse_domain("xn--ls8h.example", strict), "xn--ls8h.example", error_code::idna_disallowed));
  auto ok = parse_domain("XN--ZCA.de", strict);
  ASSERT_TRUE(accepted(ok, "XN--ZCA.de"));
  EXPECT_EQ(ok->ascii(), "xn--zca.de");
  EXPECT_EQ(ok->unicode(), "ß.de");
  // "--" in positions 3-4 without the ACE prefix is an ordinary RFC 5321 label.
  EXPECT_TRUE(accepted(parse_domain("ab--cd.example", strict), "ab--cd.example"));
}

TEST(Smtputf8, StrictWantsMappedULabelsLenientMapsThem) {
  struct c { std::string in; error_code strict_code; diagnostic_id lenient_diag; std::string ascii; };
  for (const auto& t : {c{"Bücher.de", error_code::u_label_not_mapped, diagnostic_id::u_label_not_mapped, "xn--bcher-kva.de"},
                        c{"bu\xCC\x88" "cher.de", error_code::u_label_not_nfc, diagnostic_id::u_label_not_nfc,
                          "xn--bcher-kva.de"},
                        c{"例子。广告", error_code::ideographic_full_stop, diagnostic_id::ideographic_full_stop,
                          "xn--fsqu00a.xn--4rr70v"},
                        c{"😀.example", error_code::idna_disallowed, diagnostic_id::uts46_only_code_point,
                          "xn--e28h.example"}}) {
    EXPECT_TRUE(rejected(parse_domain(t.in, utf8()), t.in, t.strict_code));
    auto r = parse_domain(t.in, utf8(profile::lenient));
    ASSERT_TRUE(accepted(r, t.in));
    EXPECT_TRUE(has_diag(r.diags(), t.lenient_diag)) << to_json(r);
    EXPECT_EQ(r->ascii(), t.ascii);
    auto conv = domain_to_ascii(t.in, lenient);
    ASSERT_TRUE(conv.ok()) << printable(t.in);
    EXPECT_EQ(*conv, t.ascii);
    EXPECT_FALSE(domain_to_ascii(t.in, strict).ok()) << printable(t.in);
  }
}

TEST(Smtputf8, IdnaErrorsAreDistinct) {
  struct c { std::string in; error_code code; };
  for (const auto& t : {c{"bücher-.de", error_code::idna_hyphen}, c{"\xCC\x88" "a.de", error_code::idna_leading_combining_mark},
                        c{"a\xE2\x80\x8D" "b.de", error_code::idna_contextj}, c{"a·b.cat", error_code::idna_contexto},
                        c{"0a.א", error_code::idna_bidi}, c{"a♥.de", error_code::idna_disallowed}}) {
    EXPECT_TRUE(rejected(parse_domain(t.in, utf8()), t.in, t.code));
  }
}

TEST(Smtputf8, LengthsCountTheALabel) {
  std::string cjk22, cjk23;
  for (int i = 0; i < 23; ++i) {
    std::string ch;
    const char32_t cp = 0x4E00 + static_cast<char32_t>(i) * 97;
    ch += static_cast<char>(0xE0 | (cp >> 12));
    ch += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    ch += static_cast<char>(0x80 | (cp & 0x3F));
    if (i < 22) cjk22 += ch;
    cjk23 += ch;
  }
  const std::string ok = cjk22 + ".example", bad = cjk23 + ".example";
  ASSERT_EQ(cjk22.size(), 66u);  // over 63 as UTF-8, but the A-label fits
  EXPECT_TRUE(accepted(parse_domain(ok, utf8()), ok));
  EXPECT_TRUE(rejected(parse_domain(bad, utf8()), bad, error_code::idna_label_too_long));
  std::string many = "ü";
  for (int i = 1; i < 60; ++i) many += ".ü";
  EXPECT_TRUE(rejected(parse_domain(many, utf8()), many, error_code::idna_domain_too_long));
  // Huge input is refused before ICU sees it.
  std::string huge;
  for (int i = 0; i < 5000; ++i) huge += "é";
  EXPECT_TRUE(rejected(parse_domain(huge, utf8()), huge, error_code::idna_domain_too_long));
}

TEST(Smtputf8, LocalPartNotNfcIsADiagnosticInBothProfiles) {
  const std::string in = "jose\xCC\x81@example.com";
  for (auto p : {profile::strict, profile::lenient}) {
    auto r = parse_mailbox(in, utf8(p));
    ASSERT_TRUE(accepted(r, in));
    EXPECT_TRUE(has_diag(r.diags(), diagnostic_id::local_part_not_nfc)) << to_json(r);
  }
  EXPECT_TRUE(is_nfc("josé"));
  EXPECT_FALSE(is_nfc("jose\xCC\x81"));
  EXPECT_FALSE(is_nfc("a\xC0\x80"));  // ill-formed is not NFC (ICU alone would say it is)
}

TEST(Smtputf8, CommandsAndReplies) {
  const std::string mail = "MAIL FROM:<用户@例子.广告>";
  auto r = parse_command(mail, utf8());
  ASSERT_TRUE(accepted(r, mail));
  EXPECT_TRUE(has_diag(r.diags(), diagnostic_id::smtputf8_parameter_missing));
  const std::string with = "MAIL FROM:<用户@例子.广告> SMTPUTF8";
  auto rw = parse_command(with, utf8());
  ASSERT_TRUE(accepted(rw, with));
  EXPECT_FALSE(has_diag(rw.diags(), diagnostic_id::smtputf8_parameter_missing));

  const std::string rcpt = "RCPT TO:<a@😀.example>";
  auto rr = parse_command(rcpt, utf8());
  ASSERT_TRUE(rejected(rr, rcpt, error_code::idna_disallowed));
  EXPECT_EQ(rr.error().reply, "553 5.1.3");
  const std::string m2 = "MAIL FROM:<a@😀.example>";
  auto rm = parse_command(m2, utf8());
  ASSERT_TRUE(rejected(rm, m2, error_code::idna_disallowed));
  EXPECT_EQ(rm.error().reply, "553 5.1.7");
  const std::string ehlo = "EHLO bücher-.de";
  auto re = parse_command(ehlo, utf8());
  ASSERT_TRUE(rejected(re, ehlo, error_code::idna_hyphen));
  EXPECT_EQ(re.error().reply, "501 5.5.4");
}

TEST(Smtputf8, ConversionEntryPoints) {
  auto a = domain_to_ascii("bücher.de");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, "xn--bcher-kva.de");
  auto u = domain_to_unicode("xn--bcher-kva.de");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(*u, "bücher.de");
  auto plain = domain_to_unicode("Example.COM");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "example.com");
  EXPECT_EQ(domain_to_ascii("[1.2.3.4]").error().code, error_code::syntax_error);
  EXPECT_EQ(domain_to_ascii("").error().code, error_code::empty_input);
  EXPECT_EQ(domain_to_ascii("a\xC0\x80").error().code, error_code::utf8_overlong);
  auto lit = parse_domain("[1.2.3.4]", strict);
  ASSERT_TRUE(lit.ok());
  EXPECT_EQ(lit->ascii(), "");
  EXPECT_EQ(lit->unicode(), "");
}

TEST(Smtputf8, CanonicalJsonCarriesBothForms) {
  auto r = parse_domain("bücher.de", utf8());
  ASSERT_TRUE(r.ok());
  EXPECT_NE(to_json(r).find("\"address\":null,\"ascii\":\"xn--bcher-kva.de\",\"unicode\":\"bücher.de\"}"), std::string::npos)
      << to_json(r);
  auto lit = parse_domain("[IPv6:::1]", strict);
  EXPECT_NE(to_json(lit).find("\"ascii\":null,\"unicode\":null"), std::string::npos) << to_json(lit);
}
