// smtpspec — the server session, the DATA reader and the PROXY header parser for Python (submodule
// _smtpspec.session; the facade is smtpspec/server.py). Thin on purpose: events cross as the C++
// library's canonical JSON (to_json in session.hpp) with their message octets beside it as bytes,
// so the answers are the C++ ones. The config fields come from src/session_fields.hpp, the
// table the JavaScript glue iterates too.
#include <pybind11/stl.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "../src/session_fields.hpp"
#include "bind.hpp"

namespace smtpspec_py {
namespace {

namespace sb = smtpspec::bindings;

std::string take_bytes(const py::handle& h) {
  py::object owner;
  std::string_view v;
  if (!take_input(h.ptr(), owner, v)) throw py::error_already_set();
  return std::string(v);
}

std::string str_of(const py::handle& h) { return py::str(h).cast<std::string>(); }
std::string repr_of(const py::handle& h) { return py::repr(h).cast<std::string>(); }

// ---- configuration from a dict: every key must name a field ----------------------------------------

struct from_dict {
  const py::dict& d;
  const char* what;
  std::size_t* used;

  std::optional<py::object> get(const char* name) const {
    if (!d.contains(name)) return std::nullopt;
    ++*used;
    py::object v = d[name];
    if (v.is_none()) return std::nullopt;
    return v;
  }
  [[noreturn]] static void type_error(const char* what, const char* name, const char* want) {
    throw py::type_error(std::string(what) + " " + name + " must be " + want);
  }
  void operator()(const char* name, bool& f) const {
    auto v = get(name);
    if (!v) return;
    if (!py::isinstance<py::bool_>(*v)) type_error(what, name, "a bool");
    f = v->cast<bool>();
  }
  void operator()(const char* name, std::string& f) const {
    auto v = get(name);
    if (!v) return;
    if (!py::isinstance<py::str>(*v)) type_error(what, name, "a str");
    f = take_bytes(*v);
  }
  void operator()(const char* name, std::vector<std::string>& f) const {
    auto v = get(name);
    if (!v) return;
    if (py::isinstance<py::str>(*v) || !py::isinstance<py::iterable>(*v)) type_error(what, name, "a list of str");
    f.clear();
    for (const auto& x : v->cast<py::iterable>()) {
      if (!py::isinstance<py::str>(x)) type_error(what, name, "a list of str");
      f.push_back(take_bytes(x));
    }
  }
  void operator()(const char* name, std::vector<smtpspec::hook>& f) const {
    auto v = get(name);
    if (!v) return;
    if (py::isinstance<py::str>(*v) || !py::isinstance<py::iterable>(*v))
      type_error(what, name, "a list of hook names");
    f.clear();
    for (const auto& x : v->cast<py::iterable>()) {
      if (!py::isinstance<py::str>(x)) type_error(what, name, "a list of hook names");
      auto h = smtpspec::hook_from_string(x.cast<std::string>());
      if (!h) throw py::value_error(std::string(what) + " " + name + ": unknown hook " + repr_of(x));
      f.push_back(*h);
    }
  }
  template <class T>
  void operator()(const char* name, T& f) const {
    auto v = get(name);
    if (!v) return;
    if constexpr (sb::is_named_enum<T>) {
      if (!py::isinstance<py::str>(*v)) type_error(what, name, "a str");
      auto e = sb::enum_from_name<T>(v->cast<std::string>());
      if (!e) {
        std::string names;
        for (const auto& [n, x] : sb::enum_names<T>::rows) names += (names.empty() ? "" : ", ") + std::string(n);
        throw py::value_error(std::string(what) + " " + name + " must be one of " + names);
      }
      f = *e;
    } else {
      if (!py::isinstance<py::int_>(*v) || py::isinstance<py::bool_>(*v)) type_error(what, name, "an int");
      const auto n = v->cast<long long>();
      if (n < 0 || static_cast<unsigned long long>(n) > std::numeric_limits<T>::max())
        throw py::value_error(std::string(what) + " " + name + " is out of range");
      f = static_cast<T>(n);
    }
  }
};

// Fills `target` from `d` through `visit`; a key that names no field is a ValueError.
template <class T, class Visit>
void fill(T& target, const py::dict& d, const char* what, Visit visit) {
  std::size_t used = 0;
  visit(target, from_dict{d, what, &used});
  if (used == d.size()) return;
  // Find the stranger to name it.
  std::vector<std::string> known;
  T probe{};
  visit(probe, [&](const char* name, auto&) { known.emplace_back(name); });
  for (const auto& [k, v] : d) {
    const auto key = str_of(k);
    bool found = false;
    for (const auto& n : known) found = found || n == key;
    if (!found) throw py::value_error(std::string("unknown ") + what + " key " + repr_of(k));
  }
}

smtpspec::session_config config_of(const py::dict& d) {
  smtpspec::session_config c;
  py::dict rest;
  for (const auto& [k, v] : d)
    if (py::str(k).cast<std::string>() != "limits") rest[k] = v;
  fill(c, rest, "session config", [](auto& t, auto&& v) { sb::visit_config(t, v); });
  if (d.contains("limits") && !d["limits"].is_none()) {
    if (!py::isinstance<py::dict>(d["limits"])) throw py::type_error("session config limits must be a dict");
    fill(c.limits, d["limits"].cast<py::dict>(), "session limits", [](auto& t, auto&& v) { sb::visit_limits(t, v); });
  }
  return c;
}

smtpspec::connection_info peer_of(const py::dict& d) {
  smtpspec::connection_info p;
  fill(p, d, "peer", [](auto& t, auto&& v) { sb::visit_peer(t, v); });
  return p;
}

// ---- answers --------------------------------------------------------------------------------------

smtpspec::verdict verdict_of(const py::handle& v) {
  if (!py::isinstance<py::str>(v))
    throw py::type_error("a verdict is a str: CONT, OK, DENY, DENYSOFT, DENYDISCONNECT, DISCONNECT");
  auto x = smtpspec::verdict_from_string(v.cast<std::string>());
  if (!x) throw py::value_error("unknown verdict " + py::repr(v).cast<std::string>());
  return *x;
}

std::vector<std::string> lines_of(const py::handle& v) {
  std::vector<std::string> out;
  if (py::isinstance<py::str>(v) || py::isinstance<py::bytes>(v)) {
    out.push_back(take_bytes(v));
    return out;
  }
  for (const auto& x : v.cast<py::iterable>()) out.push_back(take_bytes(x));
  return out;
}

// A verdict name, None (CONT) or a dict {verdict, code, status, message, challenge, user,
// capabilities, per_recipient}.
smtpspec::hook_response response_of(const py::handle& r) {
  smtpspec::hook_response h;
  if (r.is_none()) return h;
  if (py::isinstance<py::str>(r)) {
    h.verdict = verdict_of(r);
    return h;
  }
  if (!py::isinstance<py::dict>(r)) throw py::type_error("a hook answer is a verdict name, None or a dict");
  for (const auto& [k, v] : r.cast<py::dict>()) {
    const auto key = py::str(k).cast<std::string>();
    if (v.is_none()) continue;
    if (key == "verdict") {
      h.verdict = verdict_of(v);
    } else if (key == "code") {
      if (!py::isinstance<py::int_>(v) || py::isinstance<py::bool_>(v))
        throw py::type_error("answer code must be an int");
      const auto c = v.cast<long long>();
      if (c < 200 || c > 599) throw py::value_error("answer code must be from 200 to 599");
      h.code = static_cast<int>(c);
    } else if (key == "status") {
      auto s = smtpspec::parse_enhanced_status(take_bytes(v));
      if (!s.ok()) throw py::value_error("answer status " + repr_of(v) + " is not an enhanced status code");
      h.status = s.value();
    } else if (key == "message") {
      h.message = lines_of(v);
    } else if (key == "capabilities") {
      h.capabilities = lines_of(v);
    } else if (key == "challenge") {
      h.challenge = take_bytes(v);
    } else if (key == "user") {
      h.user = take_bytes(v);
    } else if (key == "per_recipient") {
      for (const auto& x : v.cast<py::iterable>()) h.per_recipient.push_back(response_of(x));
    } else {
      throw py::value_error("unknown hook answer key " + py::repr(k).cast<std::string>());
    }
  }
  return h;
}

// ---- results ----------------------------------------------------------------------------------------

// [(event JSON, message octets or None)…]
py::list events_out(const smtpspec::session_events& evs) {
  py::list out;
  for (const auto& e : evs) {
    const bool octets = e.kind == smtpspec::event_kind::message_data ||
                        (e.kind == smtpspec::event_kind::hook && e.hook == smtpspec::hook::data_post);
    py::object data = octets ? py::object(py::bytes(e.data)) : py::object(py::none());
    out.append(py::make_tuple(make_str(smtpspec::to_json(e)), data));
  }
  return out;
}

py::dict str_map(const std::map<std::string, std::string>& m) {
  py::dict d;
  for (const auto& [k, v] : m) d[make_str(k)] = make_str(v);
  return d;
}
py::object opt(const std::optional<std::string>& s) { return opt_str(s.has_value(), s.value_or("")); }
py::list params_out(const std::vector<smtpspec::session_param>& ps) {
  py::list l;
  for (const auto& p : ps) {
    py::dict d;
    d["keyword"] = make_str(p.keyword);
    d["value"] = opt(p.value);
    l.append(d);
  }
  return l;
}

// A dict from the session_fields.hpp field lists (visit_connection, visit_transaction, …).
struct dict_out {
  py::dict& d;
  void operator()(const char* k, const std::string& v) { d[k] = make_str(v); }
  void operator()(const char* k, bool v) { d[k] = v; }
  template <class I>
    requires std::is_integral_v<I>
  void operator()(const char* k, I v) { d[k] = v; }
  void operator()(const char* k, const std::optional<std::string>& v) { d[k] = opt(v); }
  void operator()(const char* k, const std::optional<std::uint64_t>& v) {
    d[k] = v ? py::object(py::int_(*v)) : py::object(py::none());
  }
  void operator()(const char* k, const std::map<std::string, std::string>& v) { d[k] = str_map(v); }
  void operator()(const char* k, const std::vector<smtpspec::session_param>& v) { d[k] = params_out(v); }
  void operator()(const char* k, const std::vector<std::pair<std::uint8_t, std::string>>& v) {
    py::list tlvs;
    for (const auto& [type, value] : v) tlvs.append(py::make_tuple(type, py::bytes(value)));
    d[k] = tlvs;
  }
  void operator()(const char* k, const std::optional<smtpspec::proxy_header>& v) {
    if (!v) {
      d[k] = py::none();
      return;
    }
    py::dict h;
    sb::visit_proxy_header(*v, dict_out{h});
    d[k] = h;
  }
  void operator()(const char* k, const std::vector<smtpspec::recipient>& v) {
    py::list rs;
    for (const auto& r : v) {
      py::dict x;
      sb::visit_recipient(r, dict_out{x});
      rs.append(x);
    }
    d[k] = rs;
  }
};

py::dict connection_out(const smtpspec::connection_info& c) {
  py::dict d;
  sb::visit_connection(c, dict_out{d});
  return d;
}

py::object transaction_out(const smtpspec::transaction* t) {
  if (!t) return py::none();
  py::dict d;
  sb::visit_transaction(*t, dict_out{d});
  return d;
}

void set_note(std::map<std::string, std::string>& notes, const py::object& key, const py::object& value) {
  if (value.is_none()) notes.erase(take_bytes(key));
  else notes[take_bytes(key)] = take_bytes(value);
}

}  // namespace

void bind_session(py::module_& parent) {
  py::module_ m = parent.def_submodule("session", "smtpspec server session core (use smtpspec.server)");
  using smtpspec::server_session;

  m.def("defaults_json", [] { return make_str(sb::session_defaults_json()); });
  m.def("diagnostic_catalogue_json", [] { return make_str(smtpspec::session_diagnostic_catalogue_json()); });

  py::class_<server_session>(m, "ServerSession")
      .def(py::init([](const py::dict& config, const py::dict& peer) {
             return server_session(config_of(config), peer_of(peer));
           }),
           py::arg("config") = py::dict(), py::arg("peer") = py::dict())
      .def("start", [](server_session& s) { return events_out(s.start()); })
      .def("feed", [](server_session& s, const py::object& b) { return events_out(s.feed(take_bytes(b))); })
      .def("answer",
           [](server_session& s, std::uint64_t handle, const py::object& r) {
             return events_out(s.answer(handle, response_of(r)));
           })
      .def("tls_established",
           [](server_session& s, const py::object& cipher) {
             return events_out(s.tls_established(take_bytes(cipher)));
           },
           py::arg("cipher") = py::str(""))
      .def("eof", [](server_session& s) { return events_out(s.eof()); })
      .def("timeout", [](server_session& s) { return events_out(s.timeout()); })
      .def("take_output", [](server_session& s) { return py::bytes(s.take_output()); })
      .def_property_readonly("output_size", &server_session::output_size)
      .def_property_readonly("timeout_seconds", &server_session::timeout_seconds)
      .def_property_readonly("wants_input", &server_session::wants_input)
      .def_property_readonly("closed", &server_session::closed)
      .def_property_readonly("state",
                             [](const server_session& s) { return make_str(smtpspec::to_string(s.state())); })
      .def_property_readonly("offset", &server_session::offset)
      .def_property_readonly("connection", [](const server_session& s) { return connection_out(s.connection()); })
      .def_property_readonly("transaction", [](const server_session& s) { return transaction_out(s.transaction()); })
      .def("set_connection_note",
           [](server_session& s, const py::object& k, const py::object& v) {
             set_note(s.connection().notes, k, v);
             return true;
           })
      .def("set_transaction_note", [](server_session& s, const py::object& k, const py::object& v) {
        auto* t = s.transaction();
        if (!t) return false;
        set_note(t->notes, k, v);
        return true;
      });

  py::class_<smtpspec::data_reader>(m, "DataReader")
      .def(py::init([](const std::string& bare_lf, const std::string& bare_cr, std::size_t max_line) {
             smtpspec::data_reader_options o;
             auto lf = sb::enum_from_name<smtpspec::newline_policy>(bare_lf);
             auto cr = sb::enum_from_name<smtpspec::newline_policy>(bare_cr);
             if (!lf || !cr) throw py::value_error("bare_lf and bare_cr must be one of reject, normalize, accept");
             o.bare_lf = *lf;
             o.bare_cr = *cr;
             o.max_line = max_line;
             return smtpspec::data_reader(o);
           }),
           py::arg("bare_lf") = "reject", py::arg("bare_cr") = "reject", py::arg("max_line") = 1000)
      // (to_json(reader, step, message), message octets)
      .def("feed",
           [](smtpspec::data_reader& r, const py::object& b) {
             std::string message;
             const auto step = r.feed(take_bytes(b), message);
             return py::make_tuple(make_str(smtpspec::to_json(r, step, message)), py::bytes(message));
           })
      .def("reset", &smtpspec::data_reader::reset);

  m.def(
      "parse_proxy_header_json",
      [](const py::object& b, const std::string& accept) {
        auto a = sb::enum_from_name<smtpspec::proxy_protocol>(accept);
        if (!a) throw py::value_error("accept must be one of none, v1, v2, any");
        return make_str(smtpspec::to_json(smtpspec::parse_proxy_header(take_bytes(b), *a)));
      },
      py::arg("data"), py::arg("accept") = "any");
}

}  // namespace smtpspec_py
