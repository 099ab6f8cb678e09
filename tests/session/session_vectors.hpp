// The "session" conformance vector kind, for any C++ runner (tests/conformance_runner.cpp and
// tests/session/*_test.cpp). Schema: conformance/README.md, "Server session".
//   {"kind":"session","id":…,"config":{…session_config fields…},"peer":{…connection_info…},
//    "answers":{"<hook>":ANSWER|[ANSWER…]},"steps":[{"feed":S}|{"feed_hex":H}|{"eof":true}|
//    {"timeout":true}|{"tls":"CIPHER"}…],"expect":{"output":S,"events":[…],"state":S}}
// The runner calls start(), then each step; every hook event that needs an answer is answered at
// once with the next configured answer (a list is used in order, its last element repeating; a
// hook without an entry gets CONT), depth-first.
// Invariants reported as `invariant` (checked on every vector): feeding every step one octet at a
// time gives the same output and the same events (message_data compared per message as the
// concatenated octets, aborted messages' data and the timing diagnostics pipelining_* and
// early_talker left out); no reply line is longer than 512 octets; nothing follows a 221 or 421.
#pragma once
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "../support/hex.hpp"
#include "smtpspec/session.hpp"
#include "../../src/json_escape.hpp"     // the canonical JSON string writer (white-box)
#include "../../src/session_fields.hpp"  // the session_config field table (white-box)

