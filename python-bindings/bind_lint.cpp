// smtpspec — the native half of Python's `smtpspec.lint` (smtpspec/lint.py). The transcript is read
// and linted by the core, and the answer is the core's writer output (canonical JSON, text, JUnit or
// SARIF), so Python, JS, C++ and the CLI agree by construction.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
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

std::string run(const py::object& data, const std::string& output, const std::vector<std::string>& select,
                const std::vector<std::string>& ignore, const std::optional<std::string>& transcript_format,
                bool lmtp, bool show_undecidable, const std::string& file) {
  if (output != "json" && output != "text" && output != "junit" && output != "sarif")
    throw py::value_error("smtpspec: lint format is json, text, junit or sarif, not \"" + output + "\"");
  tr::options to;
  if (transcript_format) {
    to.fmt = tr::format_from_name(*transcript_format);
    if (!to.fmt) throw py::value_error("smtpspec: unknown transcript format \"" + *transcript_format + "\"");
  }
  li::lint_options lo;
  lo.select = rule_list(select);
  lo.ignore = rule_list(ignore);
  lo.lmtp = lmtp;
  lo.show_undecidable = show_undecidable;
  const std::string text = octets_of(data);
  py::gil_scoped_release nogil;
  const auto report = li::lint(tr::read(text, to), lo);
  if (output == "json") return li::to_json(report);
  if (output == "text") return li::to_text(report, file);
  const li::named_report named[] = {{file, &report}};
  return output == "junit" ? li::to_junit(named) : li::to_sarif(named);
}

}  // namespace

void bind_lint(py::module_& m) {
  m.def("_lint", &run, py::arg("data"), py::arg("format"), py::arg("select"), py::arg("ignore"),
        py::arg("transcript_format"), py::arg("lmtp"), py::arg("show_undecidable"), py::arg("file"));
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
