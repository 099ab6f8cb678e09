// The C++ conformance runner: reads conformance/manifest.json and every vector file it lists
// (format: conformance/README.md) and registers one GoogleTest per vector, named "<file>:<id>".
// Each input is parsed from an exact-size heap copy; `expect` is matched as a subset of the
// canonical JSON. With SMTPSPEC_CONFORMANCE_OUT_DIR (or SMTPSPEC_CONFORMANCE_OUT, a file) set, it
// also writes one line per vector, "<file>:<id>\t<canonical JSON>", in manifest order, so that
// the three surfaces can be compared byte for byte.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "reply/vector_kinds.hpp"
#include "milter/vector_kinds.hpp"
#include "transcript/vector_kinds.hpp"
#include "lint/vector_kinds.hpp"
#include "session/data_proxy_vectors.hpp"
#include "session/session_vectors.hpp"
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "smtpspec_test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct vector_case {
  std::string name;  // "<file>:<id>"
  json spec;
  std::string load_error;  // set when the vector itself is malformed
};

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

fs::path conformance_dir() {
  if (const char* d = env("SMTPSPEC_CONFORMANCE_DIR")) return d;
  return fs::path(SMTPSPEC_SOURCE_DIR) / "conformance";
}

std::optional<json> read_json(const fs::path& p, std::string& err) {
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    err = "cannot open " + p.string();
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    err = "not valid JSON: " + p.string();
    return std::nullopt;
  }
  return j;
}

// Manifest entries: strings naming vector files relative to conformance/ (an array, or an object
// holding "files"); objects with "file" or "path" are accepted too. Other strings are comments.
std::vector<std::string> manifest_files(const json& m) {
  const json* list = &m;
  if (m.is_object()) {
    for (const char* key : {"files", "vectors"})
      if (m.contains(key)) list = &m[key];
  }
  std::vector<std::string> out;
  if (!list->is_array()) return out;
  for (const auto& e : *list) {
    if (e.is_string()) {
      const auto s = e.get<std::string>();
      if (s.size() > 5 && s.ends_with(".json")) out.push_back(s);
    } else if (e.is_object()) {
      for (const char* key : {"file", "path"})
        if (e.contains(key) && e[key].is_string()) {
          out.push_back(e[key].get<std::string>());
          break;
        }
    }
  }
  return out;
}


struct outcome {
  std::string json_text;  // canonical JSON
  std::string invariant;  // empty when the result's invariants hold
};

