// The lint conformance vector kind, for the C++ runner (tests/conformance_runner.cpp).
// Schema: conformance/README.md, "Lint".
//   lint  input | input_hex, options {select: [ID…], ignore: [ID…], transcript_format: NAME,
//         lmtp: bool, show_undecidable: bool}  -> lint::to_json(lint(transcript::read(input), options))
// Invariant checked on every vector: the streaming path the CLI takes (transcript::reader fed in two
// parts into a lint::linter) gives the same JSON, at every 5th split point.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "smtpspec/lint.hpp"
#include "smtpspec/transcript.hpp"
#include "../transcript/vector_kinds.hpp"

namespace smtpspec_lint_vectors {

using json = nlohmann::json;

inline bool is_lint_kind(const std::string& kind) { return kind == "lint"; }

struct lint_outcome {
  std::string json_text;
  std::string invariant;
};

inline bool rule_ids(const json& j, std::vector<std::string>& out, std::string& err) {
  if (!j.is_array()) {
    err = "select/ignore must be arrays of rule ids";
    return false;
  }
  for (const auto& s : j) {
    if (!s.is_string()) {
      err = "select/ignore must be arrays of rule ids";
      return false;
    }
    const auto id = s.get<std::string>();
    if (!id.ends_with("*") && !smtpspec::lint::rule_from_name(id)) {
      err = "unknown rule id " + id;
      return false;
    }
    out.push_back(id);
  }
  return true;
}

inline std::optional<lint_outcome> run(const json& v, std::string& err) {
  namespace t = smtpspec::transcript;
  namespace l = smtpspec::lint;
  std::optional<std::string> in;
  if (v.contains("input_hex") && v["input_hex"].is_string())
    in = smtpspec_test::from_hex(v["input_hex"].get<std::string>());
  else if (v.contains("input") && v["input"].is_string())
    in = v["input"].get<std::string>();
  if (!in) {
    err = "lint vectors need input or input_hex";
    return std::nullopt;
  }
  t::options to;
  l::lint_options lo;
  if (v.contains("options")) {
    const auto& o = v["options"];
    if (!o.is_object()) {
      err = "options must be an object";
      return std::nullopt;
    }
    for (auto it = o.begin(); it != o.end(); ++it) {
      const auto& k = it.key();
      if (k == "select" || k == "ignore") {
        if (!rule_ids(*it, k == "select" ? lo.select : lo.ignore, err)) return std::nullopt;
      } else if (k == "transcript_format") {
        to.fmt = it->is_string() ? t::format_from_name(it->get<std::string>()) : std::nullopt;
        if (!to.fmt) {
          err = "unknown transcript_format " + it->dump();
          return std::nullopt;
        }
      } else if ((k == "lmtp" || k == "show_undecidable") && it->is_boolean()) {
        (k == "lmtp" ? lo.lmtp : lo.show_undecidable) = it->get<bool>();
      } else {
        err = "unknown or mistyped lint option " + k;
        return std::nullopt;
      }
    }
  }
  lint_outcome out;
  out.json_text = l::to_json(l::lint(t::read(*in, to), lo));
  for (std::size_t cut = 0; cut <= in->size(); cut += 5) {
    t::reader rd(to);
    l::linter lt(lo, to.fmt);
    auto drain = [&] {
      lt.set_format(rd.current_format());
      for (const auto& e : rd.events()) lt.feed(e);
      rd.clear();
    };
    rd.feed(std::string_view(*in).substr(0, cut));
    drain();
    rd.feed(std::string_view(*in).substr(cut));
    drain();
    rd.finish();
    drain();
    lt.finish();
    const auto streamed = l::to_json(lt.take());
    if (streamed != out.json_text) {
      out.invariant = "streaming (split at " + std::to_string(cut) + ") gives " + streamed;
      break;
    }
  }
  return out;
}

}  // namespace smtpspec_lint_vectors