namespace smtpspec_session_driver {

using json = nlohmann::json;

inline bool is_session_kind(const std::string& kind) { return kind == "session"; }

using smtpspec_test::from_hex;  // tests/support/hex.hpp

namespace sb = smtpspec::bindings;

// One field from its JSON value; false when the value does not fit the field's type (err set only
// for an unknown hook name, which is named).
inline bool field_from(const json& v, bool& f, std::string&) {
  if (!v.is_boolean()) return false;
  f = v.get<bool>();
  return true;
}
inline bool field_from(const json& v, std::string& f, std::string&) {
  if (!v.is_string()) return false;
  f = v.get<std::string>();
  return true;
}
inline bool field_from(const json& v, std::vector<std::string>& f, std::string&) {
  const auto is_string = [](const json& e) { return e.is_string(); };
  if (!v.is_array() || !std::all_of(v.begin(), v.end(), is_string)) return false;
  f = v.get<std::vector<std::string>>();
  return true;
}
inline bool field_from(const json& v, std::vector<smtpspec::hook>& f, std::string& err) {
  if (!v.is_array()) return false;
  f.clear();
  for (const auto& h : v) {
    auto hk = h.is_string() ? smtpspec::hook_from_string(h.get<std::string>()) : std::nullopt;
    if (!hk) {
      err = "unknown hook " + h.dump();
      return false;
    }
    f.push_back(*hk);
  }
  return true;
}
template <class T>
bool field_from(const json& v, T& f, std::string&) {
  if constexpr (sb::is_named_enum<T>) {
    const auto e = v.is_string() ? sb::enum_from_name<T>(v.get<std::string>()) : std::nullopt;
    if (!e) return false;
    f = *e;
  } else if constexpr (std::is_unsigned_v<T>) {
    if (!v.is_number_unsigned()) return false;
    f = static_cast<T>(v.get<std::uint64_t>());
  } else {
    if (!v.is_number_integer()) return false;
    f = v.get<T>();
  }
  return true;
}

// Sets the field of `t` named `k` (the fields as `visit` lists them: src/session_fields.hpp, the
// table the JS and Python surfaces iterate too); false when no field has that name or v does not fit.
template <class T, class Visit>
bool set_field(T& t, Visit visit, const std::string& k, const json& v, std::string& err) {
  bool ok = false;
  visit(t, [&](const char* name, auto& f) {
    if (k == name) ok = field_from(v, f, err);
  });
  return ok;
}

// session_config from its JSON form (field names as in C++); unknown keys are errors.
inline bool config_from(const json& j, smtpspec::session_config& c, std::string& err) {
  if (!j.is_object()) {
    err = "config is not an object";
    return false;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    if (k == "limits" && v.is_object()) {
      for (auto li = v.begin(); li != v.end(); ++li) {
        if (!li.value().is_number_unsigned()) {
          err = "limit " + li.key() + " is not a number";
          return false;
        }
        std::string unused;
        const auto limits = [](auto& t, auto&& f) { sb::visit_limits(t, f); };
        if (!set_field(c.limits, limits, li.key(), li.value(), unused)) {
          err = "unknown limit " + li.key();
          return false;
        }
      }
      continue;
    }
    std::string why;
    if (!set_field(c, [](auto& t, auto&& f) { sb::visit_config(t, f); }, k, v, why)) {
      err = why.empty() ? "bad config field " + k : why;
      return false;
    }
  }
  return true;
}

inline bool peer_from(const json& j, smtpspec::connection_info& p, std::string& err) {
  if (!j.is_object()) {
    err = "peer is not an object";
    return false;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string unused;
    if (!set_field(p, [](auto& t, auto&& f) { sb::visit_peer(t, f); }, it.key(), it.value(), unused)) {
      err = "bad peer field " + it.key();
      return false;
    }
  }
  return true;
}

inline bool answer_from(const json& j, smtpspec::hook_response& r, std::string& err) {
  if (j.is_string()) {
    auto v = smtpspec::verdict_from_string(j.get<std::string>());
    if (!v) {
      err = "unknown verdict " + j.dump();
      return false;
    }
    r.verdict = *v;
    return true;
  }
  if (!j.is_object()) {
    err = "answer is neither a verdict nor an object";
    return false;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    if (k == "verdict" && v.is_string() && smtpspec::verdict_from_string(v.get<std::string>())) {
      r.verdict = *smtpspec::verdict_from_string(v.get<std::string>());
    } else if (k == "code" && v.is_number_integer()) {
      r.code = v.get<int>();
    } else if (k == "status" && v.is_string()) {
      auto s = smtpspec::parse_enhanced_status(v.get<std::string>());
      if (!s.ok()) {
        err = "bad status " + v.dump();
        return false;
      }
      r.status = s.value();
    } else if (k == "message" && (v.is_string() || v.is_array())) {
      if (v.is_string()) r.message = {v.get<std::string>()};
      else r.message = v.get<std::vector<std::string>>();
    } else if (k == "challenge" && v.is_string()) {
      r.challenge = v.get<std::string>();
    } else if (k == "user" && v.is_string()) {
      r.user = v.get<std::string>();
    } else if (k == "capabilities" && v.is_array()) {
      r.capabilities = v.get<std::vector<std::string>>();
    } else if (k == "per_recipient" && v.is_array()) {
      for (const auto& p : v) {
        smtpspec::hook_response pr;
        if (!answer_from(p, pr, err)) return false;
        r.per_recipient.push_back(std::move(pr));
      }
    } else {
      err = "bad answer field " + k;
      return false;
    }
  }
  return true;
}

struct step {
  enum class kind { feed, eof, timeout, tls } k = kind::feed;
  std::string bytes;  // feed: the octets; tls: the cipher
};

struct script {
  smtpspec::session_config config;
  smtpspec::connection_info peer;
  std::map<smtpspec::hook, std::vector<smtpspec::hook_response>> answers;
  std::vector<step> steps;
};

struct transcript {
  std::string output;
  std::vector<smtpspec::session_event> events;
  smtpspec::session_state state = smtpspec::session_state::connecting;
};

// Runs a script; `split` feeds every step one octet at a time.
inline transcript play(const script& s, bool split = false) {
  smtpspec::server_session session(s.config, s.peer);
  transcript t;
  std::map<smtpspec::hook, std::size_t> used;
  std::function<void(smtpspec::session_events)> handle = [&](smtpspec::session_events evs) {
    for (auto& e : evs) {
      const bool answer = e.kind == smtpspec::event_kind::hook && e.needs_answer;
      const auto h = e.hook;
      const auto handle_id = e.handle;
      t.events.push_back(std::move(e));
      if (!answer) continue;
      smtpspec::hook_response r;
      auto it = s.answers.find(h);
      if (it != s.answers.end() && !it->second.empty()) {
        auto& n = used[h];
        r = it->second[std::min(n, it->second.size() - 1)];
        ++n;
      }
      handle(session.answer(handle_id, r));
    }
  };
  handle(session.start());
  t.output += session.take_output();
  for (const auto& st : s.steps) {
    switch (st.k) {
      case step::kind::feed:
        if (split) {
          for (char c : st.bytes) {
            handle(session.feed(std::string_view(&c, 1)));
            t.output += session.take_output();
          }
        } else {
          handle(session.feed(st.bytes));
        }
        break;
      case step::kind::eof: handle(session.eof()); break;
      case step::kind::timeout: handle(session.timeout()); break;
      case step::kind::tls: handle(session.tls_established(st.bytes)); break;
    }
    t.output += session.take_output();
  }
  t.state = session.state();
  return t;
}

// The canonical text, keys in the schema's order, built from the library's own writers (the JS and
// Python runners write the same octets; nlohmann would sort the keys and reject invalid UTF-8).
inline std::string result_json(const transcript& t) {
  std::string out = "{\"output\":";
  smtpspec::detail::append_json_text(out, t.output);
  out += ",\"events\":[";
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    if (i) out += ',';
    out += smtpspec::to_json(t.events[i]);
  }
  out += "],\"state\":\"";
  out += smtpspec::to_string(t.state);
  out += "\"}";
  return out;
}

