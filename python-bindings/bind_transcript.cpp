// smtpspec — the native half of the Python transcript readers (smtpspec/transcript.py). Answers are
// the core's canonical JSON (conformance/README.md, "Transcripts"), which transcript.py hands over,
// so Python and C++ agree by construction.
#include <pybind11/pybind11.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "smtpspec/transcript.hpp"

namespace py = pybind11;
namespace tr = smtpspec::transcript;

namespace smtpspec_py {

namespace {

// The input's octets: bytes-like as is, str as UTF-8.
std::string octets_of(const py::object& data) {
  if (py::isinstance<py::str>(data)) return data.cast<std::string>();
  if (py::isinstance<py::bytes>(data)) return data.cast<std::string>();
  // py::bytes(obj) only accepts bytes; PyBytes_FromObject copies any buffer (bytearray, memoryview).
  if (py::isinstance<py::bytearray>(data) || py::isinstance<py::memoryview>(data)) {
    auto b = py::reinterpret_steal<py::object>(PyBytes_FromObject(data.ptr()));
    if (!b) throw py::error_already_set();
    return b.cast<std::string>();
  }
  throw py::type_error("smtpspec: a transcript is str or bytes, not " + std::string(py::str(data.get_type())));
}

std::optional<tr::format> format_of(const py::object& f) {
  if (f.is_none()) return std::nullopt;
  const auto name = f.cast<std::string>();
  auto id = tr::format_from_name(name);
  if (!id) throw py::value_error("smtpspec: unknown transcript format \"" + name + "\"");
  return id;
}

tr::options options_of(const py::object& format, std::size_t max_line, std::size_t max_messages,
                       std::size_t max_held) {
  tr::options o;
  o.fmt = format_of(format);
  o.max_line = max_line;
  o.max_messages = max_messages;
  o.max_held = max_held;
  return o;
}

}  // namespace

void bind_transcript(py::module_& m) {
  m.def(
      "_transcript_read_json",
      [](const py::object& data, const py::object& format, std::size_t max_line, std::size_t max_messages,
         std::size_t max_held) {
        const auto o = options_of(format, max_line, max_messages, max_held);
        const std::string text = octets_of(data);
        std::string json;
        {
          py::gil_scoped_release nogil;
          json = tr::to_json(tr::read(text, o));
        }
        return py::str(json);
      },
      py::arg("data"), py::arg("format"), py::arg("max_line"), py::arg("max_messages"), py::arg("max_held"));
  // The streaming reader (smtpspec.TranscriptReader): feed()/finish() answer the canonical JSON of what
  // was read since the last call (reader::take()), so nothing accumulates here.
  py::class_<tr::reader>(m, "_TranscriptReader")
      .def(py::init([](const py::object& format, std::size_t max_line, std::size_t max_messages,
                       std::size_t max_held) {
             return std::make_unique<tr::reader>(options_of(format, max_line, max_messages, max_held));
           }),
           py::arg("format"), py::arg("max_line"), py::arg("max_messages"), py::arg("max_held"))
      .def("feed",
           [](tr::reader& r, const py::object& chunk) {
             const std::string octets = octets_of(chunk);
             std::string json;
             {
               py::gil_scoped_release nogil;
               r.feed(octets);
               json = tr::to_json(r.take());
             }
             return py::str(json);
           })
      .def("finish", [](tr::reader& r) {
        r.finish();
        return py::str(tr::to_json(r.take()));
      });
  m.def("_transcript_detect_json",
        [](const py::object& data) { return py::str(tr::to_json(tr::detect_format(octets_of(data)))); });
  m.def("_transcript_catalogue_json", [] { return py::str(tr::catalogue_json()); });
  m.attr("_TRANSCRIPT_DEFAULT_MAX_LINE") = tr::options{}.max_line;
  m.attr("_TRANSCRIPT_DEFAULT_MAX_MESSAGES") = tr::options{}.max_messages;
  m.attr("_TRANSCRIPT_DEFAULT_MAX_HELD") = tr::options{}.max_held;
}

}  // namespace smtpspec_py
