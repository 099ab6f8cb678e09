// smtpspec — the C++ half of the Python module. The public face is smtpspec/__init__.py.
//
// Speed (the issue asks for ≥ 1 million mailboxes/s): a parse call is a vectorcall entry point
// that makes exactly one Python object, a plain CPython result type holding the C++ result inline
// (one small allocation, none of pybind11's per-instance bookkeeping). Values, errors and
// diagnostics become Python objects only when asked for: pybind11 views that keep the result alive.
//
// Safety: C++ values are views into the input octets, so every result holds a reference to an
// immutable object that owns them (see take_input); views hold the result.
//
// This file: the module, commands, paths, mailboxes, domains and the catalogue. bind_reply.cpp:
// enhanced status codes, replies (parser and formatter), the DSN catalogue. Shared: bind.hpp.
#include "bind.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec_py {

// The result types of this half.
template <> struct kind<ss::command> { static constexpr const char* name = "CommandResult"; };
template <> struct kind<ss::path> { static constexpr const char* name = "PathResult"; };
template <> struct kind<ss::mailbox> { static constexpr const char* name = "MailboxResult"; };
template <> struct kind<ss::domain> { static constexpr const char* name = "DomainResult"; };
template <> struct kind<std::string> { static constexpr const char* name = "ConversionResult"; };

// domain_to_ascii / domain_to_unicode: the value is a str (the C++ result owns it).
template <>
PyObject* get_value<std::string>(PyObject* self, void*) {
  return guarded([&] {
    const auto& r = res<std::string>(self);
    return r.ok() ? py::object(make_str(r.value())) : py::object(py::none());
  });
}
template <> struct kind<std::vector<ss::esmtp_param>> { static constexpr const char* name = "EsmtpParamsResult"; };

// parse_esmtp_params' value is a list of EsmtpParam views.
template <>
PyObject* get_value<std::vector<ss::esmtp_param>>(PyObject* self, void*) {
  return guarded([&] {
    const auto& r = res<std::vector<ss::esmtp_param>>(self);
    return r.ok() ? py::object(view_list(self_ref(self), r.value())) : py::object(py::none());
  });
}

