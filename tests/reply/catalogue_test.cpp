// The catalogues against their sources: the IANA registry CSVs and haraka-dsn 1.2.1's table
// (../shared/iana, ../shared/dsn next to the repository). Skipped when those files are absent
// (a release tarball); the rows themselves are the source of truth for every surface.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "smtpspec/smtpspec.hpp"

using namespace smtpspec;
namespace fs = std::filesystem;

namespace {

using row = std::map<std::string, std::string>;

// RFC 4180: fields separated by commas, optionally in double quotes ("" is a quote).
std::vector<row> read_csv(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      records.back().push_back(std::move(field));
      field.clear();
      records.emplace_back();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !records.back().empty()) records.back().push_back(field);
  if (records.back().empty()) records.pop_back();
  std::vector<row> out;
  for (std::size_t r = 1; r < records.size(); ++r) {
    row m;
    for (std::size_t c = 0; c < records[0].size() && c < records[r].size(); ++c) m[records[0][c]] = records[r][c];
    out.push_back(std::move(m));
  }
  return out;
}

fs::path shared() { return fs::path(SMTPSPEC_SOURCE_DIR) / ".." / "shared"; }

std::pair<unsigned, unsigned> sub_det(const std::string& key) {  // "X.1.10"
  const auto d1 = key.find('.'), d2 = key.find('.', d1 + 1);
  return {static_cast<unsigned>(std::stoul(key.substr(d1 + 1, d2 - d1 - 1))), static_cast<unsigned>(std::stoul(key.substr(d2 + 1)))};
}

#define REQUIRE_FILE(p)                                                   \
  if (!fs::exists(p)) GTEST_SKIP() << (p).string() << " is not present"

}  // namespace

TEST(CatalogueSource, IanaEnumeratedCodes) {
  const auto p = shared() / "iana" / "smtp-enhanced-status-codes-3-enumerated.csv";
  REQUIRE_FILE(p);
  const auto rows = read_csv(p);
  ASSERT_EQ(rows.size(), enhanced_status_catalogue().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto& r = rows[i];
    const auto& c = enhanced_status_catalogue()[i];  // same order as the registry
    const auto [s, d] = sub_det(r.at("Code"));
    EXPECT_EQ(c.subject, s);
    EXPECT_EQ(c.detail, d);
    EXPECT_EQ(c.code, r.at("Code"));
    EXPECT_EQ(c.text, r.at("Sample Text"));
    EXPECT_EQ(c.basic_codes, r.at("Associated basic status code"));
    EXPECT_EQ(c.description, r.at("Description"));
    // Every RFC the registry cites is named.
    const std::string& ref = r.at("Reference");
    for (std::size_t at = ref.find("[RFC"); at != std::string::npos; at = ref.find("[RFC", at + 1)) {
      const std::string num = ref.substr(at + 4, ref.find(']', at) - at - 4);
      EXPECT_NE(c.rfc.find("RFC " + num), std::string_view::npos) << c.code << ": " << ref;
    }
  }
}

TEST(CatalogueSource, IanaClassesAndSubjects) {
  const auto pc = shared() / "iana" / "smtp-enhanced-status-codes-1-class.csv";
  const auto ps = shared() / "iana" / "smtp-enhanced-status-codes-2-subject.csv";
  REQUIRE_FILE(pc);
  REQUIRE_FILE(ps);
  const auto classes = read_csv(pc);
  ASSERT_EQ(classes.size(), status_class_catalogue().size());
  for (const auto& r : classes) {
    const auto* c = lookup_status_class(static_cast<unsigned>(r.at("Code")[0] - '0'));
    ASSERT_NE(c, nullptr) << r.at("Code");
    EXPECT_EQ(c->summary, r.at("Summary"));
    EXPECT_EQ(c->description, r.at("Description"));
  }
  const auto subjects = read_csv(ps);
  ASSERT_EQ(subjects.size(), status_subject_catalogue().size());
  for (const auto& r : subjects) {
    const auto* s = lookup_status_subject(static_cast<unsigned>(r.at("Code")[2] - '0'));
    ASSERT_NE(s, nullptr) << r.at("Code");
    EXPECT_EQ(s->summary, r.at("Summary"));
    EXPECT_EQ(s->description, r.at("Description"));
  }
}

TEST(CatalogueSource, HarakaFunctions) {
  const auto p = shared() / "dsn" / "haraka-dsn.csv";
  REQUIRE_FILE(p);
  const auto rows = read_csv(p);
  std::size_t own = 0;
  for (const auto& f : dsn::function_catalogue()) own += f.alias_of.empty() ? 1 : 0;
  ASSERT_EQ(rows.size(), own);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const auto& f = dsn::function_catalogue()[i];  // haraka's source order
    EXPECT_EQ(f.name, r.at("function"));
    EXPECT_EQ(f.section, r.at("section"));
    EXPECT_EQ(std::to_string(f.default_code), r.at("default_smtp_code"));
    EXPECT_EQ(std::to_string(f.subject), r.at("subject"));
    EXPECT_EQ(std::to_string(f.detail), r.at("detail"));
    EXPECT_EQ(f.default_msg, r.at("function_default_msg"));
    // Called without arguments, as the CSV's generator did under node 20.
    const auto d = dsn::make(f.name);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->code, r.at("default_smtp_code"));
    EXPECT_EQ(d->default_msg, r.at("enum_default_msg")) << f.name;
    EXPECT_EQ(d->to_string(), r.at("reply_with_defaults")) << f.name;
    ASSERT_TRUE(d->status().has_value());
    EXPECT_EQ(d->status()->to_string(), r.at("enhanced_code"));
  }
}

TEST(CatalogueSource, HarakaTexts) {
  const auto p = shared() / "dsn" / "haraka-dsn-enum.csv";
  REQUIRE_FILE(p);
  const auto rows = read_csv(p);
  ASSERT_EQ(rows.size(), dsn::text_catalogue().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& t = dsn::text_catalogue()[i];
    const auto [s, d] = sub_det(rows[i].at("enhanced_code_suffix"));
    EXPECT_EQ(t.subject, s);
    EXPECT_EQ(t.detail, d);
    EXPECT_EQ(t.text, rows[i].at("default_text"));
    EXPECT_EQ(t.rfc, rows[i].at("rfc_note"));
  }
}
