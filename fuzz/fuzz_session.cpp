// Fuzz target for server_session. Bytes 0-2 pick the configuration (extensions, policies, LMTP,
// PROXY, small limits), byte 3 the feed size, byte 4 seeds the host's verdicts; the rest is what the
// client sends. Invariants: no crash; every event's JSON is valid; no reply line longer than 512
// octets and nothing after a 221 or 421; feeding in steps gives the same output and events as one
// feed (tests/session/session_vectors.hpp's normalised form).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "../tests/session/session_vectors.hpp"
#include "smtpspec/session.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace smtpspec;
  namespace d = smtpspec_session_driver;
  if (size < 5) return 0;
  const std::uint8_t a = data[0], b = data[1], c = data[2];
  session_config cfg;
  cfg.hostname = "mx.example";
  cfg.pipelining = a & 1;
  cfg.chunking = a & 2;
  cfg.starttls = a & 4;
  cfg.auth = a & 8;
  cfg.auth_requires_tls = a & 16;
  cfg.xclient = a & 32;
  cfg.xforward = a & 64;
  cfg.lmtp = a & 128;
  cfg.bare_lf = static_cast<newline_policy>(b % 3);
  cfg.bare_cr = static_cast<newline_policy>((b / 3) % 3);
  cfg.relaying = b & 16;
  cfg.buffer_message = b & 32;
  cfg.enhancedstatuscodes = b & 64;
  cfg.profile = (b & 128) ? profile::strict : profile::lenient;
  cfg.proxy = static_cast<proxy_protocol>(c % 4);
  if (c & 4) {
    cfg.limits.command_line_hard = 128;
    cfg.limits.auth_line = 64;
    cfg.limits.message_size = 100;
    cfg.limits.recipients = 2;
    cfg.limits.errors_hard = 5;
  }
  cfg.auth_mechanisms = {"PLAIN", "LOGIN", "X-TOKEN"};
  cfg.hooks = {hook::connect, hook::ehlo, hook::mail, hook::rcpt, hook::data, hook::data_post, hook::queue,
               hook::auth, hook::starttls, hook::xclient, hook::unrecognized_command, hook::disconnect, hook::deny};
  const std::size_t step = 1 + data[3] % 97;
  d::script s;
  s.config = cfg;
  std::uint8_t seed = data[4];
  for (hook h : cfg.hooks) {
    std::vector<hook_response> list;
    for (int i = 0; i < 4; ++i) {
      seed = static_cast<std::uint8_t>(seed * 37 + 11);
      hook_response r;
      r.verdict = static_cast<verdict>(seed % 6 == 5 && (seed & 64) ? 5 : seed % 5);
      if (seed & 128) r.message = {"custom text"};
      if (h == hook::auth && (seed & 8)) r.challenge = "challenge";
      if (h == hook::queue && (seed & 16)) r.per_recipient = {hook_response{}, r};
      list.push_back(std::move(r));
    }
    s.answers[h] = std::move(list);
  }
  const std::string_view in(reinterpret_cast<const char*>(data) + 5, size - 5);
  s.steps = {d::step{d::step::kind::feed, std::string(in)}, d::step{d::step::kind::tls, "C"},
             d::step{d::step::kind::eof, {}}};
  const auto whole = d::play(s);
  d::script parts = s;
  parts.steps.clear();
  for (std::size_t i = 0; i < in.size(); i += step)
    parts.steps.push_back(d::step{d::step::kind::feed, std::string(in.substr(i, step))});
  parts.steps.push_back(d::step{d::step::kind::tls, "C"});
  parts.steps.push_back(d::step{d::step::kind::eof, {}});
  const auto split = d::play(parts);
  for (const auto& e : whole.events) require(!nlohmann::json::parse(to_json(e), nullptr, false).is_discarded());
  require(d::output_invariant(whole.output).empty());
  require(whole.output == split.output);
  require(d::normalised(whole) == d::normalised(split));
  require(whole.state == session_state::closed);
  return 0;
}
