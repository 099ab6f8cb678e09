// smtpspec — what the JavaScript (wasm/bind_session.cpp) and Python (python-bindings/bind_session.cpp)
// glue share about smtpspec::session_config: every field by its C++ name, and the names of the
// enums it uses. Both surfaces iterate these tables (defaults, validation, conversion), so a field
// added to session_config is added here once and appears in both.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "json_escape.hpp"
#include "smtpspec/session.hpp"

namespace smtpspec::bindings {

// Calls v(name, member) for each field of session_limits, in declaration order.
template <class L, class V>
void visit_limits(L& l, V&& v) {
  v("command_line", l.command_line);
  v("command_line_hard", l.command_line_hard);
  v("auth_line", l.auth_line);
  v("data_line", l.data_line);
  v("message_size", l.message_size);
  v("recipients", l.recipients);
  v("transactions", l.transactions);
  v("errors_soft", l.errors_soft);
  v("errors_hard", l.errors_hard);
  v("unknown_commands", l.unknown_commands);
  v("auth_failures", l.auth_failures);
  v("pipelined_commands", l.pipelined_commands);
  v("input_buffer", l.input_buffer);
  v("command_timeout", l.command_timeout);
  v("data_timeout", l.data_timeout);
  v("min_data_rate", l.min_data_rate);
}

// Calls v(name, member) for each field of session_config except limits, in declaration order.
template <class C, class V>
void visit_config(C& c, V&& v) {
  v("hostname", c.hostname);
  v("greeting", c.greeting);
  v("lmtp", c.lmtp);
  v("profile", c.profile);
  v("pipelining", c.pipelining);
  v("size", c.size);
  v("eightbitmime", c.eightbitmime);
  v("smtputf8", c.smtputf8);
  v("dsn", c.dsn);
  v("chunking", c.chunking);
  v("binarymime", c.binarymime);
  v("starttls", c.starttls);
  v("auth", c.auth);
  v("auth_mechanisms", c.auth_mechanisms);
  v("auth_requires_tls", c.auth_requires_tls);
  v("enhancedstatuscodes", c.enhancedstatuscodes);
  v("requiretls", c.requiretls);
  v("xclient", c.xclient);
  v("xforward", c.xforward);
  v("proxy", c.proxy);
  v("relaying", c.relaying);
  v("bare_lf", c.bare_lf);
  v("bare_cr", c.bare_cr);
  v("bare_newline_reject_code", c.bare_newline_reject_code);
  v("reject_unauth_pipelining", c.reject_unauth_pipelining);
  v("buffer_message", c.buffer_message);
  v("hooks", c.hooks);
}

// What a host reads back: connection_info (with its PROXY header) and the transaction with its
// recipients, each field in declaration order; the JS and Python surfaces build their objects from these.
template <class P, class V>
void visit_proxy_header(P& p, V&& v) {
  v("version", p.version);
  v("local", p.local);
  v("family", p.family);
  v("source_address", p.source_address);
  v("destination_address", p.destination_address);
  v("source_port", p.source_port);
  v("destination_port", p.destination_port);
  v("tlvs", p.tlvs);
}
template <class C, class V>
void visit_connection(C& c, V&& v) {
  v("remote_address", c.remote_address);
  v("local_address", c.local_address);
  v("remote_port", c.remote_port);
  v("local_port", c.local_port);
  v("remote_name", c.remote_name);
  v("helo", c.helo);
  v("esmtp", c.esmtp);
  v("tls", c.tls);
  v("tls_cipher", c.tls_cipher);
  v("authenticated_user", c.authenticated_user);
  v("proxy", c.proxy);
  v("xclient", c.xclient);
  v("xforward", c.xforward);
  v("transactions", c.transactions);
  v("errors", c.errors);
  v("unknown_commands", c.unknown_commands);
  v("auth_failures", c.auth_failures);
  v("notes", c.notes);
}
template <class R, class V>
void visit_recipient(R& r, V&& v) {
  v("address", r.address);
  v("params", r.params);
  v("notify", r.notify);
  v("orcpt", r.orcpt);
}
template <class T, class V>
void visit_transaction(T& t, V&& v) {
  v("mail_from", t.mail_from);
  v("params", t.params);
  v("declared_size", t.declared_size);
  v("body", t.body);
  v("smtputf8", t.smtputf8);
  v("requiretls", t.requiretls);
  v("ret", t.ret);
  v("envid", t.envid);
  v("recipients", t.recipients);
  v("message_size", t.message_size);
  v("id", t.id);
  v("notes", t.notes);
}

// The peer (connection_info) fields a host sets before start().
template <class P, class V>
void visit_peer(P& p, V&& v) {
  v("remote_address", p.remote_address);
  v("local_address", p.local_address);
  v("remote_port", p.remote_port);
  v("local_port", p.local_port);
  v("remote_name", p.remote_name);
}

// Enum names, as the vectors and the --config file spell them.
template <class E>
struct enum_names;
template <>
struct enum_names<newline_policy> {
  static constexpr std::string_view type = "newline_policy";
  static constexpr std::pair<std::string_view, newline_policy> rows[] = {
      {"reject", newline_policy::reject},
      {"normalize", newline_policy::normalize},
      {"accept", newline_policy::accept}};
};
template <>
struct enum_names<proxy_protocol> {
  static constexpr std::string_view type = "proxy_protocol";
  static constexpr std::pair<std::string_view, proxy_protocol> rows[] = {
      {"none", proxy_protocol::none}, {"v1", proxy_protocol::v1}, {"v2", proxy_protocol::v2}, {"any", proxy_protocol::any},
  };
};
template <>
struct enum_names<profile> {
  static constexpr std::string_view type = "profile";
  static constexpr std::pair<std::string_view, profile> rows[] = {{"strict", profile::strict},
                                                                  {"lenient", profile::lenient}};
};

template <class E>
inline constexpr bool is_named_enum = false;
template <>
inline constexpr bool is_named_enum<newline_policy> = true;
template <>
inline constexpr bool is_named_enum<proxy_protocol> = true;
template <>
inline constexpr bool is_named_enum<profile> = true;

template <class E>
std::string_view enum_name(E e) {
  for (const auto& [n, x] : enum_names<E>::rows)
    if (x == e) return n;
  return {};
}
template <class E>
std::optional<E> enum_from_name(std::string_view name) {
  for (const auto& [n, x] : enum_names<E>::rows)
    if (n == name) return x;
  return std::nullopt;
}

// ---- JSON of the defaults -----------------------------------------------------------------------

// The library's one JSON string writer (json_escape.hpp).
inline void json_string(std::string& out, std::string_view s) { detail::append_json_text(out, s); }

struct json_field_writer {
  std::string& out;
  bool first = true;
  void key(const char* name) {
    if (!first) out += ',';
    first = false;
    json_string(out, name);
    out += ':';
  }
  void operator()(const char* name, bool v) { key(name), out += v ? "true" : "false"; }
  void operator()(const char* name, const std::string& v) { key(name), json_string(out, v); }
  void operator()(const char* name, const std::vector<std::string>& v) {
    key(name);
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      json_string(out, v[i]);
    }
    out += ']';
  }
  void operator()(const char* name, const std::vector<hook>& v) {
    key(name);
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      json_string(out, to_string(v[i]));
    }
    out += ']';
  }
  template <class T>
  void operator()(const char* name, const T& v) {
    key(name);
    if constexpr (is_named_enum<T>) json_string(out, enum_name(v));
    else out += std::to_string(v);
  }
};

