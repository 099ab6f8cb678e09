// smtpspec — the milter codec and session helpers for Python (submodule _smtpspec.milter; the
// facade is smtpspec/milter.py). Thin on purpose: packets are the C++ struct with properties,
// everything else crosses as the C++ library's own canonical JSON, so the answers are the C++ ones.
#include <pybind11/stl.h>

#include "bind.hpp"

namespace smtpspec_py {
namespace {

namespace mi = smtpspec::milter;

std::string take_bytes(const py::handle& h) {
  py::object owner;
  std::string_view v;
  if (!take_input(h.ptr(), owner, v)) throw py::error_already_set();
  return std::string(v);
}

mi::direction parse_direction(const std::string& d) {
  if (d == "to_filter" || d == "mta") return mi::direction::to_filter;
  if (d == "to_mta" || d == "filter") return mi::direction::to_mta;
  throw py::value_error("direction must be 'to_filter' or 'to_mta'");
}

mi::packet_kind kind_by_name(const std::string& name) {
  for (const auto& p : mi::packet_catalogue())
    if (p.name == name) return p.kind;
  throw py::value_error("unknown milter packet type " + name);
}

py::object error_json(const std::optional<mi::error>& e) {
  if (!e) return py::none();
  return make_str(mi::to_json(*e));
}

std::vector<mi::macro_pair> take_macros(const py::iterable& it) {
  std::vector<mi::macro_pair> out;
  for (const auto& pair : it) {
    const auto t = pair.cast<py::sequence>();
    if (t.size() != 2) throw py::value_error("a macro is a (name, value) pair");
    out.push_back({take_bytes(t[0]), take_bytes(t[1])});
  }
  return out;
}

template <class T>
py::tuple send_result(const mi::outcome<T>& r) {
  static constexpr const char* names[] = {"awaiting_reply", "no_reply", "skipped"};
  if (r.ok()) return py::make_tuple(py::str(names[static_cast<int>(*r.value)]), py::none());
  return py::make_tuple(py::none(), error_json(r.error));
}

// The string fields of a packet, by name (one table: getters and setters are generated from it).
using str_field = std::string mi::packet::*;
constexpr std::pair<const char*, str_field> str_fields[] = {
    {"hostname", &mi::packet::hostname}, {"address", &mi::packet::address}, {"text", &mi::packet::text},
    {"name", &mi::packet::name},         {"value", &mi::packet::value},
};

}  // namespace

void bind_milter(py::module_& parent) {
  py::module_ m = parent.def_submodule("milter", "smtpspec milter core (use smtpspec.milter)");

  auto pk = py::class_<mi::packet>(m, "Packet");
  pk.def(py::init([](const std::string& type) { return mi::make(kind_by_name(type)); }), py::arg("type"))
      .def_property_readonly("type", [](const mi::packet& p) { return make_str(mi::to_string(p.kind)); })
      .def_property_readonly("code", [](const mi::packet& p) { return make_str(std::string(1, mi::info(p.kind).byte)); })
      .def_readwrite("version", &mi::packet::version)
      .def_readwrite("actions", &mi::packet::actions)
      .def_readwrite("protocol", &mi::packet::protocol)
      .def_readwrite("port", &mi::packet::port)
      .def_readwrite("index", &mi::packet::index)
      .def_property(
          "family", [](const mi::packet& p) { return p.family ? make_str(std::string(1, p.family)) : py::str(""); },
          [](mi::packet& p, const std::string& f) {
            if (f.size() != 1) throw py::value_error("family is one of '4', '6', 'L', 'U'");
            p.family = f[0];
          })
      .def_property(
          "stage", [](const mi::packet& p) { return p.stage ? make_str(std::string(1, p.stage)) : py::str(""); },
          [](mi::packet& p, const std::string& s) {
            if (s.size() != 1) throw py::value_error("stage is one command letter");
            p.stage = s[0];
          })
      .def_property(
          "data", [](const mi::packet& p) { return py::bytes(p.data); },
          [](mi::packet& p, const py::object& o) { p.data = take_bytes(o); })
      .def_property(
          "esmtp_args",
          [](const mi::packet& p) { return opt_str(p.esmtp_args.has_value(), p.esmtp_args.value_or("")); },
          [](mi::packet& p, const py::object& o) {
            if (o.is_none()) p.esmtp_args.reset();
            else p.esmtp_args = take_bytes(o);
          })
      .def_property(
          "args",
          [](const mi::packet& p) {
            py::list l;
            for (const auto& a : p.args) l.append(make_str(a));
            return l;
          },
          [](mi::packet& p, const py::iterable& it) {
            p.args.clear();
            for (const auto& a : it) p.args.push_back(take_bytes(a));
          })
      .def_property(
          "macros",
          [](const mi::packet& p) {
            py::list l;
            for (const auto& x : p.macros) l.append(py::make_tuple(make_str(x.name), make_str(x.value)));
            return l;
          },
          [](mi::packet& p, const py::iterable& it) { p.macros = take_macros(it); })
      .def_property(
          "symbol_lists",
          [](const mi::packet& p) {
            py::list l;
            for (const auto& x : p.symbol_lists) l.append(py::make_tuple(x.stage, make_str(x.macros)));
            return l;
          },
          [](mi::packet& p, const py::iterable& it) {
            p.symbol_lists.clear();
            for (const auto& e : it) {
              const auto t = e.cast<py::sequence>();
              p.symbol_lists.push_back({t[0].cast<std::uint32_t>(), take_bytes(t[1])});
            }
          })
      .def("to_json", [](const mi::packet& p) { return make_str(mi::to_json(p)); })
      .def("encode",
           [](const mi::packet& p, std::uint32_t max_payload) {
             auto r = mi::encode(p, mi::encoder_options{max_payload});
             return py::make_tuple(r.ok() ? py::object(py::bytes(*r.value)) : py::object(py::none()), error_json(r.error));
           },
           py::arg("max_payload") = mi::default_max_payload)
      .def("__eq__", [](const mi::packet& a, const mi::packet& b) { return a == b; })
      .def("__repr__", [](const mi::packet& p) { return py::str("Packet({})").format(make_str(mi::to_json(p))); });
  for (const auto& [name, field] : str_fields) {
    const str_field f = field;
    pk.def_property(
        name, [f](const mi::packet& p) { return make_str(p.*f); },
        [f](mi::packet& p, const py::object& o) { p.*f = take_bytes(o); });
  }

  m.def(
      "decode",
      [](const py::object& data, const std::string& direction, std::uint32_t max_payload) {
        const std::string bytes = take_bytes(data);
        const mi::decoder_options o{max_payload};
        const auto r = direction == "conversation" ? mi::decode_conversation(bytes, o)
                                                   : mi::decode_all(parse_direction(direction), bytes, o);
        return py::make_tuple(r.packets, error_json(r.error), make_str(mi::to_json(r)));
      },
      py::arg("data"), py::arg("direction"), py::arg("max_payload") = mi::default_max_payload);

  py::class_<mi::decoder>(m, "Decoder")
      .def(py::init([](const std::string& direction, std::uint32_t max_payload) {
             return mi::decoder(parse_direction(direction), mi::decoder_options{max_payload});
           }),
           py::arg("direction"), py::arg("max_payload") = mi::default_max_payload)
      .def("feed",
           [](mi::decoder& d, const py::object& data) {
             d.feed(take_bytes(data));
             std::vector<mi::packet> out;
             while (auto p = d.next()) out.push_back(std::move(*p));
             return out;
           })
      .def("finish", [](mi::decoder& d) { d.finish(); })
      .def_property_readonly("error", [](const mi::decoder& d) { return error_json(d.error()); })
      .def_property_readonly("consumed", &mi::decoder::consumed);

  m.def("check_replycode", [](const py::object& text) {
    mi::packet p = mi::make_text(mi::packet_kind::smfir_replycode, take_bytes(text));
    return make_str(mi::to_json(p));
  });
  m.def(
      "format_replycode",
      [](int code, const py::object& enhanced, const py::iterable& lines) {
        std::optional<ss::enhanced_status> st;
        if (!enhanced.is_none()) {
          auto s = ss::parse_enhanced_status(take_bytes(enhanced));
          if (!s.ok()) return py::tuple(py::make_tuple(py::none(), make_str(mi::to_json(mi::error{mi::error_code::invalid_replycode, 0, 'y'}))));
          st = s.value();
        }
        std::vector<std::string> owned;
        for (const auto& l : lines) owned.push_back(take_bytes(l));
        std::vector<std::string_view> views(owned.begin(), owned.end());
        auto r = mi::format_replycode(code, st, views);
        return py::tuple(py::make_tuple(r.ok() ? py::object(make_str(*r.value)) : py::object(py::none()), error_json(r.error)));
      },
      py::arg("code"), py::arg("enhanced"), py::arg("lines"));
  m.def("catalogue_json", [] { return make_str(mi::catalogue_json()); });

  py::class_<mi::filter_session>(m, "FilterSession")
      .def(py::init([](std::uint32_t version, std::uint32_t actions, std::uint32_t protocol,
                       const py::iterable& symbol_lists, std::uint32_t max_payload) {
             mi::filter_options o;
             o.version = version;
             o.actions = actions;
             o.protocol = protocol;
             o.max_payload = max_payload;
             for (const auto& e : symbol_lists) {
               const auto t = e.cast<py::sequence>();
               o.symbol_lists.push_back({t[0].cast<std::uint32_t>(), take_bytes(t[1])});
             }
             return mi::filter_session(o);
           }),
           py::arg("version") = 6, py::arg("actions") = 0, py::arg("protocol") = 0,
           py::arg("symbol_lists") = py::list(), py::arg("max_payload") = mi::default_max_payload)
      .def("feed",
           [](mi::filter_session& s, const py::object& data) {
             s.feed(take_bytes(data));
             py::list out;
             while (auto e = s.next_event()) out.append(py::make_tuple(make_str(mi::to_json(*e)), e->command));
             return out;
           })
      .def("finish",
           [](mi::filter_session& s) {
             s.finish();
             py::list out;
             while (auto e = s.next_event()) out.append(py::make_tuple(make_str(mi::to_json(*e)), e->command));
             return out;
           })
      .def("reply", [](mi::filter_session& s, const std::string& t) { return error_json(s.reply(kind_by_name(t))); })
      .def("reply_code",
           [](mi::filter_session& s, int code, const py::object& enhanced, const py::iterable& lines) {
             std::optional<ss::enhanced_status> st;
             if (!enhanced.is_none()) {
               auto e = ss::parse_enhanced_status(take_bytes(enhanced));
               if (!e.ok()) return make_str(mi::to_json(mi::error{mi::error_code::invalid_replycode, 0, 'y'})).cast<py::object>();
               st = e.value();
             }
             std::vector<std::string> owned;
             for (const auto& l : lines) owned.push_back(take_bytes(l));
             std::vector<std::string_view> views(owned.begin(), owned.end());
             return error_json(s.reply_code(code, st, views));
           })
      .def("progress", [](mi::filter_session& s) { return error_json(s.progress()); })
      .def("modify", [](mi::filter_session& s, const mi::packet& p) { return error_json(s.modify(p)); })
      .def("take_output", [](mi::filter_session& s) { return py::bytes(s.take_output()); })
      .def("macro", [](const mi::filter_session& s, const py::object& name) {
        auto v = s.macro(take_bytes(name));
        return opt_str(v.has_value(), v.value_or(""));
      })
      .def_property_readonly("state", [](const mi::filter_session& s) { return make_str(mi::to_string(s.state())); })
      .def_property_readonly("closed", &mi::filter_session::closed)
      .def_property_readonly("reply_due", &mi::filter_session::reply_due)
      .def_property_readonly("agreed", [](const mi::filter_session& s) { return make_str(mi::to_json(s.agreed())); })
      .def_property_readonly("failure", [](const mi::filter_session& s) { return error_json(s.failure()); });

  py::class_<mi::mta_session>(m, "MtaSession")
      .def(py::init([](std::uint32_t version, std::uint32_t actions, std::uint32_t protocol, std::uint32_t max_payload) {
             return mi::mta_session(mi::mta_options{version, actions, protocol, max_payload});
           }),
           py::arg("version") = 6, py::arg("actions") = mi::SMFI_CURR_ACTS, py::arg("protocol") = mi::SMFI_CURR_PROT,
           py::arg("max_payload") = mi::default_max_payload)
      .def("negotiate", [](mi::mta_session& s) { return send_result(s.negotiate()); })
      .def("connect",
           [](mi::mta_session& s, const py::object& host, const std::string& family, std::uint16_t port,
              const py::object& address, const py::iterable& macros) {
             if (family.size() != 1) throw py::value_error("family is one of '4', '6', 'L', 'U'");
             return send_result(s.connect(take_bytes(host), family[0], port, take_bytes(address), take_macros(macros)));
           },
           py::arg("hostname"), py::arg("family"), py::arg("port") = 0, py::arg("address") = py::str(""),
           py::arg("macros") = py::list())
      .def("helo", [](mi::mta_session& s, const py::object& n, const py::iterable& mc) {
        return send_result(s.helo(take_bytes(n), take_macros(mc)));
      }, py::arg("name"), py::arg("macros") = py::list())
      .def("mail", [](mi::mta_session& s, const py::iterable& args, const py::iterable& mc) {
        std::vector<std::string> a;
        for (const auto& x : args) a.push_back(take_bytes(x));
        return send_result(s.mail(a, take_macros(mc)));
      }, py::arg("args"), py::arg("macros") = py::list())
      .def("rcpt", [](mi::mta_session& s, const py::iterable& args, const py::iterable& mc) {
        std::vector<std::string> a;
        for (const auto& x : args) a.push_back(take_bytes(x));
        return send_result(s.rcpt(a, take_macros(mc)));
      }, py::arg("args"), py::arg("macros") = py::list())
      .def("data", [](mi::mta_session& s, const py::iterable& mc) { return send_result(s.data(take_macros(mc))); },
           py::arg("macros") = py::list())
      .def("header", [](mi::mta_session& s, const py::object& n, const py::object& v, const py::iterable& mc) {
        return send_result(s.header(take_bytes(n), take_bytes(v), take_macros(mc)));
      }, py::arg("name"), py::arg("value"), py::arg("macros") = py::list())
      .def("end_of_headers", [](mi::mta_session& s, const py::iterable& mc) {
        return send_result(s.end_of_headers(take_macros(mc)));
      }, py::arg("macros") = py::list())
      .def("body", [](mi::mta_session& s, const py::object& b, const py::iterable& mc) {
        return send_result(s.body(take_bytes(b), take_macros(mc)));
      }, py::arg("octets"), py::arg("macros") = py::list())
      .def("end_of_message", [](mi::mta_session& s, const py::iterable& mc) {
        return send_result(s.end_of_message(take_macros(mc)));
      }, py::arg("macros") = py::list())
      .def("unknown", [](mi::mta_session& s, const py::object& l, const py::iterable& mc) {
        return send_result(s.unknown(take_bytes(l), take_macros(mc)));
      }, py::arg("line"), py::arg("macros") = py::list())
      .def("abort", [](mi::mta_session& s) { return send_result(s.abort()); })
      .def("quit", [](mi::mta_session& s) { return send_result(s.quit()); })
      .def("quit_nc", [](mi::mta_session& s) { return send_result(s.quit_nc()); })
      .def("feed",
           [](mi::mta_session& s, const py::object& data) {
             s.feed(take_bytes(data));
             py::list out;
             while (auto e = s.next_event()) out.append(py::make_tuple(make_str(mi::to_json(*e)), e->reply));
             return out;
           })
      .def("finish",
           [](mi::mta_session& s) {
             s.finish();
             py::list out;
             while (auto e = s.next_event()) out.append(py::make_tuple(make_str(mi::to_json(*e)), e->reply));
             return out;
           })
      .def("take_output", [](mi::mta_session& s) { return py::bytes(s.take_output()); })
      .def_property_readonly("state", [](const mi::mta_session& s) { return make_str(mi::to_string(s.state())); })
      .def_property_readonly("closed", &mi::mta_session::closed)
      .def_property_readonly("awaiting_reply", &mi::mta_session::awaiting_reply)
      .def_property_readonly("agreed", [](const mi::mta_session& s) { return make_str(mi::to_json(s.agreed())); })
      .def_property_readonly("failure", [](const mi::mta_session& s) { return error_json(s.failure()); })
      .def_property_readonly("modifications", [](const mi::mta_session& s) { return s.modifications(); });
}

}  // namespace smtpspec_py
