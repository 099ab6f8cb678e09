// smtpspec — the native half of smtpspec/server (npm/server.js): the sans-IO server session, the
// DATA reader and the PROXY header parser. Events cross as the core's canonical JSON (to_json in
// session.hpp), which server.js JSON.parse()s, so JS and C++ agree by construction; octets (the
// output, message data) cross as Uint8Array copies. Sessions and readers live in tables keyed by
// small integers that server.js frees. Arguments arrive checked and normalised by server.js
// (snake_case keys, the types of session_defaults_json), so nothing here second-guesses them.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "handles.hpp"
#include "../src/session_fields.hpp"
#include "smtpspec/session.hpp"

namespace {

using emscripten::val;
namespace sb = smtpspec::bindings;
using smtpspec::server_session;

val bytes_out(const std::string& s) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(s.size(), p));
}
std::string octets(const val& v) { return v.isUndefined() || v.isNull() ? std::string() : v.as<std::string>(); }
bool has(const val& o, const char* k) { return !o[k].isUndefined() && !o[k].isNull(); }

using smtpspec_wasm::table;  // wasm/handles.hpp
table<server_session>& sessions() { static table<server_session> t; return t; }
table<smtpspec::data_reader>& readers() { static table<smtpspec::data_reader> t; return t; }

// ---- configuration: a field from its (checked) JS value --------------------------------------------

struct from_val {
  const val& o;
  void operator()(const char* name, bool& f) const {
    if (has(o, name)) f = o[name].as<bool>();
  }
  void operator()(const char* name, std::string& f) const {
    if (has(o, name)) f = o[name].as<std::string>();
  }
  void operator()(const char* name, std::vector<std::string>& f) const {
    if (has(o, name)) f = emscripten::vecFromJSArray<std::string>(o[name]);
  }
  void operator()(const char* name, std::vector<smtpspec::hook>& f) const {
    if (!has(o, name)) return;
    f.clear();
    for (const auto& n : emscripten::vecFromJSArray<std::string>(o[name]))
      if (auto h = smtpspec::hook_from_string(n)) f.push_back(*h);
  }
  template <class T>
  void operator()(const char* name, T& f) const {
    if (!has(o, name)) return;
    if constexpr (sb::is_named_enum<T>) {
      if (auto e = sb::enum_from_name<T>(o[name].as<std::string>())) f = *e;
    } else {
      f = static_cast<T>(o[name].as<double>());
    }
  }
};

// ---- results: [events JSON, [[index, Uint8Array]…]] -------------------------------------------------

// The octets of events that carry a message (message_data, data_post with buffer_message) go out
// beside the JSON, so that server.js can hand them over as Uint8Array rather than text.
val events_out(const smtpspec::session_events& evs) {
  val data = val::array();
  for (std::size_t i = 0; i < evs.size(); ++i) {
    if (evs[i].kind == smtpspec::event_kind::message_data ||
        (evs[i].kind == smtpspec::event_kind::hook && evs[i].hook == smtpspec::hook::data_post)) {
      val pair = val::array();
      pair.call<void>("push", val(static_cast<unsigned>(i)), bytes_out(evs[i].data));
      data.call<void>("push", pair);
    }
  }
  val out = val::array();
  out.call<void>("push", val(smtpspec::to_json(evs)), data);
  return out;
}
val none() { return events_out({}); }

smtpspec::hook_response response_of(const val& r) {
  smtpspec::hook_response h;
  if (auto v = smtpspec::verdict_from_string(r["verdict"].as<std::string>())) h.verdict = *v;
  if (has(r, "code")) h.code = r["code"].as<int>();
  if (has(r, "status")) {
    auto s = smtpspec::parse_enhanced_status(r["status"].as<std::string>());
    if (s.ok()) h.status = s.value();
  }
  if (has(r, "message")) h.message = emscripten::vecFromJSArray<std::string>(r["message"]);
  if (has(r, "challenge")) h.challenge = octets(r["challenge"]);
  if (has(r, "user")) h.user = octets(r["user"]);
  if (has(r, "capabilities")) h.capabilities = emscripten::vecFromJSArray<std::string>(r["capabilities"]);
  if (has(r, "per_recipient")) {
    const auto n = r["per_recipient"]["length"].as<unsigned>();
    for (unsigned i = 0; i < n; ++i) h.per_recipient.push_back(response_of(r["per_recipient"][i]));
  }
  return h;
}

