// smtpspec lint writers: gcc-style text, canonical JSON (conformance/README.md "Lint"), JUnit XML and
// SARIF 2.1.0. Every rule fact (id, RFC, section, level, quote) comes from lint_rules.inc.
#include <cstdio>
#include <string>

#include "json_escape.hpp"
#include "smtpspec/lint.hpp"
#include "transcript_internal.hpp"

namespace smtpspec::lint {

namespace {

using writer = detail::json_writer;

void xml(std::string& out, std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 allows no controls but HT, LF, CR; octets are escaped already, so this is defence.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "?";
        else out.push_back(ch);
    }
  }
}

std::string_view level_name(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    default: return "info";
  }
}

void format_json(writer& w, const report& r) {
  if (r.fmt) w.str(transcript::to_string(*r.fmt));
  else w.null();
}

void caps_json(writer& w, const report& r) {
  if (r.fmt) transcript::detail::capabilities_json(w, transcript::info(*r.fmt));
  else w.null();
}

// {"RULE-NAME":count,…} of the rules with a count, in catalogue order (names are [A-Z0-9-]: no escaping).
void counts_json(writer& w, const std::vector<std::size_t>& v) {
  w.raw("{");
  bool first = true;
  for (const auto& ri : rule_catalogue()) {
    const auto i = static_cast<std::size_t>(ri.id);
    if (i >= v.size() || v[i] == 0) continue;
    w.key(ri.name, first).num(v[i]);
    first = false;
  }
  w.raw("}");
}

}  // namespace

std::string to_text(const report& r, std::string_view file) {
  std::string out;
  for (const auto& f : r.findings) {
    const auto& ri = info(f.rule);
    out += file;
    // Appended piecewise: GCC 12's -Wrestrict misfires on `":" + std::to_string(…) + ": "` at -O3.
    out += ':';
    out += std::to_string(f.line);
    out += ": ";
    out += f.kind == finding_kind::undecidable ? std::string("note") : std::string(level_name(ri.level));
    out += ": ";
    out += ri.name;
    out += " [";
    out += to_string(f.at_fault);
    out += "] ";
    out += f.message;
    if (!f.octets.empty()) {
      out += ": \"";
      out += f.octets;
      out += "\"";
    }
    out += "\n    ";
    out += ri.rfc;
    out += " ";
    out += ri.section;
    out += ": \"";
    out += ri.quote;
    out += "\"\n";
  }
  out += file;
  out += ": " + std::to_string(r.by_severity[2]) + " error(s), " + std::to_string(r.by_severity[1]) +
         " warning(s), " + std::to_string(r.by_severity[0]) + " info, " +
         std::to_string(r.undecidable_total()) + " cannot decide";
  if (r.dropped) out += ", " + std::to_string(r.dropped) + " not shown";
  out += "\n";
  return out;
}

std::string to_json(const report& r) {
  writer w;
  w.raw("{").key("format", true);
  format_json(w, r);
  w.key("capabilities");
  caps_json(w, r);
  w.key("connections").num(r.connections);
  w.key("counts").raw("{").key("error", true).num(r.by_severity[2]).key("warning").num(r.by_severity[1]);
  w.key("info").num(r.by_severity[0]).key("undecidable").num(r.undecidable_total());
  w.key("dropped").num(r.dropped).raw("}");
  w.key("rules");
  counts_json(w, r.per_rule);
  w.key("undecidable_rules");
  counts_json(w, r.undecidable);
  w.key("findings").array(r.findings, [&w](const finding& f) {
    const auto& ri = info(f.rule);
    w.raw("{").key("rule", true).str(ri.name).key("kind").str(to_string(f.kind));
    w.key("severity").str(level_name(ri.level)).key("side").str(to_string(f.at_fault));
    w.key("line").num(f.line).key("offset").num(f.offset).key("event_offset").num(f.event_offset);
    w.key("octets").str(f.octets).key("message").str(f.message);
    w.key("rfc").str(ri.rfc).key("section").str(ri.section).key("url").str(help_uri(ri));
    w.key("quote").str(ri.quote);
    w.raw("}");
  });
  w.raw("}");
  return std::move(w.out);
}