// Parses one vector from an exact-size heap copy. Returns nullopt and sets err on a bad vector.
std::optional<outcome> run_vector(const json& v, std::string& err) {
  if (smtpspec_milter_vectors::is_milter_kind(v.value("kind", ""))) {
    auto m = smtpspec_milter_vectors::run(v, err);
    if (!m) return std::nullopt;
    return outcome{std::move(m->json_text), std::move(m->invariant)};
  }
  if (smtpspec_session_driver::is_session_kind(v.value("kind", ""))) {
    auto d = smtpspec_session_driver::run(v, err);
    if (!d) return std::nullopt;
    return outcome{std::move(d->json_text), std::move(d->invariant)};
  }
  if (smtpspec_session_vectors::is_data_proxy_kind(v.value("kind", ""))) {
    auto d = smtpspec_session_vectors::run(v, err);
    if (!d) return std::nullopt;
    return outcome{std::move(d->json_text), std::move(d->invariant)};
  }
  if (smtpspec_transcript_vectors::is_transcript_kind(v.value("kind", ""))) {  // issue 7: transcripts
    auto t = smtpspec_transcript_vectors::run(v, err);
    if (!t) return std::nullopt;
    return outcome{std::move(t->json_text), std::move(t->invariant)};
  }
  if (smtpspec_lint_vectors::is_lint_kind(v.value("kind", ""))) {  // issue 7: smtpspec lint
    auto t = smtpspec_lint_vectors::run(v, err);
    if (!t) return std::nullopt;
    return outcome{std::move(t->json_text), std::move(t->invariant)};
  }
  if (smtpspec_issue4::is_issue4_kind(v.value("kind", ""))) {
    auto text = smtpspec_issue4::run(v, err);
    if (!text) return std::nullopt;
    return outcome{std::move(*text), {}};
  }
  std::string input;
  if (v.contains("input_hex")) {
    auto d = v["input_hex"].is_string() ? smtpspec_issue4::from_hex(v["input_hex"].get<std::string>()) : std::nullopt;
    if (!d) {
      err = "input_hex is not an even run of hex digits";
      return std::nullopt;
    }
    input = *d;
  } else if (v.contains("input") && v["input"].is_string()) {
    input = v["input"].get<std::string>();
  } else {
    err = "no input or input_hex";
    return std::nullopt;
  }
  const std::string profile = v.value("profile", "strict");
  if (profile != "strict" && profile != "lenient") {
    err = "unknown profile " + profile;
    return std::nullopt;
  }
  smtpspec::parse_options opt;
  opt.profile = profile == "lenient" ? smtpspec::profile::lenient : smtpspec::profile::strict;
  if (v.contains("smtputf8") && !v["smtputf8"].is_boolean()) {
    err = "smtputf8 must be true or false";
    return std::nullopt;
  }
  opt.smtputf8 = v.value("smtputf8", false);

  const smtpspec_test::heap_input buf(input);
  const auto in = buf.view();
  const std::string kind = v.value("kind", "");
  auto finish = [&](const auto& r) { return outcome{smtpspec::to_json(r), smtpspec_test::invariant_failure(r, in)}; };
  if (kind == "command") return finish(smtpspec::parse_command(in, opt));
  if (kind == "mailbox") return finish(smtpspec::parse_mailbox(in, opt));
  if (kind == "domain") return finish(smtpspec::parse_domain(in, opt));
  if (kind == "path") {
    const std::string role = v.value("role", "any");
    smtpspec::path_role pr = smtpspec::path_role::any;
    if (role == "reverse") {
      pr = smtpspec::path_role::reverse;
    } else if (role == "forward") {
      pr = smtpspec::path_role::forward;
    } else if (role != "any") {
      err = "unknown role " + role;
      return std::nullopt;
    }
    return finish(smtpspec::parse_path(in, opt, pr));
  }
  err = "unknown kind \"" + kind + "\"";
  return std::nullopt;
}

// README: every key of `expect` must be in the result with a matching value (objects
// recursively); arrays must have the same length and match element by element.
void subset_match(const json& want, const json& got, const std::string& where, std::vector<std::string>& out) {
  if (want.is_object()) {
    if (!got.is_object()) {
      out.push_back(where + ": expected an object, got " + got.dump());
      return;
    }
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (!got.contains(it.key())) {
        out.push_back(where + "." + it.key() + ": missing");
        continue;
      }
      subset_match(it.value(), got[it.key()], where + "." + it.key(), out);
    }
  } else if (want.is_array()) {
    if (!got.is_array() || got.size() != want.size()) {
      out.push_back(where + ": expected " + want.dump() + ", got " + got.dump());
      return;
    }
    for (std::size_t i = 0; i < want.size(); ++i)
      subset_match(want[i], got[i], where + "[" + std::to_string(i) + "]", out);
  } else if (want != got) {
    out.push_back(where + ": expected " + want.dump() + ", got " + got.dump());
  }
}

class vector_test : public testing::Test {
 public:
  explicit vector_test(vector_case c) : c_(std::move(c)) {}
  void TestBody() override {
    ASSERT_TRUE(c_.load_error.empty()) << c_.load_error;
    if (c_.spec.contains("rfc")) RecordProperty("rfc", c_.spec["rfc"].dump());
    std::string err;
    auto got = run_vector(c_.spec, err);
    ASSERT_TRUE(got.has_value()) << "bad vector: " << err;
    EXPECT_TRUE(got->invariant.empty()) << got->invariant << "\n" << got->json_text;
    ASSERT_TRUE(c_.spec.contains("expect") && (c_.spec["expect"].is_object() || c_.spec["expect"].is_array()))
        << "vector without \"expect\"";
    const json actual = json::parse(got->json_text, nullptr, false);
    ASSERT_FALSE(actual.is_discarded()) << "to_json gave invalid JSON: " << got->json_text;
    std::vector<std::string> diffs;
    subset_match(c_.spec["expect"], actual, "$", diffs);
    std::string all;
    for (const auto& d : diffs) all += "  " + d + "\n";
    EXPECT_TRUE(diffs.empty()) << "input: " << c_.spec.value("input", c_.spec.value("input_hex", std::string()))
                               << "\nmismatches:\n"
                               << all << "actual: " << got->json_text
                               << (c_.spec.contains("note") ? "\nnote: " + c_.spec["note"].dump() : "");
  }

