// smtpspec — what the two halves of the Python module share (_smtpspec.cpp: module, commands,
// paths, mailboxes, domains, catalogue; bind_reply.cpp: status codes, replies, DSN): input
// handling, str output, lazily made views, and the plain CPython result types.
#pragma once
#include <pybind11/pybind11.h>

#include <cstddef>
#include <exception>
#include <initializer_list>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/smtpspec.hpp"

namespace smtpspec_py {

namespace py = pybind11;
namespace ss = smtpspec;

// ---- input ---------------------------------------------------------------------------------

// A str's UTF-8 form is cached inside the str for its lifetime and bytes are immutable, so a
// reference pins the octets without a copy. Anything else with a buffer (bytearray, memoryview,
// …) may change after the call, so it is copied into new bytes. False with a Python error set.
inline bool take_input(PyObject* o, py::object& owner, std::string_view& text) {
  if (PyUnicode_Check(o)) {
    Py_ssize_t n = 0;
    const char* p = PyUnicode_AsUTF8AndSize(o, &n);  // fails on lone surrogates
    if (p == nullptr) return false;
    owner = py::reinterpret_borrow<py::object>(o);
    text = {p, static_cast<std::size_t>(n)};
    return true;
  }
  if (PyBytes_Check(o)) {
    owner = py::reinterpret_borrow<py::object>(o);
  } else if (PyObject_CheckBuffer(o)) {
    owner = py::reinterpret_steal<py::object>(PyBytes_FromObject(o));
    if (!owner) return false;
  } else {
    PyErr_Format(PyExc_TypeError, "expected str or bytes, not %.100s", Py_TYPE(o)->tp_name);
    return false;
  }
  text = {PyBytes_AS_STRING(owner.ptr()), static_cast<std::size_t>(PyBytes_GET_SIZE(owner.ptr()))};
  return true;
}

// ---- output helpers ------------------------------------------------------------------------

// Octets become str. Non-UTF-8 octets survive as surrogates (surrogateescape): nothing is lost,
// and encoding back with the same handler restores the exact bytes.
inline py::str make_str(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

inline py::object opt_str(bool present, std::string_view s) {
  return present ? py::object(make_str(s)) : py::object(py::none());
}

// Enum members that __init__.py builds from the catalogue, indexed by the C++ enum's value.
// Until they are registered, names come back as plain str.
struct enum_table {
  std::vector<py::object> members;
  template <class E>
  py::object get(E e, std::string_view name) const {
    const auto i = static_cast<std::size_t>(e);
    if (i < members.size() && members[i]) return members[i];
    return make_str(name);
  }
};
// Leaked on purpose: Python objects must not be released after the interpreter is gone.
inline enum_table& error_enum() { static auto* t = new enum_table; return *t; }
inline enum_table& diagnostic_enum() { static auto* t = new enum_table; return *t; }
inline enum_table& verb_enum() { static auto* t = new enum_table; return *t; }
inline enum_table& reply_diagnostic_enum() { static auto* t = new enum_table; return *t; }

inline py::object verb_member(ss::verb v) { return verb_enum().get(v, ss::to_string(v)); }

// Runs `f` (returning a py::object) for the C API: C++ exceptions become Python ones.
template <class F>
PyObject* guarded(F&& f) noexcept {
  try {
    return f().release().ptr();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::builtin_exception& e) {
    e.set_error();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}

// ---- views: lazily made parts of a result --------------------------------------------------

// `keep` is the result object, which owns what `p` points to (and, through it, the input).
template <class T>
struct view {
  py::object keep;
  const T* p;
};

template <class T>
py::object make_view(const py::object& keep, const T& x) {
  return py::cast(view<T>{keep, &x});
}

template <class Seq>
py::list view_list(const py::object& keep, const Seq& items) {
  py::list out(items.size());
  Py_ssize_t i = 0;
  for (const auto& x : items) PyList_SET_ITEM(out.ptr(), i++, make_view(keep, x).release().ptr());
  return out;
}

// ---- result objects: plain CPython types ---------------------------------------------------

template <class T>
struct result_object {
  PyObject base;
  py::object owner;  // the input's octets when the C++ result's views point into them, else None
  ss::result<T> r;
};

template <class T>
struct kind;  // per result type: its Python name

template <class T>
inline PyTypeObject* result_type = nullptr;

template <class T>
const ss::result<T>& res(PyObject* self) {
  return reinterpret_cast<result_object<T>*>(self)->r;
}

inline py::object self_ref(PyObject* self) { return py::reinterpret_borrow<py::object>(self); }

template <class T, class Parse>
PyObject* make_result(py::object owner, Parse&& parse) {
  PyTypeObject* type = result_type<T>;
  auto* self = reinterpret_cast<result_object<T>*>(type->tp_alloc(type, 0));
  if (self == nullptr) return nullptr;
  new (&self->owner) py::object(std::move(owner));
  new (&self->r) ss::result<T>(parse());  // noexcept: no public parse function throws
  return &self->base;
}

template <class T>
void result_dealloc(PyObject* o) {
  PyTypeObject* type = Py_TYPE(o);
  auto* self = reinterpret_cast<result_object<T>*>(o);
  self->r.~result();
  self->owner.~object();
  type->tp_free(o);
  Py_DECREF(type);  // instances of heap types own a reference to their type
}

template <class T>
PyObject* get_ok(PyObject* self, void*) {
  return PyBool_FromLong(res<T>(self).ok());
}

template <class T>
PyObject* get_value(PyObject* self, void*) {
  return guarded([&] {
    const auto& r = res<T>(self);
    return r.ok() ? make_view(self_ref(self), r.value()) : py::object(py::none());
  });
}

template <class T>
PyObject* get_error(PyObject* self, void*) {
  return guarded([&] {
    const auto& r = res<T>(self);
    return r.ok() ? py::object(py::none()) : make_view(self_ref(self), r.error());
  });
}

template <class T>
PyObject* get_diagnostics(PyObject* self, void*) {
  return guarded([&] { return py::object(view_list(self_ref(self), res<T>(self).diags())); });
}

template <class T>
PyObject* to_json(PyObject* self, PyObject*) {
  return guarded([&] { return py::object(make_str(ss::to_json(res<T>(self)))); });
}

template <class T>
PyObject* to_dict(PyObject* self, PyObject*) {
  static auto* loads = new py::object(py::module_::import("json").attr("loads"));  // leaked, as above
  return guarded([&] { return (*loads)(make_str(ss::to_json(res<T>(self)))); });
}

template <class T>
PyObject* result_repr(PyObject* self) {
  return guarded([&] {
    return py::object(py::str("{}({})").format(kind<T>::name, make_str(ss::to_json(res<T>(self)))));
  });
}

template <class T>
void make_result_type(py::module_& m, std::initializer_list<PyGetSetDef> extra = {}) {
  // Static storage: CPython keeps pointers to these tables.
  static std::vector<PyGetSetDef> getset = [extra] {
    std::vector<PyGetSetDef> g = {
        {"ok", get_ok<T>, nullptr, "True when the input parsed.", nullptr},
        {"value", get_value<T>, nullptr, "The parsed value, or None.", nullptr},
        {"error", get_error<T>, nullptr, "The Error, or None.", nullptr},
        {"diagnostics", get_diagnostics<T>, nullptr, "Deviations noted while parsing (list of Diagnostic).",
         nullptr},
    };
    g.insert(g.end(), extra.begin(), extra.end());
    g.push_back({nullptr, nullptr, nullptr, nullptr, nullptr});
    return g;
  }();
  static PyMethodDef methods[] = {
      {"to_json", to_json<T>, METH_NOARGS,
       "to_json($self, /)\n--\n\nThe canonical JSON (conformance/README.md), exactly as C++ smtpspec::to_json "
       "writes it."},
      {"to_dict", to_dict<T>, METH_NOARGS, "to_dict($self, /)\n--\n\nThe canonical JSON as a dict."},
      {nullptr, nullptr, 0, nullptr},
  };
  static const std::string qualified = std::string("smtpspec._smtpspec.") + kind<T>::name;
  static PyType_Slot slots[] = {
      {Py_tp_dealloc, reinterpret_cast<void*>(result_dealloc<T>)},
      {Py_tp_repr, reinterpret_cast<void*>(result_repr<T>)},
      {Py_tp_getset, getset.data()},
      {Py_tp_methods, methods},
      {Py_tp_doc, const_cast<char*>("A parse result: made by the parse functions, never directly.")},
      {0, nullptr},
  };
  unsigned int flags = Py_TPFLAGS_DEFAULT;
#ifdef Py_TPFLAGS_DISALLOW_INSTANTIATION
  flags |= Py_TPFLAGS_DISALLOW_INSTANTIATION;
#endif
  static PyType_Spec spec = {qualified.c_str(), static_cast<int>(sizeof(result_object<T>)), 0, flags, slots};
  auto type = py::reinterpret_steal<py::object>(PyType_FromSpec(&spec));
  if (!type) throw py::error_already_set();
#ifndef Py_TPFLAGS_DISALLOW_INSTANTIATION
  reinterpret_cast<PyTypeObject*>(type.ptr())->tp_new = nullptr;  // before 3.10: no Result()
#endif
  result_type<T> = reinterpret_cast<PyTypeObject*>(type.ptr());
  m.attr(kind<T>::name) = type;  // the module keeps the type alive
}

// The issue-4 half (bind_reply.cpp).
void bind_replies(py::module_& m);
void bind_milter(py::module_& m);  // bind_milter.cpp: the submodule milter
void bind_session(py::module_& m);  // bind_session.cpp: the submodule session

}  // namespace smtpspec_py
