// Fuzz target for parse_enhanced_status and the DSN catalogue entry points that take text
// (dsn::explain, dsn::make, dsn::create_text). The whole input is the text. Invariants (a
// violation traps): a parsed code prints back to the input, an error's offset lies inside it,
// the JSON is valid, and no control octet of a message reaches a DSN reply (subject and detail
// are the caller's, unsanitised, as in haraka-dsn).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smtpspec/smtpspec.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
void no_controls(const smtpspec::dsn::dsn_reply& d) {
  const std::size_t prefix = std::to_string(d.cls).size() + d.sub.size() + d.det.size() + 3;
  for (const auto& line : d.reply) {
    require(line.size() >= prefix);
    for (char c : std::string_view(line).substr(prefix)) require(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const auto r = smtpspec::parse_enhanced_status(s);
  if (r.ok()) {
    require(r->to_string() == s);
    require(smtpspec::lookup_enhanced_status(*r) == smtpspec::lookup_enhanced_status(r->subject, r->detail));
  } else {
    require(r.error().offset <= s.size());
    require(r.error().code == smtpspec::error_code::invalid_enhanced_status);
  }
  require(nlohmann::json::accept(to_json(r)));

  const auto e = smtpspec::dsn::explain(s);
  require(nlohmann::json::accept(to_json(e)));
  require(!smtpspec::dsn::to_text(e).empty());

  // The input as code, message and subject/detail texts, as the JavaScript module passes them.
  const std::size_t a = s.size() / 3, b = 2 * s.size() / 3;
  const auto d = smtpspec::dsn::create_text(s.substr(0, a), smtpspec::dsn::message(std::string(s)), s.substr(a, b - a),
                                            s.substr(b));
  no_controls(d);
  require(d.cls == 2 || d.cls == 4 || d.cls == 5);
  require(nlohmann::json::accept(smtpspec::dsn::to_json(d)));
  if (const auto m = smtpspec::dsn::make("no_such_user", smtpspec::dsn::message(std::string(s)), s)) no_controls(*m);
  return 0;
}
