// The issue-4 conformance vectors (conformance/manifest-issue4.json; files under
// conformance/issue4/ until the lead merges them into conformance/vectors/ and manifest.json).
// One GoogleTest per vector, named after "<file>:<id>"; `expect` is matched as a subset of the
// canonical JSON (conformance/README.md). Reply streams are also fed split at every octet.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "vector_kinds.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct vec {
  std::string name;  // "<file>:<id>"
  json spec;
  std::string problem;  // set when the vector or its file is malformed
};

fs::path conformance_dir() {
  if (const char* d = std::getenv("SMTPSPEC_CONFORMANCE_DIR"); d != nullptr && *d != '\0') return d;
  return fs::path(SMTPSPEC_SOURCE_DIR) / "conformance";
}
const fs::path pending_root() { return conformance_dir() / "issue4"; }

json read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str(), nullptr, false);
}

std::vector<std::string> manifest_files() {
  std::vector<std::string> out;
  const json m = read(conformance_dir() / "manifest-issue4.json");
  if (!m.is_array()) return out;
  for (const auto& e : m)
    if (e.is_string() && e.get<std::string>().ends_with(".json")) out.push_back(e.get<std::string>());
  return out;
}

std::vector<vec> load() {
  std::vector<vec> out;
  const auto files = manifest_files();
  if (files.empty()) out.push_back({"manifest", json(), "conformance/manifest-issue4.json lists no files"});
  for (const auto& file : files) {
    const json doc = read(pending_root() / file);
    if (!doc.is_array()) {
      out.push_back({file, json(), file + " is missing or not a JSON array"});
      continue;
    }
    std::set<std::string> ids;
    for (const auto& v : doc) {
      if (v.is_string()) continue;
      vec c;
      c.spec = v;
      const std::string id = v.is_object() ? v.value("id", std::string()) : std::string();
      c.name = file + ":" + id;
      if (id.empty()) c.problem = "entry without id";
      else if (!ids.insert(id).second) c.problem = "duplicate id " + id;
      else if (!smtpspec_issue4::is_issue4_kind(v.value("kind", ""))) c.problem = "kind must be enhanced_status, reply or format_reply";
      else if (!v.contains("rfc") || !v["rfc"].is_string() || v["rfc"].get<std::string>().empty()) c.problem = "no rfc";
      else if (!v.contains("expect")) c.problem = "no expect";
      else if (v["kind"] == "reply" ? !v["expect"].is_array() : !v["expect"].is_object()) c.problem = "expect has the wrong shape";
      out.push_back(std::move(c));
    }
  }
  return out;
}

const std::vector<vec>& all() {
  static const std::vector<vec> v = load();
  return v;
}

void subset(const json& want, const json& got, const std::string& where, std::vector<std::string>& out) {
  if (want.is_object()) {
    if (!got.is_object()) return out.push_back(where + ": expected an object, got " + got.dump());
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (!got.contains(it.key())) out.push_back(where + "." + it.key() + ": missing");
      else subset(it.value(), got[it.key()], where + "." + it.key(), out);
    }
  } else if (want.is_array()) {
    if (!got.is_array() || got.size() != want.size())
      return out.push_back(where + ": expected " + want.dump() + ", got " + got.dump());
    for (std::size_t i = 0; i < want.size(); ++i) subset(want[i], got[i], where + "[" + std::to_string(i) + "]", out);
  } else if (want != got) {
    out.push_back(where + ": expected " + want.dump() + ", got " + got.dump());
  }
}

// Every error code and diagnostic id a vector expects exists in the catalogues.
void known_ids(const json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    if (j.contains("code") && j["code"].is_string() && j.contains("offset")) {
      bool found = false;
      for (const auto& e : smtpspec::error_catalogue()) found = found || e.name == j["code"].get<std::string>();
      if (!found) out.push_back("unknown error code " + j["code"].dump());
    }
    if (j.contains("id") && j["id"].is_string()) {
      bool found = false;
      for (const auto& d : smtpspec::reply_diagnostic_catalogue()) found = found || d.name == j["id"].get<std::string>();
      if (!found) out.push_back("unknown diagnostic id " + j["id"].dump());
    }
    for (const auto& [k, v] : j.items()) known_ids(v, out);
  } else if (j.is_array()) {
    for (const auto& v : j) known_ids(v, out);
  }
}