namespace {

// Which fields of `command` a verb uses (the per-verb rows of the COMMAND schema); the compiler
// flags a verb missing here.
enum class uses : unsigned char { nothing, domain, path, argument, auth, bdat };
uses fields_of(ss::verb v) {
  switch (v) {
    case ss::verb::ehlo: case ss::verb::helo: case ss::verb::lhlo: return uses::domain;
    case ss::verb::mail: case ss::verb::rcpt: return uses::path;
    case ss::verb::vrfy: case ss::verb::expn: case ss::verb::help: case ss::verb::noop:
      return uses::argument;
    case ss::verb::auth: return uses::auth;
    case ss::verb::bdat: return uses::bdat;
    case ss::verb::data: case ss::verb::rset: case ss::verb::quit: case ss::verb::starttls:
      return uses::nothing;
  }
  return uses::nothing;
}

// A Command property that is None for verbs that do not use it.
template <class F>
auto when(uses u, F f) {
  return [u, f](const view<ss::command>& v) -> py::object {
    if (fields_of(v.p->verb) != u) return py::none();
    return f(v);
  };
}

void bind_views(py::module_& m) {
  using Dm = view<ss::domain>;
  py::class_<Dm>(m, "Domain")
      .def_property_readonly("text", [](const Dm& v) { return make_str(v.p->text); })
      .def_property_readonly("kind", [](const Dm& v) { return make_str(ss::to_string(v.p->kind)); })
      .def_property_readonly("tag", [](const Dm& v) {
        const auto k = v.p->kind;
        return opt_str(k == ss::domain_kind::ipv6 || k == ss::domain_kind::general, v.p->tag);
      })
      .def_property_readonly("address", [](const Dm& v) {
        return opt_str(v.p->kind != ss::domain_kind::name, v.p->address);
      })
      // Canonical forms (idna.hpp): None for address literals and for text that is no IDNA name.
      .def_property_readonly("ascii", [](const Dm& v) -> py::object {
        std::string s = v.p->ascii();
        return v.p->kind == ss::domain_kind::name && !s.empty() ? py::object(make_str(s)) : py::object(py::none());
      })
      .def_property_readonly("unicode", [](const Dm& v) -> py::object {
        std::string s = v.p->unicode();
        return v.p->kind == ss::domain_kind::name && !s.empty() ? py::object(make_str(s)) : py::object(py::none());
      })
      .def("__repr__", [](const Dm& v) { return py::str("Domain({!r})").format(make_str(v.p->text)); });

  using Mb = view<ss::mailbox>;
  py::class_<Mb>(m, "Mailbox")
      .def_property_readonly("text", [](const Mb& v) { return make_str(v.p->text); })
      .def_property_readonly("local_part", [](const Mb& v) { return make_str(v.p->local_part); })
      .def_property_readonly("local_part_kind",
                             [](const Mb& v) { return make_str(ss::to_string(v.p->local_kind)); })
      .def_property_readonly("local_part_value",
                             [](const Mb& v) { return make_str(v.p->local_part_value()); })
      .def_property_readonly("domain", [](const Mb& v) { return make_view(v.keep, v.p->domain); })
      .def("__repr__", [](const Mb& v) { return py::str("Mailbox({!r})").format(make_str(v.p->text)); });

  using Pt = view<ss::path>;
  py::class_<Pt>(m, "Path")
      .def_property_readonly("text", [](const Pt& v) { return make_str(v.p->text); })
      .def_property_readonly("kind", [](const Pt& v) { return make_str(ss::to_string(v.p->kind)); })
      .def_property_readonly("source_route", [](const Pt& v) { return view_list(v.keep, v.p->source_route); })
      .def_property_readonly("mailbox",
                             [](const Pt& v) -> py::object {
                               const auto k = v.p->kind;
                               if (k == ss::path_kind::mailbox || k == ss::path_kind::postmaster_at_domain) {
                                 return make_view(v.keep, v.p->mailbox);
                               }
                               return py::none();
                             })
      .def("__repr__", [](const Pt& v) { return py::str("Path({!r})").format(make_str(v.p->text)); });

  using Ep = view<ss::esmtp_param>;
  py::class_<Ep>(m, "EsmtpParam")
      .def_property_readonly("keyword", [](const Ep& v) { return make_str(v.p->keyword); })
      .def_property_readonly("value", [](const Ep& v) { return opt_str(v.p->has_value, v.p->value); })
      // The typed meaning: the PARAM object of the canonical JSON, from the C++ writer.
      .def_property_readonly("extension", [](const Ep& v) -> py::object {
        const auto e = v.p->extension();
        return e ? py::object(make_str(ss::to_string(*e))) : py::object(py::none());
      })
      .def_property_readonly("typed", [](const Ep& v) -> py::object {
        static auto* loads = new py::object(py::module_::import("json").attr("loads"));  // leaked, as bind.hpp
        return (*loads)(make_str(ss::to_json(*v.p)))["typed"];
      })
      .def("to_dict", [](const Ep& v) {
        static auto* loads = new py::object(py::module_::import("json").attr("loads"));
        return (*loads)(make_str(ss::to_json(*v.p)));
      })
      .def("__repr__", [](const Ep& v) {
        return py::str("EsmtpParam({!r}, {!r})").format(make_str(v.p->keyword), opt_str(v.p->has_value, v.p->value));
      });

  using Cm = view<ss::command>;
  py::class_<Cm>(m, "Command")
      .def_property_readonly("verb", [](const Cm& v) { return verb_member(v.p->verb); })
      .def_property_readonly("domain", when(uses::domain, [](const Cm& v) { return make_view(v.keep, v.p->domain); }))
      .def_property_readonly("path", when(uses::path, [](const Cm& v) { return make_view(v.keep, v.p->path); }))
      .def_property_readonly("params", when(uses::path, [](const Cm& v) -> py::object {
                               return view_list(v.keep, v.p->params);
                             }))
      .def_property_readonly("argument", when(uses::argument, [](const Cm& v) {
                               return opt_str(v.p->has_argument, v.p->argument);
                             }))
      .def_property_readonly("mechanism", when(uses::auth, [](const Cm& v) -> py::object {
                               return make_str(v.p->mechanism);
                             }))
      .def_property_readonly("initial_response", when(uses::auth, [](const Cm& v) {
                               return opt_str(v.p->has_initial_response, v.p->initial_response);
                             }))
      .def_property_readonly("chunk_size", when(uses::bdat, [](const Cm& v) -> py::object {
                               return py::int_(v.p->chunk_size);
                             }))
      .def_property_readonly("last", when(uses::bdat, [](const Cm& v) -> py::object {
                               return py::bool_(v.p->last);
                             }))
      .def("__repr__", [](const Cm& v) {
        return py::str("Command({!r})").format(make_str(ss::to_string(v.p->verb)));
      });

  using Er = view<ss::error>;
  py::class_<Er>(m, "Error")
      .def_property_readonly("code", [](const Er& v) { return error_enum().get(v.p->code, ss::to_string(v.p->code)); })
      .def_property_readonly("offset", [](const Er& v) { return v.p->offset; })
      .def_property_readonly("expected", [](const Er& v) { return make_str(v.p->expected); })
      .def_property_readonly("rfc", [](const Er& v) { return make_str(v.p->rfc); })
      .def_property_readonly("reply", [](const Er& v) { return make_str(v.p->reply); })
      .def_property_readonly("message", [](const Er& v) { return make_str(ss::info(v.p->code).message); })
      .def("__repr__", [](const Er& v) {
        return py::str("Error({}, offset={})").format(make_str(ss::to_string(v.p->code)), v.p->offset);
      });

  using Dg = view<ss::diagnostic>;
  py::class_<Dg>(m, "Diagnostic")
      .def_property_readonly("id", [](const Dg& v) { return diagnostic_enum().get(v.p->id, ss::to_string(v.p->id)); })
      .def_property_readonly("severity",
                             [](const Dg& v) { return make_str(ss::to_string(ss::info(v.p->id).level)); })
      .def_property_readonly("offset", [](const Dg& v) { return v.p->offset; })
      .def_property_readonly("rfc", [](const Dg& v) { return make_str(ss::info(v.p->id).rfc); })
      .def_property_readonly("message", [](const Dg& v) { return make_str(ss::info(v.p->id).message); })
      .def("__repr__", [](const Dg& v) {
        return py::str("Diagnostic({}, offset={})").format(make_str(ss::to_string(v.p->id)), v.p->offset);
      });
}

PyObject* get_verb(PyObject* self, void*) {
  return guarded([&] {
    const auto v = ss::command_verb(res<ss::command>(self));
    return v ? verb_member(*v) : py::object(py::none());
  });
}

// ---- parse entry points (vectorcall) -------------------------------------------------------

struct call_args {
  PyObject* text = nullptr;
  bool lenient = false;
  bool smtputf8 = false;
  ss::path_role role = ss::path_role::any;
};

bool read_role(PyObject* v, ss::path_role& role) {
  if (PyUnicode_Check(v)) {
    if (PyUnicode_CompareWithASCIIString(v, "any") == 0) return role = ss::path_role::any, true;
    if (PyUnicode_CompareWithASCIIString(v, "reverse") == 0) return role = ss::path_role::reverse, true;
    if (PyUnicode_CompareWithASCIIString(v, "forward") == 0) return role = ss::path_role::forward, true;
  }
  PyErr_Format(PyExc_ValueError, "role must be \"any\", \"reverse\" or \"forward\", not %R", v);
  return false;
}

// (text, *, lenient=False[, role="any"]): `text` positional or by name, the rest by name only.
bool read_args(const char* fn, const char* text_name, bool with_role, PyObject* const* args, Py_ssize_t nargs,
               PyObject* kwnames, call_args& out) {
  if (nargs > 1) {
    PyErr_Format(PyExc_TypeError, "%s() takes 1 positional argument but %zd were given", fn, nargs);
    return false;
  }
  if (nargs == 1) out.text = args[0];
  const Py_ssize_t nkw = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t i = 0; i < nkw; ++i) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, i);
    PyObject* value = args[nargs + i];
    if (PyUnicode_CompareWithASCIIString(key, "lenient") == 0) {
      if (!PyBool_Check(value)) {
        PyErr_Format(PyExc_TypeError, "%s(): lenient must be True or False, not %.100s", fn, Py_TYPE(value)->tp_name);
        return false;
      }
      out.lenient = value == Py_True;
    } else if (PyUnicode_CompareWithASCIIString(key, "smtputf8") == 0) {
      if (!PyBool_Check(value)) {
        PyErr_Format(PyExc_TypeError, "%s(): smtputf8 must be True or False, not %.100s", fn, Py_TYPE(value)->tp_name);
        return false;
      }
      out.smtputf8 = value == Py_True;
    } else if (with_role && PyUnicode_CompareWithASCIIString(key, "role") == 0) {
      if (!read_role(value, out.role)) return false;
    } else if (PyUnicode_CompareWithASCIIString(key, text_name) == 0) {
      if (out.text != nullptr) {
        PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fn, text_name);
        return false;
      }
      out.text = value;
    } else {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fn, key);
      return false;
    }
  }
  if (out.text == nullptr) {
    PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s'", fn, text_name);
    return false;
  }
  return true;
}

