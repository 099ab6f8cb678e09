// Helpers for the session tests: a scripted host (session_vectors.hpp's driver) and accessors.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "session_vectors.hpp"
#include "smtpspec/session.hpp"

namespace smtpspec_session_test {

using smtpspec_session_driver::script;
using smtpspec_session_driver::step;
using smtpspec_session_driver::transcript;

inline smtpspec::session_config base_config() {
  smtpspec::session_config c;
  c.hostname = "mx.example";
  c.hooks = {smtpspec::hook::rcpt, smtpspec::hook::queue, smtpspec::hook::disconnect};
  return c;
}

inline smtpspec::hook_response verdict_of(smtpspec::verdict v) {
  smtpspec::hook_response r;
  r.verdict = v;
  return r;
}
inline smtpspec::hook_response ok() { return verdict_of(smtpspec::verdict::ok); }
inline smtpspec::hook_response deny() { return verdict_of(smtpspec::verdict::deny); }
inline smtpspec::hook_response denysoft() { return verdict_of(smtpspec::verdict::denysoft); }

using answers = std::map<smtpspec::hook, std::vector<smtpspec::hook_response>>;

inline transcript run(const smtpspec::session_config& c, const answers& a, std::vector<step> steps,
                      bool split = false) {
  script s;
  s.config = c;
  s.peer.remote_address = "192.0.2.1";
  s.peer.remote_port = 1234;
  s.answers = a;
  s.steps = std::move(steps);
  return smtpspec_session_driver::play(s, split);
}
inline transcript run(const smtpspec::session_config& c, const answers& a, const std::string& input,
                      bool split = false) {
  return run(c, a, std::vector<step>{step{step::kind::feed, input}}, split);
}
inline step feed(std::string s) { return step{step::kind::feed, std::move(s)}; }
inline step eof() { return step{step::kind::eof, {}}; }
inline step timeout() { return step{step::kind::timeout, {}}; }
inline step tls(std::string cipher = "TLS_AES_128_GCM_SHA256") { return step{step::kind::tls, std::move(cipher)}; }

inline std::string message_of(const transcript& t) {
  std::string m;
  for (const auto& e : t.events)
    if (e.kind == smtpspec::event_kind::message_data) m += e.data;
  return m;
}
inline std::vector<std::string> hooks_of(const transcript& t) {
  std::vector<std::string> h;
  for (const auto& e : t.events)
    if (e.kind == smtpspec::event_kind::hook) h.emplace_back(smtpspec::to_string(e.hook));
  return h;
}
inline std::vector<std::string> diags_of(const transcript& t) {
  std::vector<std::string> d;
  for (const auto& e : t.events)
    if (e.kind == smtpspec::event_kind::diagnostic && e.diagnostic) d.emplace_back(smtpspec::to_string(*e.diagnostic));
  return d;
}
inline bool has_event(const transcript& t, smtpspec::event_kind k) {
  for (const auto& e : t.events)
    if (e.kind == k) return true;
  return false;
}
inline bool has_diag(const transcript& t, std::string_view id) {
  for (const auto& d : diags_of(t))
    if (d == id) return true;
  return false;
}
// The reply lines of the output.
inline std::vector<std::string> lines_of(const std::string& out) {
  std::vector<std::string> v;
  std::size_t i = 0;
  while (i < out.size()) {
    auto e = out.find("\r\n", i);
    if (e == std::string::npos) e = out.size();
    v.push_back(out.substr(i, e - i));
    i = e + 2;
  }
  return v;
}

}  // namespace smtpspec_session_test