// "field":"enum type" for the fields of an enum type.
struct json_enum_field_writer {
  std::string& out;
  bool first = true;
  template <class T>
  void operator()(const char* name, const T&) {
    if constexpr (is_named_enum<T>) {
      if (!first) out += ',';
      first = false;
      json_string(out, name);
      out += ':';
      json_string(out, enum_names<T>::type);
    }
  }
};

template <class E>
void enum_list_json(std::string& out) {
  out += '[';
  bool first = true;
  for (const auto& [n, x] : enum_names<E>::rows) {
    if (!first) out += ',';
    first = false;
    json_string(out, n);
  }
  out += ']';
}

// {"config":{…every field, "limits":{…}},"peer":{…},"enum_fields":{"bare_lf":"newline_policy",…},
//  "enums":{"newline_policy":[…],"proxy_protocol":[…],"profile":[…]},"hooks":[…],"needs_answer":[…],
//  "verdicts":[…],"states":[…],"event_kinds":[…]}
// The surfaces take their key lists, types and defaults from here.
inline std::string session_defaults_json() {
  std::string out = "{\"config\":{";
  const session_config c{};
  json_field_writer w{out};
  visit_config(c, w);
  w.key("limits");
  out += '{';
  json_field_writer lw{out};
  visit_limits(c.limits, lw);
  out += "}},\"peer\":{";
  const connection_info p{};
  json_field_writer pw{out};
  visit_peer(p, pw);
  out += "},\"enum_fields\":{";
  visit_config(c, json_enum_field_writer{out});
  out += "},\"enums\":{\"newline_policy\":";
  enum_list_json<newline_policy>(out);
  out += ",\"proxy_protocol\":";
  enum_list_json<proxy_protocol>(out);
  out += ",\"profile\":";
  enum_list_json<profile>(out);
  out += "},\"hooks\":[";
  bool first = true;
  for (hook h : all_hooks()) {
    if (!first) out += ',';
    first = false;
    json_string(out, to_string(h));
  }
  out += "],\"needs_answer\":[";
  first = true;
  for (hook h : all_hooks()) {
    if (!hook_needs_answer(h)) continue;
    if (!first) out += ',';
    first = false;
    json_string(out, to_string(h));
  }
  out += "],\"verdicts\":[";
  for (int v = 0; v <= static_cast<int>(verdict::disconnect); ++v) {
    if (v) out += ',';
    json_string(out, to_string(static_cast<verdict>(v)));
  }
  out += "],\"states\":[";
  for (int s = 0; s <= static_cast<int>(session_state::closed); ++s) {
    if (s) out += ',';
    json_string(out, to_string(static_cast<session_state>(s)));
  }
  out += "],\"event_kinds\":[";
  for (int k = 0; k <= static_cast<int>(event_kind::slow_down); ++k) {
    if (k) out += ',';
    json_string(out, to_string(static_cast<event_kind>(k)));
  }
  out += "]}";
  return out;
}

}  // namespace smtpspec::bindings
