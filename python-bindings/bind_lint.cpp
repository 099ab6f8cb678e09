// smtpspec — the native half of Python's `smtpspec.lint` (smtpspec/lint.py). The transcript is read
// and linted by the core, and the answer is the core's writer output (canonical JSON, text, JUnit or
// SARIF), so Python, JS, C++ and the CLI agree by construction.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "smtpspec/lint.hpp"
#include "smtpspec/transcript.hpp"

namespace py = pybind11;
namespace tr = smtpspec::transcript;
namespace li = smtpspec::lint;

namespace smtpspec_py {

namespace {

std::string octets_of(const py::object& data) {
  if (py::isinstance<py::str>(data) || py::isinstance<py::bytes>(data)) return data.cast<std::string>();
  if (py::isinstance<py::bytearray>(data) || py::isinstance<py::memoryview>(data)) {
    auto b = py::reinterpret_steal<py::object>(PyBytes_FromObject(data.ptr()));
    if (!b) throw py::error_already_set();
    return b.cast<std::string>();
  }
  throw py::type_error("smtpspec: a transcript is str or bytes, not " + std::string(py::str(data.get_type())));
}

// Rule ids as the CLI takes them: a catalogue id, or a prefix ending in "*".
std::vector<std::string> rule_list(const std::vector<std::string>& ids) {
  for (const auto& id : ids)
    if (!id.ends_with("*") && !li::rule_from_name(id))
      throw py::value_error("smtpspec: unknown lint rule id \"" + id + "\"");
  return ids;
}

void check_output(const std::string& output) {
  if (output != "json" && output != "text" && output != "junit" && output != "sarif")
    throw py::value_error("smtpspec: lint format is json, text, junit or sarif, not \"" + output + "\"");
}

tr::options transcript_options(const std::optional<std::string>& transcript_format) {
  tr::options to;
  if (transcript_format) {
    to.fmt = tr::format_from_name(*transcript_format);
    if (!to.fmt) throw py::value_error("smtpspec: unknown transcript format \"" + *transcript_format + "\"");
  }
  return to;
}

li::lint_options lint_options(const std::vector<std::string>& select, const std::vector<std::string>& ignore,
                              bool lmtp, bool show_undecidable) {
  li::lint_options lo;
  lo.select = rule_list(select);
  lo.ignore = rule_list(ignore);
  lo.lmtp = lmtp;
  lo.show_undecidable = show_undecidable;
  return lo;
}

std::string write(const li::report& report, const std::string& output, const std::string& file) {
  if (output == "json") return li::to_json(report);
  if (output == "text") return li::to_text(report, file);
  const li::named_report named[] = {{file, &report}};
  return output == "junit" ? li::to_junit(named) : li::to_sarif(named);
}

std::string run(const py::object& data, const std::string& output, const std::vector<std::string>& select,
                const std::vector<std::string>& ignore, const std::optional<std::string>& transcript_format,
                bool lmtp, bool show_undecidable, const std::string& file) {
  check_output(output);
  const tr::options to = transcript_options(transcript_format);
  const li::lint_options lo = lint_options(select, ignore, lmtp, show_undecidable);
  const std::string text = octets_of(data);
  py::gil_scoped_release nogil;
  return write(li::lint(tr::read(text, to), lo), output, file);
}

// The streaming linter (smtpspec.Linter): chunks go through a transcript::reader whose events are
// handed to a lint::linter after each feed, as the CLI does, so memory stays bounded per connection.
struct streaming_linter {
  tr::reader reader;
  li::linter linter;
  std::string output, file;
  bool finished = false;
  streaming_linter(const tr::options& to, const li::lint_options& lo, std::string out, std::string f)
      : reader(to), linter(lo, to.fmt), output(std::move(out)), file(std::move(f)) {}
  void drain() {
    linter.set_format(reader.current_format());
    for (const auto& e : reader.events()) linter.feed(e);
    reader.clear();
  }
  void check(const char* what) const {
    if (finished) throw py::value_error(std::string("smtpspec: Linter.") + what + "() after finish()");
  }
};

}  // namespace

void bind_lint(py::module_& m) {
  m.def("_lint", &run, py::arg("data"), py::arg("format"), py::arg("select"), py::arg("ignore"),
        py::arg("transcript_format"), py::arg("lmtp"), py::arg("show_undecidable"), py::arg("file"));
  py::class_<streaming_linter>(m, "_Linter")
      .def(py::init([](const std::string& output, const std::vector<std::string>& select,
                       const std::vector<std::string>& ignore, const std::optional<std::string>& transcript_format,
                       bool lmtp, bool show_undecidable, const std::string& file) {
             check_output(output);
             return std::make_unique<streaming_linter>(transcript_options(transcript_format),
                                                       lint_options(select, ignore, lmtp, show_undecidable), output,
                                                       file);
           }),
           py::arg("format"), py::arg("select"), py::arg("ignore"), py::arg("transcript_format"), py::arg("lmtp"),
           py::arg("show_undecidable"), py::arg("file"))
      .def("feed",
           [](streaming_linter& l, const py::object& chunk) {
             l.check("feed");
             const std::string octets = octets_of(chunk);
             py::gil_scoped_release nogil;
             l.reader.feed(octets);
             l.drain();
           })
      .def("finish", [](streaming_linter& l) {
        l.check("finish");
        l.finished = true;
        std::string out;
        {
          py::gil_scoped_release nogil;
          l.reader.finish();
          l.drain();
          l.linter.finish();
          out = write(l.linter.take(), l.output, l.file);
        }
        return py::str(out);
      });
  // The rule catalogue (catalogue/lint_rules.inc), one dict per row, in catalogue order.
  m.def("_lint_rules", [] {
    py::list rows;
    for (const auto& r : li::rule_catalogue()) {
      py::dict d;
      d["id"] = std::string(r.name);
      d["rfc"] = std::string(r.rfc);
      d["section"] = std::string(r.section);
      d["severity"] = std::string(smtpspec::to_string(r.level));
      d["side"] = std::string(li::to_string(r.at_fault));
      d["quote"] = std::string(r.quote);
      d["summary"] = std::string(r.summary);
      d["url"] = li::help_uri(r);
      d["implemented"] = li::implemented(r.id);
      rows.append(d);
    }
    return rows;
  });
}

}  // namespace smtpspec_py
