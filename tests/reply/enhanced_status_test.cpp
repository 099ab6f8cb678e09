// RFC 3463 §2 enhanced status codes and the RFC 5248 registry tables.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "smtpspec/smtpspec.hpp"

using namespace smtpspec;

namespace {

::testing::AssertionResult parses_as(std::string_view in, unsigned c, unsigned s, unsigned d) {
  const auto r = parse_enhanced_status(in);
  if (!r.ok()) return ::testing::AssertionFailure() << "rejected " << in << ": " << to_json(r);
  if (r->cls != c || r->subject != s || r->detail != d || r->to_string() != in)
    return ::testing::AssertionFailure() << in << " gave " << to_json(r);
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult refused_at(std::string_view in, std::size_t offset) {
  const auto r = parse_enhanced_status(in);
  if (r.ok()) return ::testing::AssertionFailure() << "accepted \"" << in << "\"";
  if (r.error().code != error_code::invalid_enhanced_status || r.error().offset != offset ||
      r.error().expected.empty() || r.error().offset > in.size() || r.error().rfc.empty() || r.error().reply.empty())
    return ::testing::AssertionFailure() << "\"" << in << "\": " << to_json(r);
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(EnhancedStatus, ValidCodes) {
  EXPECT_TRUE(parses_as("2.0.0", 2, 0, 0));
  EXPECT_TRUE(parses_as("5.1.1", 5, 1, 1));
  EXPECT_TRUE(parses_as("4.7.30", 4, 7, 30));
  EXPECT_TRUE(parses_as("2.1.23", 2, 1, 23));  // RFC 3463 §2's example
  EXPECT_TRUE(parses_as("5.999.999", 5, 999, 999));
  EXPECT_TRUE(parses_as("5.100.0", 5, 100, 0));
}

TEST(EnhancedStatus, ClassIsTwoFourOrFive) {
  for (const char* in : {"1.1.1", "3.1.1", "6.0.0", "0.0.0", "9.1.1"}) EXPECT_TRUE(refused_at(in, 0)) << in;
  EXPECT_TRUE(refused_at("", 0));
  EXPECT_TRUE(refused_at("X.1.1", 0));
  EXPECT_TRUE(refused_at(" 5.1.1", 0));
}

TEST(EnhancedStatus, NoLeadingZeros) {
  EXPECT_TRUE(refused_at("5.01.1", 2));
  EXPECT_TRUE(refused_at("5.1.01", 4));
  EXPECT_TRUE(refused_at("5.00.0", 2));
  EXPECT_TRUE(refused_at("5.0.00", 4));
  EXPECT_TRUE(refused_at("05.1.1", 0));
}

TEST(EnhancedStatus, AtMostThreeDigits) {
  EXPECT_TRUE(refused_at("5.1000.1", 5));
  EXPECT_TRUE(refused_at("5.1.1000", 7));
}

TEST(EnhancedStatus, StructureAndTrailingOctets) {
  EXPECT_TRUE(refused_at("5", 1));
  EXPECT_TRUE(refused_at("5.", 2));
  EXPECT_TRUE(refused_at("5.1", 3));
  EXPECT_TRUE(refused_at("5.1.", 4));
  EXPECT_TRUE(refused_at("5..1", 2));
  EXPECT_TRUE(refused_at("5.a.1", 2));
  EXPECT_TRUE(refused_at("5.1.1 ", 5));   // RFC 3463 §2: no white space within
  EXPECT_TRUE(refused_at("5.1.1.1", 5));
  EXPECT_TRUE(refused_at("5 .1.1", 1));
  const std::string nul("5.1.1\0", 6);
  EXPECT_TRUE(refused_at(nul, 5));
}

TEST(EnhancedStatus, Json) {
  EXPECT_EQ(to_json(parse_enhanced_status("4.7.1")),
            R"({"ok":true,"value":{"text":"4.7.1","class":4,"subject":7,"detail":1},"diagnostics":[]})");
  const auto bad = nlohmann::json::parse(to_json(parse_enhanced_status("5.01.1")));
  EXPECT_EQ(bad["ok"], false);
  EXPECT_EQ(bad["error"]["code"], "invalid_enhanced_status");
  EXPECT_EQ(bad["error"]["offset"], 2);
  EXPECT_EQ(bad["error"]["rfc"], "RFC 3463 §2");
}

TEST(Registry, EveryRowIsUniqueAndParses) {
  const auto rows = enhanced_status_catalogue();
  EXPECT_EQ(rows.size(), 81u);  // X.0.0 … X.7.30, IANA registry updated 2024-12-06
  std::set<std::pair<unsigned, unsigned>> seen;
  for (const auto& row : rows) {
    EXPECT_TRUE(seen.insert({row.subject, row.detail}).second) << row.code;
    EXPECT_EQ(row.code, "X." + std::to_string(row.subject) + "." + std::to_string(row.detail));
    for (unsigned c : {2u, 4u, 5u}) {
      const auto r = parse_enhanced_status(std::to_string(c) + std::string(row.code.substr(1)));
      ASSERT_TRUE(r.ok()) << row.code;
      EXPECT_EQ(lookup_enhanced_status(*r), &row);
    }
    EXPECT_FALSE(row.rfc.empty()) << row.code;
    EXPECT_NE(lookup_status_subject(row.subject), nullptr) << row.code;
    for (auto b : row.basic_list()) EXPECT_TRUE(b >= 200 && b <= 599) << row.code;
  }
  EXPECT_EQ(status_class_catalogue().size(), 3u);
  EXPECT_EQ(status_subject_catalogue().size(), 8u);
}

TEST(Registry, KnownRows) {
  const auto* r = lookup_enhanced_status(1, 1);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->text, "Bad destination mailbox address");
  EXPECT_EQ(r->basic_codes, "451, 550");
  EXPECT_EQ(std::vector<std::uint16_t>(r->basic_list().begin(), r->basic_list().end()),
            (std::vector<std::uint16_t>{451, 550}));
  EXPECT_EQ(r->rfc, "RFC 3463");
  const auto* x0 = lookup_enhanced_status(0, 0);
  ASSERT_NE(x0, nullptr);
  EXPECT_EQ(x0->text, "Other undefined Status");  // IANA's case (haraka-dsn differs)
  EXPECT_TRUE(x0->basic_list().empty());           // "Any"
  const auto* spf = lookup_enhanced_status(7, 24);
  ASSERT_NE(spf, nullptr);
  EXPECT_EQ(spf->basic_list().size(), 2u);  // "451/550"
  const auto* prio = lookup_enhanced_status(7, 16);
  ASSERT_NE(prio, nullptr);
  EXPECT_EQ(prio->basic_list().size(), 1u);  // "552 (other 4XX or 5XX codes are allowed)"
  const auto* rrvs = lookup_enhanced_status(7, 17);
  ASSERT_NE(rrvs, nullptr);
  EXPECT_TRUE(rrvs->basic_list().empty());  // "5XX"
  const auto* rdns = lookup_enhanced_status(7, 25);
  ASSERT_NE(rdns, nullptr);
  EXPECT_EQ(rdns->rfc, "RFC 7372 §3.3");
  ASSERT_NE(lookup_enhanced_status(7, 30), nullptr);
  EXPECT_EQ(lookup_enhanced_status(7, 30)->rfc, "RFC 8689");
  EXPECT_EQ(lookup_enhanced_status(7, 31), nullptr);
  EXPECT_EQ(lookup_enhanced_status(8, 0), nullptr);
  ASSERT_NE(lookup_status_class(4), nullptr);
  EXPECT_EQ(lookup_status_class(4)->summary, "Persistent Transient Failure");
  EXPECT_EQ(lookup_status_class(3), nullptr);
  ASSERT_NE(lookup_status_subject(7), nullptr);
  EXPECT_EQ(lookup_status_subject(7)->summary, "Security or Policy Status");
}

TEST(Registry, DefaultReplyCode) {
  EXPECT_EQ(default_reply_code({5, 1, 1}), 550);
  EXPECT_EQ(default_reply_code({4, 1, 1}), 451);
  EXPECT_EQ(default_reply_code({2, 1, 5}), 250);
  EXPECT_EQ(default_reply_code({5, 1, 3}), 501);
  EXPECT_EQ(default_reply_code({5, 7, 9}), 534);
  EXPECT_EQ(default_reply_code({4, 7, 9}), 450);  // 534 only: the class decides
  EXPECT_EQ(default_reply_code({5, 9, 9}), 550);  // unregistered
  EXPECT_EQ(default_reply_code({2, 0, 0}), 250);  // "Any"
}

TEST(Registry, CatalogueJson) {
  const auto j = nlohmann::json::parse(enhanced_status_catalogue_json());
  ASSERT_EQ(j["codes"].size(), enhanced_status_catalogue().size());
  EXPECT_EQ(j["classes"].size(), 3u);
  EXPECT_EQ(j["subjects"].size(), 8u);
  EXPECT_EQ(j["codes"][2]["code"], "X.1.1");
  EXPECT_EQ(j["codes"][2]["basic_list"], nlohmann::json({451, 550}));
  for (const auto& c : j["codes"])
    for (const char* k : {"code", "subject", "detail", "text", "basic_codes", "basic_list", "rfc", "description"})
      EXPECT_TRUE(c.contains(k)) << k;
}