// ---- the session ------------------------------------------------------------------------------------

std::string defaults_json() { return sb::session_defaults_json(); }
std::string diagnostic_catalogue_json() { return smtpspec::session_diagnostic_catalogue_json(); }

int session_new(const val& config, const val& peer) {
  smtpspec::session_config c;
  sb::visit_config(c, from_val{config});
  if (has(config, "limits")) sb::visit_limits(c.limits, from_val{config["limits"]});
  smtpspec::connection_info p;
  sb::visit_peer(p, from_val{peer});
  return sessions().add(std::make_unique<server_session>(std::move(c), std::move(p)));
}
void session_free(int id) { sessions().items.erase(id); }

val session_start(int id) {
  auto* s = sessions().get(id);
  return s ? events_out(s->start()) : none();
}
val session_feed(int id, const std::string& bytes) {
  auto* s = sessions().get(id);
  return s ? events_out(s->feed(bytes)) : none();
}
val session_answer(int id, double handle, const val& response) {
  auto* s = sessions().get(id);
  return s ? events_out(s->answer(static_cast<std::uint64_t>(handle), response_of(response))) : none();
}
val session_tls(int id, const std::string& cipher) {
  auto* s = sessions().get(id);
  return s ? events_out(s->tls_established(cipher)) : none();
}
val session_eof(int id) {
  auto* s = sessions().get(id);
  return s ? events_out(s->eof()) : none();
}
val session_timeout(int id) {
  auto* s = sessions().get(id);
  return s ? events_out(s->timeout()) : none();
}
val session_take_output(int id) {
  auto* s = sessions().get(id);
  return bytes_out(s ? s->take_output() : std::string());
}
// [timeout_seconds, wants_input, closed, state, output_size, offset]
val session_status(int id) {
  val out = val::array();
  auto* s = sessions().get(id);
  if (!s) return out;
  out.call<void>("push", val(s->timeout_seconds()), val(s->wants_input()), val(s->closed()),
                 val(std::string(smtpspec::to_string(s->state()))), val(static_cast<double>(s->output_size())),
                 val(static_cast<double>(s->offset())));
  return out;
}

val string_map(const std::map<std::string, std::string>& m) {
  val o = val::object();
  for (const auto& [k, v] : m) o.set(k, v);
  return o;
}
val opt_string(const std::optional<std::string>& s) { return s ? val(*s) : val::null(); }
val params_out(const std::vector<smtpspec::session_param>& ps) {
  val a = val::array();
  for (const auto& p : ps) {
    val o = val::object();
    o.set("keyword", p.keyword);
    o.set("value", opt_string(p.value));
    a.call<void>("push", o);
  }
  return a;
}

// An object from the session_fields.hpp field lists (visit_connection, visit_transaction, …).
struct object_out {
  val& o;
  void operator()(const char* k, const std::string& v) { o.set(k, v); }
  void operator()(const char* k, bool v) { o.set(k, v); }
  template <class I>
    requires std::is_integral_v<I>
  void operator()(const char* k, I v) { o.set(k, static_cast<double>(v)); }
  void operator()(const char* k, const std::optional<std::string>& v) { o.set(k, opt_string(v)); }
  void operator()(const char* k, const std::optional<std::uint64_t>& v) {
    o.set(k, v ? val(static_cast<double>(*v)) : val::null());
  }
  void operator()(const char* k, const std::map<std::string, std::string>& v) { o.set(k, string_map(v)); }
  void operator()(const char* k, const std::vector<smtpspec::session_param>& v) { o.set(k, params_out(v)); }
  void operator()(const char* k, const std::vector<std::pair<std::uint8_t, std::string>>& v) {
    val tlvs = val::array();
    for (const auto& [type, value] : v) {
      val t = val::object();
      t.set("type", type);
      t.set("value", bytes_out(value));
      tlvs.call<void>("push", t);
    }
    o.set(k, tlvs);
  }
  void operator()(const char* k, const std::optional<smtpspec::proxy_header>& v) {
    if (!v) {
      o.set(k, val::null());
      return;
    }
    val h = val::object();
    sb::visit_proxy_header(*v, object_out{h});
    o.set(k, h);
  }
  void operator()(const char* k, const std::vector<smtpspec::recipient>& v) {
    val rs = val::array();
    for (const auto& r : v) {
      val x = val::object();
      sb::visit_recipient(r, object_out{x});
      rs.call<void>("push", x);
    }
    o.set(k, rs);
  }
};