template <class T, class Parse>
PyObject* parse_entry(const char* fn, const char* text_name, bool with_role, PyObject* const* args,
                      Py_ssize_t nargs, PyObject* kwnames, Parse parse) {
  call_args a;
  if (!read_args(fn, text_name, with_role, args, nargs, kwnames, a)) return nullptr;
  py::object owner;
  std::string_view text;
  if (!take_input(a.text, owner, text)) return nullptr;
  ss::parse_options o = a.lenient ? ss::lenient_options : ss::strict_options;
  o.smtputf8 = a.smtputf8;
  return make_result<T>(std::move(owner), [&] { return parse(text, o, a.role); });
}

PyObject* py_parse_command(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kw) {
  return parse_entry<ss::command>("parse_command", "line", false, args, nargs, kw,
                                  [](std::string_view s, const ss::parse_options& o, ss::path_role) {
                                    return ss::parse_command(s, o);
                                  });
}
PyObject* py_parse_path(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kw) {
  return parse_entry<ss::path>("parse_path", "text", true, args, nargs, kw,
                               [](std::string_view s, const ss::parse_options& o, ss::path_role role) {
                                 return ss::parse_path(s, o, role);
                               });
}
PyObject* py_parse_mailbox(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kw) {
  return parse_entry<ss::mailbox>("parse_mailbox", "text", false, args, nargs, kw,
                                  [](std::string_view s, const ss::parse_options& o, ss::path_role) {
                                    return ss::parse_mailbox(s, o);
                                  });
}
// parse_esmtp_params(verb, text, *, lenient=False, smtputf8=False): verb "MAIL" or "RCPT" (upper
// or lower case, or a Verb).
py::object py_parse_esmtp_params(const py::object& verb, const py::object& text, bool lenient, bool smtputf8) {
  ss::verb v = ss::verb::mail;
  const std::string name = py::isinstance<py::str>(verb) ? verb.cast<std::string>() : std::string();
  if (name == "MAIL" || name == "mail") {
    v = ss::verb::mail;
  } else if (name == "RCPT" || name == "rcpt") {
    v = ss::verb::rcpt;
  } else {
    throw py::value_error("verb must be \"MAIL\" or \"RCPT\", not " + py::repr(verb).cast<std::string>());
  }
  py::object owner;
  std::string_view input;
  if (!take_input(text.ptr(), owner, input)) throw py::error_already_set();
  ss::parse_options o = lenient ? ss::lenient_options : ss::strict_options;
  o.smtputf8 = smtputf8;
  PyObject* r = make_result<std::vector<ss::esmtp_param>>(std::move(owner),
                                                          [&] { return ss::parse_esmtp_params(v, input, o); });
  if (r == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(r);
}

// domain_to_ascii(text, *, lenient=False) / domain_to_unicode: a ConversionResult (value: str).
template <bool ToAscii>
PyObject* py_domain_convert(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kw) {
  call_args a;
  const char* fn = ToAscii ? "domain_to_ascii" : "domain_to_unicode";
  if (!read_args(fn, "text", false, args, nargs, kw, a)) return nullptr;
  py::object owner;
  std::string_view text;
  if (!take_input(a.text, owner, text)) return nullptr;
  const ss::parse_options& o = a.lenient ? ss::lenient_options : ss::strict_options;
  return make_result<std::string>(py::none(), [&] {
    return ToAscii ? ss::domain_to_ascii(text, o) : ss::domain_to_unicode(text, o);
  });
}

PyObject* py_parse_domain(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kw) {
  return parse_entry<ss::domain>("parse_domain", "text", false, args, nargs, kw,
                                 [](std::string_view s, const ss::parse_options& o, ss::path_role) {
                                   return ss::parse_domain(s, o);
                                 });
}

template <class F>
PyMethodDef fastcall(const char* name, F f, const char* doc) {
  return {name, reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(f)), METH_FASTCALL | METH_KEYWORDS, doc};
}