class Vector : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Vector, MatchesExpect) {
  const vec& c = all()[GetParam()];
  ASSERT_TRUE(c.problem.empty()) << c.name << ": " << c.problem;
  std::string err;
  const auto got = smtpspec_issue4::run(c.spec, err);
  ASSERT_TRUE(got.has_value()) << c.name << ": bad vector: " << err;
  const json actual = json::parse(*got, nullptr, false);
  ASSERT_FALSE(actual.is_discarded()) << "invalid JSON: " << *got;
  std::vector<std::string> diffs;
  known_ids(c.spec["expect"], diffs);
  subset(c.spec["expect"], actual, "$", diffs);
  std::string all_diffs;
  for (const auto& d : diffs) all_diffs += "  " + d + "\n";
  EXPECT_TRUE(diffs.empty()) << c.name << "\nmismatches:\n" << all_diffs << "actual: " << *got;

  if (c.spec["kind"] == "reply") {
    const auto in = smtpspec_issue4::string_input(c.spec, err).value_or("");
    const auto opts = smtpspec_issue4::reply_options(c.spec, err).value_or(smtpspec::reply_parse_options{});
    if (in.size() <= 2048) {
      for (std::size_t cut = 0; cut <= in.size(); ++cut) {
        smtpspec::reply_parser p(opts);
        p.feed(std::string_view(in).substr(0, cut));
        p.feed(std::string_view(in).substr(cut));
        p.finish();
        const auto rs = p.take();
        ASSERT_EQ(smtpspec::to_json(std::span<const smtpspec::reply>(rs)), *got) << c.name << " split at " << cut;
      }
    }
  }
}

std::string test_name(const ::testing::TestParamInfo<std::size_t>& info) {
  std::string n = all()[info.param].name;
  for (auto& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n + "_" + std::to_string(info.param);
}

INSTANTIATE_TEST_SUITE_P(Issue4, Vector, ::testing::Range<std::size_t>(0, all().size()), test_name);

// Every file under conformance/issue4/ is in the manifest, and the three kinds are all covered.
TEST(Vectors, ManifestListsEveryFile) {
  const auto files = manifest_files();
  ASSERT_FALSE(files.empty());
  std::set<std::string> listed(files.begin(), files.end());
  for (const auto& e : fs::recursive_directory_iterator(pending_root())) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    const std::string rel = fs::relative(e.path(), pending_root()).generic_string();
    EXPECT_TRUE(listed.count(rel)) << rel << " is not in manifest-issue4.json";
  }
  std::set<std::string> kinds;
  for (const auto& c : all()) kinds.insert(c.spec.value("kind", ""));
  for (const char* k : {"enhanced_status", "reply", "format_reply"}) EXPECT_TRUE(kinds.count(k)) << k;
}

// The canonical JSON per vector, for comparing surfaces (SMTPSPEC_CONFORMANCE_OUT_DIR/native-issue4.jsonl).
TEST(Vectors, WriteOutput) {
  const char* dir = std::getenv("SMTPSPEC_CONFORMANCE_OUT_DIR");
  if (dir == nullptr || *dir == '\0') GTEST_SKIP() << "SMTPSPEC_CONFORMANCE_OUT_DIR not set";
  fs::create_directories(dir);
  std::ofstream out(fs::path(dir) / "native-issue4.jsonl", std::ios::binary | std::ios::trunc);
  for (const auto& c : all()) {
    std::string err;
    const auto got = c.problem.empty() ? smtpspec_issue4::run(c.spec, err) : std::nullopt;
    out << c.name << '\t' << (got ? *got : "{\"bad_vector\":" + json(err.empty() ? c.problem : err).dump() + "}") << '\n';
  }
  ASSERT_TRUE(out.good());
}

}  // namespace