 private:
  vector_case c_;
};

class failing_test : public testing::Test {
 public:
  explicit failing_test(std::string why) : why_(std::move(why)) {}
  void TestBody() override { FAIL() << why_; }

 private:
  std::string why_;
};

void register_failure(const std::string& name, const std::string& why) {
  testing::RegisterTest("conformance", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                        [why]() -> testing::Test* { return new failing_test(why); });
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const fs::path dir = conformance_dir();
  const fs::path manifest_path = dir / "manifest.json";
  const bool require = env("SMTPSPEC_REQUIRE_VECTORS") != nullptr && std::string(env("SMTPSPEC_REQUIRE_VECTORS")) == "1";

  std::vector<vector_case> cases;
  if (!fs::exists(manifest_path)) {
    std::cout << "conformance: no " << manifest_path.string() << " yet; no vectors registered\n";
    if (require) register_failure("manifest", "SMTPSPEC_REQUIRE_VECTORS=1 but " + manifest_path.string() + " is missing");
  } else {
    std::string err;
    auto manifest = read_json(manifest_path, err);
    if (!manifest) {
      register_failure("manifest", err);
    } else {
      const auto files = manifest_files(*manifest);
      if (files.empty()) register_failure("manifest", "manifest lists no vector files");
      std::set<fs::path> listed;
      for (const auto& file : files) {
        listed.insert(fs::weakly_canonical(dir / file));
        auto doc = read_json(dir / file, err);
        if (!doc || !doc->is_array()) {
          register_failure(file + ":load", doc ? file + " is not a JSON array" : err);
          continue;
        }
        std::set<std::string> ids;
        std::size_t index = 0;
        for (const auto& v : *doc) {
          ++index;
          if (v.is_string()) continue;  // comment
          vector_case c;
          c.spec = v;
          const std::string id = v.is_object() && v.contains("id") && v["id"].is_string()
                                     ? v["id"].get<std::string>()
                                     : "#" + std::to_string(index);
          c.name = file + ":" + id;
          if (!v.is_object() || !v.contains("id")) c.load_error = "entry " + std::to_string(index) + " has no string id";
          if (!ids.insert(id).second) c.load_error = "duplicate id " + id;
          cases.push_back(std::move(c));
        }
      }
      // Every vector file on disk must be in the manifest (hand-kept lists drift).
      if (fs::exists(dir / "vectors")) {
        for (const auto& e : fs::recursive_directory_iterator(dir / "vectors")) {
          if (e.is_regular_file() && e.path().extension() == ".json" && !listed.count(fs::weakly_canonical(e.path())))
            register_failure("manifest:" + fs::relative(e.path(), dir).string(),
                             fs::relative(e.path(), dir).string() + " is not listed in manifest.json");
        }
      }
    }
  }

  // The canonical JSON for every vector, in manifest order, for the cross-surface comparison.
  fs::path out_file;
  if (const char* d = env("SMTPSPEC_CONFORMANCE_OUT_DIR")) {
    fs::create_directories(d);
    out_file = fs::path(d) / "native.jsonl";
  } else if (const char* f = env("SMTPSPEC_CONFORMANCE_OUT")) {
    out_file = f;
  }
  if (!out_file.empty()) {
    std::ofstream out(out_file, std::ios::binary | std::ios::trunc);
    for (const auto& c : cases) {
      std::string err;
      auto got = c.load_error.empty() ? run_vector(c.spec, err) : std::nullopt;
      const std::string why = err.empty() ? c.load_error : err;
      out << c.name << '\t' << (got ? got->json_text : "{\"bad_vector\":" + json(why).dump() + "}") << '\n';
    }
    if (!out) {
      std::cerr << "conformance: cannot write " << out_file.string() << "\n";
      return 2;
    }
    std::cout << "conformance: wrote " << cases.size() << " results to " << out_file.string() << "\n";
  }

  for (auto& c : cases) {
    const std::string name = c.name;
    testing::RegisterTest("conformance", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [c = std::move(c)]() -> testing::Test* { return new vector_test(c); });
  }
  return RUN_ALL_TESTS();
}
