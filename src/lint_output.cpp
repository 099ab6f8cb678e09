// smtpspec lint writers: gcc-style text, canonical JSON (conformance/README.md "Lint"), JUnit XML and
// SARIF 2.1.0. Every rule fact (id, RFC, section, level, quote) comes from lint_rules.inc.
#include <cstdio>
#include <string>

#include "json_escape.hpp"
#include "smtpspec/lint.hpp"

namespace smtpspec::lint {

namespace {

void jstr(std::string& out, std::string_view s) { detail::append_json_text(out, s); }
void jkey(std::string& out, std::string_view k) {
  jstr(out, k);
  out += ":";
}
void jnum(std::string& out, std::size_t n) { out += std::to_string(n); }

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

void caps_json(std::string& out, const report& r) {
  if (!r.fmt) {
    out += "null";
    return;
  }
  const auto& f = transcript::info(*r.fmt);
  out += "{";
  jkey(out, "octets");
  jstr(out, transcript::to_string(f.octets));
  out += ",";
  jkey(out, "write_boundaries");
  jstr(out, transcript::to_string(f.boundaries));
  out += ",";
  jkey(out, "replies");
  jstr(out, transcript::to_string(f.replies));
  out += ",";
  jkey(out, "data");
  jstr(out, transcript::to_string(f.data));
  out += ",";
  jkey(out, "tls");
  jstr(out, transcript::to_string(f.tls));
  out += "}";
}

void counts_json(std::string& out, const std::vector<std::size_t>& v) {
  out += "{";
  bool first = true;
  for (const auto& ri : rule_catalogue()) {
    const auto i = static_cast<std::size_t>(ri.id);
    if (i >= v.size() || v[i] == 0) continue;
    if (!first) out += ",";
    first = false;
    jkey(out, ri.name);
    jnum(out, v[i]);
  }
  out += "}";
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
  std::string out = "{";
  jkey(out, "format");
  if (r.fmt) jstr(out, transcript::to_string(*r.fmt));
  else out += "null";
  out += ",";
  jkey(out, "capabilities");
  caps_json(out, r);
  out += ",";
  jkey(out, "connections");
  jnum(out, r.connections);
  out += ",";
  jkey(out, "counts");
  out += "{";
  jkey(out, "error");
  jnum(out, r.by_severity[2]);
  out += ",";
  jkey(out, "warning");
  jnum(out, r.by_severity[1]);
  out += ",";
  jkey(out, "info");
  jnum(out, r.by_severity[0]);
  out += ",";
  jkey(out, "undecidable");
  jnum(out, r.undecidable_total());
  out += ",";
  jkey(out, "dropped");
  jnum(out, r.dropped);
  out += "},";
  jkey(out, "rules");
  counts_json(out, r.per_rule);
  out += ",";
  jkey(out, "undecidable_rules");
  counts_json(out, r.undecidable);
  out += ",";
  jkey(out, "findings");
  out += "[";
  bool first = true;
  for (const auto& f : r.findings) {
    const auto& ri = info(f.rule);
    if (!first) out += ",";
    first = false;
    out += "{";
    jkey(out, "rule");
    jstr(out, ri.name);
    out += ",";
    jkey(out, "kind");
    jstr(out, to_string(f.kind));
    out += ",";
    jkey(out, "severity");
    jstr(out, level_name(ri.level));
    out += ",";
    jkey(out, "side");
    jstr(out, to_string(f.at_fault));
    out += ",";
    jkey(out, "line");
    jnum(out, f.line);
    out += ",";
    jkey(out, "offset");
    jnum(out, f.offset);
    out += ",";
    jkey(out, "event_offset");
    jnum(out, f.event_offset);
    out += ",";
    jkey(out, "octets");
    jstr(out, f.octets);
    out += ",";
    jkey(out, "message");
    jstr(out, f.message);
    out += ",";
    jkey(out, "rfc");
    jstr(out, ri.rfc);
    out += ",";
    jkey(out, "section");
    jstr(out, ri.section);
    out += ",";
    jkey(out, "url");
    jstr(out, help_uri(ri));
    out += ",";
    jkey(out, "quote");
    jstr(out, ri.quote);
    out += "}";
  }
  out += "]}";
  return out;
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
  std::string out = "{";
  jkey(out, "$schema");
  jstr(out, "https://json.schemastore.org/sarif-2.1.0.json");
  out += ",";
  jkey(out, "version");
  jstr(out, "2.1.0");
  out += ",";
  jkey(out, "runs");
  out += "[{";
  jkey(out, "tool");
  out += "{";
  jkey(out, "driver");
  out += "{";
  jkey(out, "name");
  jstr(out, "smtpspec lint");
  out += ",";
  jkey(out, "informationUri");
  jstr(out, "https://www.rfc-editor.org/rfc/rfc5321");
  out += ",";
  jkey(out, "rules");
  out += "[";
  bool first = true;
  for (const auto& ri : rule_catalogue()) {
    if (!first) out += ",";
    first = false;
    out += "{";
    jkey(out, "id");
    jstr(out, ri.name);
    out += ",";
    jkey(out, "shortDescription");
    out += "{";
    jkey(out, "text");
    jstr(out, ri.summary);
    out += "},";
    jkey(out, "fullDescription");
    out += "{";
    jkey(out, "text");
    jstr(out, std::string(ri.rfc) + " " + std::string(ri.section) + ": " + std::string(ri.quote));
    out += "},";
    jkey(out, "helpUri");
    jstr(out, help_uri(ri));
    out += ",";
    jkey(out, "defaultConfiguration");
    out += "{";
    jkey(out, "level");
    jstr(out, ri.level == severity::info ? "note" : level_name(ri.level));
    out += "},";
    jkey(out, "properties");
    out += "{";
    jkey(out, "side");
    jstr(out, to_string(ri.at_fault));
    out += "}}";
  }
  out += "]}},";
  jkey(out, "results");
  out += "[";
  first = true;
  for (const auto& nr : reports) {
    for (const auto& f : nr.r->findings) {
      const auto& ri = info(f.rule);
      if (!first) out += ",";
      first = false;
      out += "{";
      jkey(out, "ruleId");
      jstr(out, ri.name);
      out += ",";
      jkey(out, "ruleIndex");
      jnum(out, static_cast<std::size_t>(ri.id));
      out += ",";
      jkey(out, "level");
      jstr(out, f.kind == finding_kind::undecidable ? "none"
                : ri.level == severity::info    ? "note"
                                                : level_name(ri.level));
      out += ",";
      jkey(out, "kind");
      jstr(out, f.kind == finding_kind::undecidable ? "notApplicable" : "fail");
      out += ",";
      jkey(out, "message");
      out += "{";
      jkey(out, "text");
      std::string text = f.message;
      if (!f.octets.empty()) text += ": \"" + f.octets + "\"";
      jstr(out, text);
      out += "},";
      jkey(out, "locations");
      out += "[{";
      jkey(out, "physicalLocation");
      out += "{";
      jkey(out, "artifactLocation");
      out += "{";
      jkey(out, "uri");
      jstr(out, nr.file);
      out += "},";
      jkey(out, "region");
      out += "{";
      jkey(out, "startLine");
      jnum(out, f.line > 0 ? f.line : 1);
      out += ",";
      jkey(out, "byteOffset");
      jnum(out, f.offset);  // the event's source line: event_offset counts decoded octets
      out += "}}}]}";
    }
  }
  out += "]}]}";
  return out;
}

}  // namespace smtpspec::lint