// The events with message data compared per message and timing diagnostics left out.
inline json normalised(const transcript& t) {
  json events = json::array();
  std::string data;
  for (const auto& e : t.events) {
    using smtpspec::event_kind;
    if (e.kind == event_kind::message_data) {
      data += e.data;
      continue;
    }
    if (e.kind == event_kind::diagnostic && e.diagnostic &&
        (*e.diagnostic == smtpspec::session_diagnostic_id::pipelining_not_advertised ||
         *e.diagnostic == smtpspec::session_diagnostic_id::pipelining_after_sync_command ||
         *e.diagnostic == smtpspec::session_diagnostic_id::early_talker))
      continue;
    const bool ends = e.kind == event_kind::message_aborted || e.kind == event_kind::close ||
                      (e.kind == event_kind::hook && e.hook == smtpspec::hook::data_post);
    if (ends && !data.empty()) {
      events.push_back(json{{"message", e.kind == event_kind::message_aborted ? std::string("(aborted)") : data}});
      data.clear();
    }
    events.push_back(json::parse(smtpspec::to_json(e)));
  }
  if (!data.empty()) events.push_back(json{{"message", data}});
  return events;
}

// Reply-line invariants of an output stream; "" when they hold.
inline std::string output_invariant(const std::string& out) {
  std::size_t i = 0;
  bool final_seen = false;
  while (i < out.size()) {
    auto e = out.find("\r\n", i);
    const std::size_t end = e == std::string::npos ? out.size() : e + 2;
    const std::string line = out.substr(i, end - i);
    if (final_seen) return "a reply after 221/421: " + line.substr(0, 80);
    if (line.size() > 512) return "reply line of " + std::to_string(line.size()) + " octets";
    if (line.size() >= 4 && (line.compare(0, 4, "221 ") == 0 || line.compare(0, 4, "421 ") == 0)) final_seen = true;
    i = end;
  }
  return {};
}

inline bool script_from(const json& v, script& s, std::string& err) {
  if (v.contains("config") && !config_from(v["config"], s.config, err)) return false;
  if (v.contains("peer") && !peer_from(v["peer"], s.peer, err)) return false;
  if (v.contains("answers")) {
    if (!v["answers"].is_object()) {
      err = "answers is not an object";
      return false;
    }
    for (auto it = v["answers"].begin(); it != v["answers"].end(); ++it) {
      auto h = smtpspec::hook_from_string(it.key());
      if (!h) {
        err = "unknown hook " + it.key();
        return false;
      }
      auto& list = s.answers[*h];
      if (it.value().is_array()) {
        for (const auto& a : it.value()) {
          smtpspec::hook_response r;
          if (!answer_from(a, r, err)) return false;
          list.push_back(std::move(r));
        }
      } else {
        smtpspec::hook_response r;
        if (!answer_from(it.value(), r, err)) return false;
        list.push_back(std::move(r));
      }
    }
  }
  if (!v.contains("steps") || !v["steps"].is_array()) {
    err = "no steps";
    return false;
  }
  for (const auto& st : v["steps"]) {
    step x;
    if (st.contains("feed") && st["feed"].is_string()) {
      x.bytes = st["feed"].get<std::string>();
    } else if (st.contains("feed_hex") && st["feed_hex"].is_string()) {
      auto d = from_hex(st["feed_hex"].get<std::string>());
      if (!d) {
        err = "bad feed_hex";
        return false;
      }
      x.bytes = *d;
    } else if (st.contains("eof")) {
      x.k = step::kind::eof;
    } else if (st.contains("timeout")) {
      x.k = step::kind::timeout;
    } else if (st.contains("tls") && st["tls"].is_string()) {
      x.k = step::kind::tls;
      x.bytes = st["tls"].get<std::string>();
    } else {
      err = "bad step " + st.dump();
      return false;
    }
    s.steps.push_back(std::move(x));
  }
  return true;
}

struct session_outcome {
  std::string json_text;
  std::string invariant;
};

inline std::optional<session_outcome> run(const json& v, std::string& err) {
  script s;
  if (!script_from(v, s, err)) return std::nullopt;
  const transcript whole = play(s);
  session_outcome o;
  o.json_text = result_json(whole);
  // reject_unauth_pipelining acts on how the input arrived: no split invariant there.
  if (s.config.reject_unauth_pipelining) {
    o.invariant = output_invariant(whole.output);
    return o;
  }
  const transcript bytewise = play(s, true);
  if (bytewise.output != whole.output) {
    o.invariant = "one octet at a time gives another output:\n" + bytewise.output;
  } else if (normalised(bytewise) != normalised(whole)) {
    o.invariant = "one octet at a time gives other events:\n" + normalised(bytewise).dump() + "\nvs\n" +
                  normalised(whole).dump();
  } else if (bytewise.state != whole.state) {
    o.invariant = "one octet at a time ends in another state";
  } else {
    o.invariant = output_invariant(whole.output);
  }
  return o;
}

}  // namespace smtpspec_session_driver