std::string to_junit(std::span<const named_report> reports) {
  std::size_t tests = 0, failures = 0;
  std::string suites;
  for (const auto& nr : reports) {
    const auto& r = *nr.r;
    std::size_t t = 0, fl = 0;
    std::string cases;
    for (const auto& ri : rule_catalogue()) {
      const auto i = static_cast<std::size_t>(ri.id);
      if (i >= r.ran.size() || !r.ran[i]) continue;
      ++t;
      cases += "    <testcase classname=\"";
      xml(cases, nr.file);
      cases += "\" name=\"";
      xml(cases, ri.name);
      cases += "\"";
      const bool failed = r.per_rule[i] > 0 && ri.level != severity::info;
      std::string body;
      for (const auto& f : r.findings) {
        if (f.rule != ri.id || f.kind != finding_kind::decided) continue;
        body += std::string(nr.file) + ":" + std::to_string(f.line) + ": " + f.message;
        if (!f.octets.empty()) body += ": \"" + f.octets + "\"";
        body += "\n";
      }
      if (failed) {
        ++fl;
        cases += ">\n      <failure type=\"";
        xml(cases, level_name(ri.level));
        cases += "\" message=\"";
        xml(cases, std::to_string(r.per_rule[i]) + " finding(s): " + std::string(ri.summary) + " (" +
                       std::string(ri.rfc) + " " + std::string(ri.section) + ")");
        cases += "\">";
        xml(cases, body);
        cases += "</failure>\n    </testcase>\n";
      } else if (r.per_rule[i] > 0) {
        cases += ">\n      <system-out>";
        xml(cases, body);
        cases += "</system-out>\n    </testcase>\n";
      } else {
        cases += "/>\n";
      }
    }
    tests += t;
    failures += fl;
    suites += "  <testsuite name=\"";
    xml(suites, nr.file);
    suites += "\" tests=\"" + std::to_string(t) + "\" failures=\"" + std::to_string(fl) +
              "\" errors=\"0\" skipped=\"0\">\n";
    suites += cases;
    suites += "  </testsuite>\n";
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"smtpspec lint\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\">\n";
  out += suites;
  out += "</testsuites>\n";
  return out;
}

std::string to_sarif(std::span<const named_report> reports) {
  // SARIF 2.1.0 (OASIS): required properties are version and runs; run.tool.driver.name;
  // result.message.text; reportingDescriptor.id; artifactLocation.uri; region startLine >= 1.
  writer w;
  w.raw("{").key("$schema", true).str("https://json.schemastore.org/sarif-2.1.0.json");
  w.key("version").str("2.1.0");
  w.key("runs").raw("[{").key("tool", true).raw("{").key("driver", true).raw("{");
  w.key("name", true).str("smtpspec lint");
  w.key("informationUri").str("https://www.rfc-editor.org/rfc/rfc5321");
  w.key("rules").array(rule_catalogue(), [&w](const rule_info& ri) {
    w.raw("{").key("id", true).str(ri.name);
    w.key("shortDescription").raw("{").key("text", true).str(ri.summary).raw("}");
    w.key("fullDescription").raw("{").key("text", true);
    w.str(std::string(ri.rfc) + " " + std::string(ri.section) + ": " + std::string(ri.quote)).raw("}");
    w.key("helpUri").str(help_uri(ri));
    w.key("defaultConfiguration").raw("{").key("level", true);
    w.str(ri.level == severity::info ? "note" : level_name(ri.level)).raw("}");
    w.key("properties").raw("{").key("side", true).str(to_string(ri.at_fault)).raw("}}");
  });
  w.raw("}}").key("results").raw("[");
  bool first = true;
  for (const auto& nr : reports) {
    for (const auto& f : nr.r->findings) {
      const auto& ri = info(f.rule);
      if (!first) w.raw(",");
      first = false;
      w.raw("{").key("ruleId", true).str(ri.name).key("ruleIndex").num(static_cast<std::size_t>(ri.id));
      w.key("level").str(f.kind == finding_kind::undecidable ? "none"
                         : ri.level == severity::info    ? "note"
                                                         : level_name(ri.level));
      w.key("kind").str(f.kind == finding_kind::undecidable ? "notApplicable" : "fail");
      std::string text = f.message;
      if (!f.octets.empty()) text += ": \"" + f.octets + "\"";
      w.key("message").raw("{").key("text", true).str(text).raw("}");
      w.key("locations").raw("[{").key("physicalLocation", true).raw("{");
      w.key("artifactLocation", true).raw("{").key("uri", true).str(nr.file).raw("}");
      w.key("region").raw("{").key("startLine", true).num(f.line > 0 ? f.line : 1);
      w.key("byteOffset").num(f.offset);  // the event's source line: event_offset counts decoded octets
      w.raw("}}}]}");
    }
  }
  w.raw("]}]}");
  return std::move(w.out);
}

}  // namespace smtpspec::lint