PyMethodDef parse_functions[] = {
    fastcall("parse_command", py_parse_command,
             "parse_command($module, line, *, lenient=False, smtputf8=False)\n--\n\n"
             "Parse one SMTP command line (with or without its CRLF). str is parsed as UTF-8."),
    fastcall("parse_path", py_parse_path,
             "parse_path($module, text, *, lenient=False, smtputf8=False, role='any')\n--\n\n"
             "Parse a Path; role \"reverse\" (MAIL) or \"forward\" (RCPT) restricts the forms."),
    fastcall("parse_mailbox", py_parse_mailbox,
             "parse_mailbox($module, text, *, lenient=False, smtputf8=False)\n--\n\nParse a Mailbox (RFC 5321 §4.1.2)."),
    fastcall("parse_domain", py_parse_domain,
             "parse_domain($module, text, *, lenient=False, smtputf8=False)\n--\n\n"
             "Parse a Domain or address-literal (RFC 5321 §4.1.2, §4.1.3)."),
    fastcall("domain_to_ascii", py_domain_convert<true>,
             "domain_to_ascii($module, text, *, lenient=False)\n--\n\n"
             "A domain name in its A-label form (IDNA2008, RFC 5890), lower-cased; U-labels allowed."),
    fastcall("domain_to_unicode", py_domain_convert<false>,
             "domain_to_unicode($module, text, *, lenient=False)\n--\n\n"
             "A domain name in its U-label form (IDNA2008, RFC 5891 §5.2)."),
    {nullptr, nullptr, 0, nullptr},
};