val session_connection(int id) {
  auto* s = sessions().get(id);
  if (!s) return val::null();
  val o = val::object();
  sb::visit_connection(s->connection(), object_out{o});
  return o;
}

val session_transaction(int id) {
  auto* s = sessions().get(id);
  const smtpspec::transaction* t = s ? std::as_const(*s).transaction() : nullptr;
  if (!t) return val::null();
  val o = val::object();
  sb::visit_transaction(*t, object_out{o});
  return o;
}

// Sets (value a string) or deletes (value null) a note; false when there is no such session or,
// for the transaction, no transaction.
bool session_set_note(int id, bool transaction, const std::string& key, const val& value) {
  auto* s = sessions().get(id);
  if (!s) return false;
  std::map<std::string, std::string>* notes = &s->connection().notes;
  if (transaction) {
    auto* t = s->transaction();
    if (!t) return false;
    notes = &t->notes;
  }
  if (value.isNull() || value.isUndefined()) notes->erase(key);
  else (*notes)[key] = value.as<std::string>();
  return true;
}

// ---- data_reader, PROXY header ------------------------------------------------------------------------

int reader_new(const std::string& bare_lf, const std::string& bare_cr, double max_line) {
  smtpspec::data_reader_options o;
  if (auto p = sb::enum_from_name<smtpspec::newline_policy>(bare_lf)) o.bare_lf = *p;
  if (auto p = sb::enum_from_name<smtpspec::newline_policy>(bare_cr)) o.bare_cr = *p;
  o.max_line = static_cast<std::size_t>(max_line);
  return readers().add(std::make_unique<smtpspec::data_reader>(o));
}
// [to_json(reader, step, message), message octets]
val reader_feed(int id, const std::string& bytes) {
  val out = val::array();
  auto* r = readers().get(id);
  if (!r) return out;
  std::string message;
  const auto step = r->feed(bytes, message);
  out.call<void>("push", val(smtpspec::to_json(*r, step, message)), bytes_out(message));
  return out;
}
void reader_reset(int id) {
  if (auto* r = readers().get(id)) r->reset();
}
void reader_free(int id) { readers().items.erase(id); }

std::string proxy_json(const std::string& bytes, const std::string& accept) {
  auto a = sb::enum_from_name<smtpspec::proxy_protocol>(accept).value_or(smtpspec::proxy_protocol::any);
  return smtpspec::to_json(smtpspec::parse_proxy_header(bytes, a));
}

}  // namespace

EMSCRIPTEN_BINDINGS(smtpspec_session) {
  using emscripten::function;
  function("sessionDefaultsJson", &defaults_json);
  function("sessionDiagnosticCatalogueJson", &diagnostic_catalogue_json);
  function("sessionNew", &session_new);
  function("sessionFree", &session_free);
  function("sessionStart", &session_start);
  function("sessionFeed", &session_feed);
  function("sessionAnswer", &session_answer);
  function("sessionTls", &session_tls);
  function("sessionEof", &session_eof);
  function("sessionTimeout", &session_timeout);
  function("sessionTakeOutput", &session_take_output);
  function("sessionStatus", &session_status);
  function("sessionConnection", &session_connection);
  function("sessionTransaction", &session_transaction);
  function("sessionSetNote", &session_set_note);
  function("dataReaderNew", &reader_new);
  function("dataReaderFeed", &reader_feed);
  function("dataReaderReset", &reader_reset);
  function("dataReaderFree", &reader_free);
  function("parseProxyHeaderJson", &proxy_json);
}
