// Development tool (not a test): reads a JSON array of session vectors on stdin and writes it back
// with each "expect" set to what the session produces now, for review before it is committed
// (tests/session/gen_vectors.py). Invariant failures are printed to stderr.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "session_vectors.hpp"

int main() {
  using json = nlohmann::json;
  const std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_array()) {
    std::cerr << "not a JSON array\n";
    return 2;
  }
  int bad = 0;
  for (auto& v : doc) {
    if (!v.is_object() || v.value("kind", "") != "session") continue;
    std::string err;
    auto o = smtpspec_session_driver::run(v, err);
    if (!o) {
      std::cerr << v.value("id", "?") << ": bad vector: " << err << "\n";
      ++bad;
      continue;
    }
    if (!o->invariant.empty()) {
      std::cerr << v.value("id", "?") << ": invariant: " << o->invariant << "\n";
      ++bad;
    }
    v["expect"] = json::parse(o->json_text);
  }
  std::cout << doc.dump(1) << "\n";
  return bad == 0 ? 0 : 1;
}