// ---- catalogue -----------------------------------------------------------------------------

// Registers enum members by catalogue name, indexed by the C++ value.
template <class Rows, class Value, class Name>
void fill(enum_table& t, const py::object& cls, const Rows& rows, Value value, Name name) {
  t.members.clear();
  for (const auto& row : rows) {
    const auto i = static_cast<std::size_t>(value(row));
    if (t.members.size() <= i) t.members.resize(i + 1);
    t.members[i] = cls[make_str(name(row))];
  }
}

void bind_catalogue(py::module_& m) {
  m.def("catalogue_json", [] { return make_str(ss::catalogue_json()); });
  m.def("error_catalogue", [] {
    py::list out;
    for (const auto& e : ss::error_catalogue()) {
      py::dict d;
      d["name"] = make_str(e.name);
      d["value"] = static_cast<unsigned>(e.code);
      d["rfc"] = make_str(e.rfc);
      d["reply"] = make_str(e.reply);
      d["message"] = make_str(e.message);
      out.append(d);
    }
    return out;
  });
  m.def("diagnostic_catalogue", [] {
    py::list out;
    for (const auto& e : ss::diagnostic_catalogue()) {
      py::dict d;
      d["name"] = make_str(e.name);
      d["value"] = static_cast<unsigned>(e.id);
      d["severity"] = make_str(ss::to_string(e.level));
      d["rfc"] = make_str(e.rfc);
      d["message"] = make_str(e.message);
      out.append(d);
    }
    return out;
  });
  m.def("verbs", [] {
    py::list out;
    for (ss::verb v : ss::all_verbs()) out.append(make_str(ss::to_string(v)));
    return out;
  });
  m.def(
      "_register_enums",
      [](const py::object& errors, const py::object& diagnostics, const py::object& verbs,
         const py::object& reply_diagnostics) {
        fill(error_enum(), errors, ss::error_catalogue(), [](const auto& r) { return r.code; },
             [](const auto& r) { return r.name; });
        fill(diagnostic_enum(), diagnostics, ss::diagnostic_catalogue(), [](const auto& r) { return r.id; },
             [](const auto& r) { return r.name; });
        fill(verb_enum(), verbs, ss::all_verbs(), [](ss::verb v) { return v; },
             [](ss::verb v) { return ss::to_string(v); });
        fill(reply_diagnostic_enum(), reply_diagnostics, ss::reply_diagnostic_catalogue(),
             [](const auto& r) { return r.id; }, [](const auto& r) { return r.name; });
      },
      "Called once by smtpspec/__init__.py: results then return these enums' members.");
}

}  // namespace
}  // namespace smtpspec_py

