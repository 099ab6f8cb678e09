// The issue-4 conformance vectors (the enhanced_status, reply and format_reply kinds of
// conformance/manifest.json), here with every two-part split of each reply stream; the shared
// runner (tests/conformance_runner.cpp) runs them whole and writes the parity output.
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
const fs::path pending_root() { return conformance_dir(); }

json read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str(), nullptr, false);
}

std::vector<std::string> manifest_files() {
  std::vector<std::string> out;
  const json m = read(conformance_dir() / "manifest.json");
  if (!m.is_array()) return out;
  for (const auto& e : m)
    if (e.is_string() && e.get<std::string>().ends_with(".json")) out.push_back(e.get<std::string>());
  return out;
}

std::vector<vec> load() {
  std::vector<vec> out;
  const auto files = manifest_files();
  if (files.empty()) out.push_back({"manifest", json(), "conformance/manifest.json lists no files"});
  for (const auto& file : files) {
    const json doc = read(pending_root() / file);
    if (!doc.is_array()) {
      out.push_back({file, json(), file + " is missing or not a JSON array"});
      continue;
    }
    std::set<std::string> ids;
    for (const auto& v : doc) {
      if (v.is_string()) continue;
      if (!v.is_object() || !smtpspec_issue4::is_issue4_kind(v.value("kind", ""))) continue;  // the shared runner's
      vec c;
      c.spec = v;
      const std::string id = v.is_object() ? v.value("id", std::string()) : std::string();
      c.name = file + ":" + id;
      if (id.empty()) c.problem = "entry without id";
      else if (!ids.insert(id).second) c.problem = "duplicate id " + id;
      else if (!smtpspec_issue4::is_issue4_kind(v.value("kind", ""))) c.problem = "kind must be enhanced_status, reply, format_reply or ehlo";
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

// The three kinds are all covered.
TEST(Vectors, KindsCovered) {
  std::set<std::string> kinds;
  for (const auto& c : all()) kinds.insert(c.spec.value("kind", ""));
  for (const char* k : {"enhanced_status", "reply", "format_reply"}) EXPECT_TRUE(kinds.count(k)) << k;
}

}  // namespace
