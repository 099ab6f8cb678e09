// smtpspec — the Python module's second half: enhanced status codes (RFC 3463), the reply parser
// and formatter (RFC 5321 §4.2, RFC 2034), EHLO replies, the DSN catalogue (haraka-dsn) and the
// reply catalogues. Same design as _smtpspec.cpp: results are the plain CPython result types of
// bind.hpp, and their parts (and a Reply's) are views made only when asked for.
//
// Reply text is received octets. As str it is decoded the way the canonical JSON writes it (U+FFFD
// per maximal ill-formed subsequence, which is Python's errors="replace"), so attributes and
// to_dict() agree; `data` gives the exact octets where they matter.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "bind.hpp"

namespace smtpspec_py {

template <> struct kind<ss::enhanced_status> { static constexpr const char* name = "EnhancedStatusResult"; };
template <> struct kind<ss::ehlo_reply> { static constexpr const char* name = "EhloReplyResult"; };
template <> struct kind<ss::formatted_reply> { static constexpr const char* name = "FormattedReplyResult"; };

namespace {

py::str text_str(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

py::bytes octets(std::string_view s) { return py::bytes(s.data(), s.size()); }

py::object json_loads(const std::string& json) {
  static auto* loads = new py::object(py::module_::import("json").attr("loads"));  // leaked, as in bind.hpp
  return (*loads)(make_str(json));
}

// A one-off input: the str's UTF-8 form, or a buffer's octets, read while `f` runs (no copy).
template <class F>
auto with_octets(py::handle o, const char* what, F f) {
  if (PyUnicode_Check(o.ptr())) {
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(o.ptr(), &n);  // fails on lone surrogates
    if (p == nullptr) throw py::error_already_set();
    return f(std::string_view(p, static_cast<std::size_t>(n)));
  }
  if (!PyObject_CheckBuffer(o.ptr()))
    throw py::type_error(std::string(what) + " must be str or bytes, not " + Py_TYPE(o.ptr())->tp_name);
  Py_buffer b;
  if (PyObject_GetBuffer(o.ptr(), &b, PyBUF_SIMPLE) != 0) throw py::error_already_set();
  struct release {
    Py_buffer* b;
    ~release() { PyBuffer_Release(b); }
  } guard{&b};
  return f(std::string_view(static_cast<const char*>(b.buf), static_cast<std::size_t>(b.len)));
}

std::string owned_octets(py::handle o, const char* what) {
  return with_octets(o, what, [](std::string_view s) { return std::string(s); });
}

bool is_text(py::handle o) { return PyUnicode_Check(o.ptr()) || PyObject_CheckBuffer(o.ptr()); }

py::object result_or_throw(PyObject* p) {
  if (p == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(p);
}

template <class T, class Make>
py::object owned_result(Make&& make) {
  return result_or_throw(make_result<T>(py::none(), std::forward<Make>(make)));
}

// ---- enhanced status codes ------------------------------------------------------------------

using Es = view<ss::enhanced_status>;

void bind_status(py::module_& m) {
  py::class_<Es>(m, "EnhancedStatus")
      .def_property_readonly("text", [](const Es& v) { return make_str(v.p->to_string()); })
      .def_property_readonly("cls", [](const Es& v) { return v.p->cls; }, "The class, 2, 4 or 5 (JSON \"class\").")
      .def_property_readonly("subject", [](const Es& v) { return v.p->subject; })
      .def_property_readonly("detail", [](const Es& v) { return v.p->detail; })
      .def_property_readonly("default_reply_code", [](const Es& v) { return ss::default_reply_code(*v.p); },
                             "The basic reply code to send with it (the registry's, else 250/450/550).")
      .def("__str__", [](const Es& v) { return make_str(v.p->to_string()); })
      .def("__repr__", [](const Es& v) { return py::str("EnhancedStatus({!r})").format(make_str(v.p->to_string())); })
      // Equal to another EnhancedStatus with the same value, or to its text.
      .def("__eq__",
           [](const Es& v, py::handle other) -> py::object {
             if (py::isinstance<Es>(other)) return py::bool_(*v.p == *other.cast<const Es&>().p);
             if (PyUnicode_Check(other.ptr())) return py::bool_(make_str(v.p->to_string()).equal(other));
             return py::reinterpret_borrow<py::object>(Py_NotImplemented);
           })
      .def("__hash__", [](const Es& v) { return py::hash(make_str(v.p->to_string())); });
}

PyObject* py_parse_enhanced_status(PyObject*, PyObject* arg) {
  return guarded([&] {
    return with_octets(arg, "code", [](std::string_view text) {
      return owned_result<ss::enhanced_status>([&] { return ss::parse_enhanced_status(text); });
    });
  });
}

// An `enhanced` argument: None, an EnhancedStatus, or its text. A text that is not a status
// code leaves `bad` holding parse_enhanced_status's error.
std::optional<ss::enhanced_status> read_status(py::handle o, std::optional<ss::result<ss::enhanced_status>>& bad) {
  if (o.is_none()) return std::nullopt;
  if (py::isinstance<Es>(o)) return *o.cast<const Es&>().p;
  if (!is_text(o)) throw py::type_error("enhanced must be None, an EnhancedStatus or str");
  auto r = with_octets(o, "enhanced", [](std::string_view s) { return ss::parse_enhanced_status(s); });
  if (r.ok()) return r.value();
  bad.emplace(std::move(r));
  return std::nullopt;
}

// ---- parsed replies -------------------------------------------------------------------------

using Rl = view<ss::reply_line>;
using Rd = view<ss::reply_diagnostic>;
using Ek = view<ss::ehlo_keyword>;
using Er = view<ss::ehlo_reply>;
using Fr = view<ss::formatted_reply>;

const ss::reply& reply_of(const py::object& self) { return self.cast<const ss::reply&>(); }

void bind_reply_views(py::module_& m) {
  py::class_<Rl>(m, "ReplyLine")
      .def_property_readonly("offset", [](const Rl& v) { return v.p->offset; })
      .def_property_readonly("text", [](const Rl& v) { return text_str(v.p->text); })
      .def_property_readonly("data", [](const Rl& v) { return octets(v.p->text); }, "The text's exact octets.")
      .def("__repr__", [](const Rl& v) { return py::str("ReplyLine({!r})").format(text_str(v.p->text)); });

  py::class_<Rd>(m, "ReplyDiagnostic")
      .def_property_readonly("id", [](const Rd& v) { return reply_diagnostic_enum().get(v.p->id, ss::to_string(v.p->id)); })
      .def_property_readonly("severity", [](const Rd& v) { return make_str(ss::to_string(ss::info(v.p->id).level)); })
      .def_property_readonly("offset", [](const Rd& v) { return v.p->offset; })
      .def_property_readonly("rfc", [](const Rd& v) { return make_str(ss::info(v.p->id).rfc); })
      .def_property_readonly("message", [](const Rd& v) { return make_str(ss::info(v.p->id).message); })
      .def("__repr__", [](const Rd& v) {
        return py::str("ReplyDiagnostic({}, offset={})").format(make_str(ss::to_string(v.p->id)), v.p->offset);
      });

  py::class_<ss::reply>(m, "Reply")
      .def_property_readonly("code", [](const ss::reply& r) -> py::object {
        return r.code ? py::object(py::int_(*r.code)) : py::object(py::none());
      })
      .def_property_readonly("enhanced", [](const py::object& self) -> py::object {
        const auto& r = reply_of(self);
        return r.enhanced ? make_view(self, *r.enhanced) : py::object(py::none());
      })
      .def_property_readonly("multiline", &ss::reply::multiline)
      .def_property_readonly("offset", [](const ss::reply& r) { return r.offset; })
      .def_property_readonly("length", [](const ss::reply& r) { return r.length; })
      .def_property_readonly("line_count", [](const ss::reply& r) { return r.line_count; })
      .def_property_readonly("lines", [](const py::object& self) { return view_list(self, reply_of(self).lines); })
      .def_property_readonly("diagnostics",
                             [](const py::object& self) { return view_list(self, reply_of(self).diagnostics); })
      .def_property_readonly("valid", &ss::reply::valid, "No diagnostic of severity error.")
      .def_property_readonly(
          "messages",
          [](const ss::reply& r) {
            py::list out;
            for (const auto& s : r.messages()) out.append(text_str(s));
            return out;
          },
          "The kept lines' texts without the enhanced code.")
      .def("to_json", [](const ss::reply& r) { return make_str(ss::to_json(r)); },
           "The canonical JSON (conformance/README.md, REPLY), exactly as C++ smtpspec::to_json writes it.")
      .def("to_dict", [](const ss::reply& r) { return json_loads(ss::to_json(r)); })
      .def("__repr__", [](const ss::reply& r) {
        return py::str("Reply({}, line_count={})")
            .format(r.code ? py::object(py::int_(*r.code)) : py::object(py::none()), r.line_count);
      });

  py::class_<Ek>(m, "EhloKeyword")
      .def_property_readonly("keyword", [](const Ek& v) { return text_str(v.p->keyword); })
      .def_property_readonly("params", [](const Ek& v) {
        py::list out;
        for (const auto& s : v.p->params) out.append(text_str(s));
        return out;
      })
      .def_property_readonly(
          "extension",
          [](const Ek& v) -> py::object {
            return v.p->extension ? py::object(make_str(ss::to_string(*v.p->extension))) : py::object(py::none());
          },
          "The registered service extension's keyword (IANA registry), None for X- and unregistered keywords.")
      .def_property_readonly(
          "params_ok", [](const Ek& v) { return v.p->params_ok; },
          "False when the parameters break the extension's EHLO syntax (a diagnostic says how).")
      .def_property_readonly(
          "value", [](const Ek& v) { return json_loads(ss::ehlo_value_json(*v.p)); },
          "The typed view of the parameters, as the canonical JSON's \"value\" (e.g. {'size': 1000}), or None.")
      .def("__repr__", [](const Ek& v) { return py::str("EhloKeyword({!r})").format(text_str(v.p->keyword)); });

  py::class_<Er>(m, "EhloReply")
      .def_property_readonly("domain", [](const Er& v) { return text_str(v.p->domain); })
      .def_property_readonly("greeting", [](const Er& v) -> py::object {
        return v.p->greeting ? py::object(text_str(*v.p->greeting)) : py::object(py::none());
      })
      .def_property_readonly("keywords", [](const Er& v) { return view_list(v.keep, v.p->keywords); })
      .def_property_readonly(
          "extensions",
          [](const Er& v) {
            py::list out;
            const auto offered = v.p->extensions();
            for (const auto& row : ss::extension_catalogue())
              if (offered.has(row.id)) out.append(make_str(row.keyword));
            return out;
          },
          "The registered extensions offered, in catalogue order: what a client may use.")
      .def_property_readonly("diagnostics", [](const Er& v) { return view_list(v.keep, v.p->diagnostics); })
      .def(
          "find",
          [](const Er& v, std::string_view keyword) -> py::object {
            const ss::ehlo_keyword* k = v.p->find(keyword);
            return k ? make_view(v.keep, *k) : py::object(py::none());
          },
          py::arg("keyword"), "The keyword, compared case-insensitively (RFC 5321 §4.1.1.1), or None.")
      .def("__repr__", [](const Er& v) { return py::str("EhloReply({!r})").format(text_str(v.p->domain)); });

  py::class_<Fr>(m, "FormattedReply")
      .def_property_readonly("text", [](const Fr& v) { return text_str(v.p->text); })
      .def_property_readonly("data", [](const Fr& v) { return octets(v.p->text); }, "The wire form, to send as is.")
      .def_property_readonly("line_count", [](const Fr& v) { return v.p->line_count; })
      .def_property_readonly(
          "lines",
          [](const Fr& v) {
            // The JSON's "lines": the wire lines without their CRLF.
            py::list out;
            std::string_view rest = v.p->text;
            while (!rest.empty()) {
              const std::size_t end = rest.find("\r\n");
              out.append(text_str(rest.substr(0, end)));
              rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 2);
            }
            return out;
          })
      .def("__repr__", [](const Fr& v) { return py::str("FormattedReply({!r})").format(text_str(v.p->text)); });
}

// ---- the reply parser -----------------------------------------------------------------------

py::list take(ss::reply_parser& p) {
  auto replies = p.take();
  py::list out(replies.size());
  for (std::size_t i = 0; i < replies.size(); ++i) {
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), py::cast(std::move(replies[i])).release().ptr());
  }
  return out;
}

ss::reply_parse_options parse_options(std::size_t max_line, std::size_t max_lines, std::size_t max_diagnostics,
                                      bool lf_ends_line) {
  ss::reply_parse_options o;
  o.max_line = max_line;
  o.max_lines = max_lines;
  o.max_diagnostics = max_diagnostics;
  o.lf_ends_line = lf_ends_line;
  return o;
}

void bind_parser(py::module_& m) {
  // The options' defaults are the C++ ones.
  const ss::reply_parse_options d;
  py::class_<ss::reply_parser>(m, "ReplyParser",
                               "Incremental client-side reply parser: bytes in, complete replies out; any split "
                               "of the stream gives the same replies. Memory is bounded by max_line and max_lines.")
      .def(py::init([](std::size_t max_line, std::size_t max_lines, std::size_t max_diagnostics, bool lf_ends_line) {
             return ss::reply_parser(parse_options(max_line, max_lines, max_diagnostics, lf_ends_line));
           }),
           py::kw_only(), py::arg("max_line") = d.max_line,
           py::arg("max_lines") = d.max_lines, py::arg("max_diagnostics") = d.max_diagnostics,
           py::arg("lf_ends_line").noconvert() = d.lf_ends_line)
      .def(
          "feed",
          [](ss::reply_parser& p, py::handle data) {
            with_octets(data, "data", [&](std::string_view s) {
              p.feed(s);
              return 0;
            });
            return take(p);
          },
          py::arg("data"), "Consumes all of `data` (str as UTF-8); returns the replies it completed. "
                           "Ignored after finish(), until reset().")
      .def(
          "finish",
          [](ss::reply_parser& p) {
            p.finish();
            return take(p);
          },
          "End of stream: completes a partial line or reply (with a diagnostic); returns the replies left.")
      .def("reset", &ss::reply_parser::reset, "Back to the start of a new stream, with the same options.")
      .def_property_readonly("consumed", &ss::reply_parser::consumed, "Octets fed so far.")
      .def_property_readonly("finished", &ss::reply_parser::finished);

  m.def(
      "parse_replies",
      [](py::handle stream, std::size_t max_line, std::size_t max_lines, std::size_t max_diagnostics,
         bool lf_ends_line) {
        const auto o = parse_options(max_line, max_lines, max_diagnostics, lf_ends_line);
        ss::reply_parser p(o);
        with_octets(stream, "stream", [&](std::string_view s) {
          p.feed(s);
          return 0;
        });
        p.finish();
        return take(p);
      },
      py::arg("stream"), py::kw_only(), py::arg("max_line") = d.max_line, py::arg("max_lines") = d.max_lines,
      py::arg("max_diagnostics") = d.max_diagnostics, py::arg("lf_ends_line").noconvert() = d.lf_ends_line,
      "A whole reply stream at once (ReplyParser's feed and finish): the list of its replies.");

  m.def(
      "parse_ehlo_reply",
      [](py::handle reply) {
        if (py::isinstance<ss::reply>(reply)) {
          const ss::reply& r = reply.cast<const ss::reply&>();
          return owned_result<ss::ehlo_reply>([&] { return ss::parse_ehlo_reply(r); });
        }
        if (!is_text(reply)) throw py::type_error("reply must be a Reply, str or bytes");
        auto replies = with_octets(reply, "reply", [](std::string_view s) { return ss::parse_replies(s); });
        const ss::reply first = replies.empty() ? ss::reply{} : std::move(replies.front());
        return owned_result<ss::ehlo_reply>([&] { return ss::parse_ehlo_reply(first); });
      },
      py::arg("reply"),
      "The keywords and parameters of a positive EHLO reply: a Reply, or a stream whose first reply is used.");
}

// ---- the formatter --------------------------------------------------------------------------

ss::format_options read_format_options(bool enhanced_codes, std::size_t max_line, std::string_view policy, bool utf8) {
  ss::format_options o;
  o.enhanced_codes = enhanced_codes;
  o.max_line = max_line;
  if (policy == "refuse") o.policy = ss::text_policy::refuse;
  else if (policy == "neutralise") o.policy = ss::text_policy::neutralise;
  else throw py::value_error("policy must be \"refuse\" or \"neutralise\", not \"" + std::string(policy) + "\"");
  o.utf8 = utf8;
  return o;
}

std::string_view policy_name(ss::text_policy p) { return p == ss::text_policy::refuse ? "refuse" : "neutralise"; }

// A list of texts; a lone str or bytes is one.
std::vector<std::string> read_texts(py::handle o, const char* what) {
  std::vector<std::string> out;
  if (is_text(o)) {
    out.push_back(owned_octets(o, what));
    return out;
  }
  for (py::handle item : py::iter(o)) out.push_back(owned_octets(item, what));
  return out;
}

int read_code(py::handle o) {
  if (!PyLong_Check(o.ptr()) || PyBool_Check(o.ptr()))
    throw py::type_error(std::string("code must be int, not ") + Py_TYPE(o.ptr())->tp_name);
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(o.ptr(), &overflow);
  // Out of range for int: still not a reply code, which the library reports.
  return overflow != 0 || v < -1000000 || v > 1000000 ? -1 : static_cast<int>(v);
}

// keywords: a mapping keyword -> params, or an iterable of keywords and (keyword, params) pairs;
// params: None, one str, or an iterable of str.
std::vector<ss::ehlo_keyword> read_keywords(py::handle o) {
  py::object items = py::reinterpret_borrow<py::object>(o);
  if (PyMapping_Check(o.ptr()) && py::hasattr(o, "items")) items = o.attr("items")();
  std::vector<ss::ehlo_keyword> out;
  const auto one = [&](py::handle item) {
    ss::ehlo_keyword k;
    if (is_text(item)) {
      k.keyword = owned_octets(item, "keyword");
    } else {
      if (!PySequence_Check(item.ptr()) || PySequence_Size(item.ptr()) != 2)
        throw py::type_error("a keyword is str or a (keyword, params) pair");
      const auto pair = py::reinterpret_borrow<py::sequence>(item);
      k.keyword = owned_octets(pair[0], "keyword");
      if (!pair[1].is_none()) k.params = read_texts(pair[1], "an EHLO parameter");
    }
    out.push_back(std::move(k));
  };
  if (is_text(o)) one(o);
  else
    for (py::handle item : py::iter(items)) one(item);
  return out;
}

void bind_formatter(py::module_& m) {
  const ss::format_options d;
  m.def(
      "format_reply",
      [](py::handle code, py::handle enhanced, py::handle lines, bool enhanced_codes, std::size_t max_line,
         std::string_view policy, bool utf8) {
        const int c = read_code(code);
        std::optional<ss::result<ss::enhanced_status>> bad;
        const auto status = read_status(enhanced, bad);
        const auto texts = read_texts(lines, "a line");
        const auto o = read_format_options(enhanced_codes, max_line, policy, utf8);
        if (bad) return owned_result<ss::formatted_reply>([&] { return ss::result<ss::formatted_reply>(bad->error()); });
        const std::vector<std::string_view> views(texts.begin(), texts.end());
        return owned_result<ss::formatted_reply>([&] { return ss::format_reply(c, status, views, o); });
      },
      py::arg("code"), py::arg("enhanced") = py::none(), py::arg("lines") = py::tuple(), py::kw_only(),
      py::arg("enhanced_codes").noconvert() = d.enhanced_codes, py::arg("max_line") = d.max_line,
      py::arg("policy") = std::string(policy_name(d.policy)), py::arg("utf8").noconvert() = d.utf8,
      "A reply: \"250-\" continuation lines, the enhanced code on each, wrapped to max_line; CR, LF, NUL and "
      "other octets text may not hold are refused or (policy=\"neutralise\") replaced by SP. An invalid "
      "`enhanced` text gives parse_enhanced_status's error.");

  m.def(
      "format_ehlo_reply",
      [](py::handle domain, py::handle greeting, py::handle keywords, std::size_t max_line, std::string_view policy,
         bool utf8) {
        const std::string dom = owned_octets(domain, "domain");
        const std::string greet = greeting.is_none() ? std::string() : owned_octets(greeting, "greeting");
        const auto kws = read_keywords(keywords);
        const auto o = read_format_options(false, max_line, policy, utf8);
        return owned_result<ss::formatted_reply>([&] { return ss::format_ehlo_reply(dom, greet, kws, o); });
      },
      py::arg("domain"), py::arg("greeting") = py::none(), py::arg("keywords") = py::tuple(), py::kw_only(),
      py::arg("max_line") = d.max_line, py::arg("policy") = std::string(policy_name(d.policy)),
      py::arg("utf8").noconvert() = d.utf8,
      "The ehlo-ok-rsp (RFC 5321 §4.1.1.1): \"250-domain greeting\", then a line per keyword with its parameters. "
      "keywords: a mapping keyword -> params, or an iterable of keywords and (keyword, params) pairs.");
}

// ---- DSN (haraka-dsn) -----------------------------------------------------------------------

std::optional<ss::dsn::message> read_message(py::handle o) {
  if (o.is_none()) return std::nullopt;
  if (PyUnicode_Check(o.ptr())) return ss::dsn::message(o.cast<std::string>());
  if (PyList_Check(o.ptr()) || PyTuple_Check(o.ptr())) {
    std::vector<std::string> lines;
    for (py::handle item : o) {
      if (!PyUnicode_Check(item.ptr())) throw py::type_error("msg must be str, a list of str, or None");
      lines.push_back(item.cast<std::string>());
    }
    return ss::dsn::message(std::move(lines));
  }
  throw py::type_error("msg must be str, a list of str, or None");
}

// What JavaScript's String() gives for the caller's code (haraka tests it with a regex).
std::optional<std::string> read_dsn_code(py::handle o) {
  if (o.is_none()) return std::nullopt;
  if (PyUnicode_Check(o.ptr())) return o.cast<std::string>();
  if (PyLong_Check(o.ptr()) && !PyBool_Check(o.ptr())) return py::str(o).cast<std::string>();
  throw py::type_error("code must be int, str or None");
}

// Field values a JS number would have: what String(x || 0) gives for subject and detail.
std::string read_subject(py::handle o, const char* what) {
  if (o.is_none()) return "0";
  if (PyUnicode_Check(o.ptr())) {
    auto s = o.cast<std::string>();
    return s.empty() ? "0" : s;
  }
  if (PyLong_Check(o.ptr()) && !PyBool_Check(o.ptr())) return py::str(o).cast<std::string>();
  throw py::type_error(std::string(what) + " must be int, str or None");
}

// (canonical JSON, toString(), whether `code` is the caller's): dsn.py builds the object.
py::tuple dsn_answer(const ss::dsn::dsn_reply& r) {
  return py::make_tuple(make_str(ss::dsn::to_json(r)), make_str(r.to_string()), r.code_from_caller);
}

void bind_dsn(py::module_& m) {
  m.def("dsn_catalogue_json", [] { return make_str(ss::dsn::catalogue_json()); });
  m.def("_dsn_make", [](std::string_view name, py::handle msg, py::handle code) -> py::object {
    const auto c = read_dsn_code(code);
    const auto r = ss::dsn::make(name, read_message(msg), c ? std::optional<std::string_view>(*c) : std::nullopt);
    return r ? py::object(dsn_answer(*r)) : py::object(py::none());
  });
  m.def("_dsn_create", [](py::handle code, py::handle msg, py::handle subject, py::handle detail) {
    const auto c = read_dsn_code(code);
    return dsn_answer(ss::dsn::create_text(c ? std::optional<std::string_view>(*c) : std::nullopt, read_message(msg),
                                           read_subject(subject, "subject"), read_subject(detail, "detail")));
  });
  m.def("dsn_explain_json", [](std::string_view q) { return make_str(ss::dsn::to_json(ss::dsn::explain(q))); });
  m.def("dsn_explain_text", [](std::string_view q) { return make_str(ss::dsn::to_text(ss::dsn::explain(q))); });
}

PyMethodDef status_functions[] = {
    {"parse_enhanced_status", py_parse_enhanced_status, METH_O,
     "parse_enhanced_status($module, code, /)\n--\n\n"
     "Parse an enhanced status code, class \".\" subject \".\" detail (RFC 3463 §2). str is parsed as UTF-8."},
    {nullptr, nullptr, 0, nullptr},
};

}  // namespace

void bind_replies(py::module_& m) {
  bind_status(m);
  make_result_type<ss::enhanced_status>(m);
  bind_reply_views(m);
  make_result_type<ss::ehlo_reply>(m);
  make_result_type<ss::formatted_reply>(m);
  if (PyModule_AddFunctions(m.ptr(), status_functions) != 0) throw py::error_already_set();
  bind_parser(m);
  bind_formatter(m);
  bind_dsn(m);
  m.def("enhanced_status_catalogue_json", [] { return make_str(ss::enhanced_status_catalogue_json()); });
  m.def("reply_catalogue_json", [] { return make_str(ss::reply_catalogue_json()); });
  m.def("extension_catalogue_json", [] { return make_str(ss::extension_catalogue_json()); });
}

}  // namespace smtpspec_py