namespace smtpspec_py {
void bind_transcript(py::module_& m);  // bind_transcript.cpp: the transcript readers (issue 7)
void bind_lint(py::module_& m);        // bind_lint.cpp: smtpspec lint (issue 7)
}  // namespace smtpspec_py

PYBIND11_MODULE(_smtpspec, m) {
  using namespace smtpspec_py;
  m.doc() = "smtpspec C++ core (use the smtpspec package, not this module)";
  m.attr("__version__") = SMTPSPEC_VERSION_STRING;
  bind_views(m);
  make_result_type<ss::command>(
      m, {{"verb", get_verb, nullptr, "The recognised Verb (also when parsing failed), or None.", nullptr}});
  make_result_type<ss::path>(m);
  make_result_type<ss::mailbox>(m);
  make_result_type<ss::domain>(m);
  make_result_type<std::string>(m);
  make_result_type<std::vector<ss::esmtp_param>>(m);
  m.def("parse_esmtp_params", &py_parse_esmtp_params, py::arg("verb"), py::arg("text"), py::kw_only(),
        py::arg("lenient") = false, py::arg("smtputf8") = false,
        "The parameters of a MAIL or RCPT line on their own (\"SIZE=1000 BODY=8BITMIME\"), typed.");
  if (PyModule_AddFunctions(m.ptr(), parse_functions) != 0) throw py::error_already_set();
  bind_catalogue(m);
  bind_replies(m);
  bind_milter(m);
  bind_session(m);  // bind_session.cpp: the submodule session (issue 6)
  bind_transcript(m);
  bind_lint(m);
}
