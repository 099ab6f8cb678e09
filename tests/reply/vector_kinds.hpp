// The issue-4 conformance vector kinds, for any C++ runner (tests/reply/vectors_test.cpp now,
// tests/conformance_runner.cpp once the lead merges them): given a vector object, the canonical
// JSON its input gives. Schema: conformance/README.md, "Replies and status codes".
//   enhanced_status  input: a code string            -> to_json(parse_enhanced_status(input))
//   reply            input: a reply stream (options)  -> to_json(parse_replies(input, options)), an array
//   format_reply     input: {code, enhanced, lines | lines_hex, options} -> to_json(format_reply(...))
//   ehlo             input: a reply stream (options)  -> to_json(parse_ehlo_reply(its first reply)) (issue 3)
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "../support/hex.hpp"
#include "smtpspec/smtpspec.hpp"

namespace smtpspec_issue4 {

using json = nlohmann::json;

using smtpspec_test::from_hex;  // tests/support/hex.hpp

inline bool is_issue4_kind(const std::string& kind) {
  return kind == "enhanced_status" || kind == "reply" || kind == "format_reply" || kind == "ehlo";
}

// The string input of an enhanced_status or reply vector ("input" or "input_hex").
inline std::optional<std::string> string_input(const json& v, std::string& err) {
  if (v.contains("input_hex") && v["input_hex"].is_string()) {
    auto d = from_hex(v["input_hex"].get<std::string>());
    if (!d) err = "input_hex is not an even run of hex digits";
    return d;
  }
  if (v.contains("input") && v["input"].is_string()) return v["input"].get<std::string>();
  err = "no string input or input_hex";
  return std::nullopt;
}

inline std::optional<smtpspec::reply_parse_options> reply_options(const json& v, std::string& err) {
  smtpspec::reply_parse_options o;
  if (!v.contains("options")) return o;
  const json& j = v["options"];
  if (!j.is_object()) {
    err = "options must be an object";
    return std::nullopt;
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() == "max_line" && it->is_number_unsigned()) o.max_line = it->get<std::size_t>();
    else if (it.key() == "max_lines" && it->is_number_unsigned()) o.max_lines = it->get<std::size_t>();
    else if (it.key() == "max_diagnostics" && it->is_number_unsigned()) o.max_diagnostics = it->get<std::size_t>();
    else if (it.key() == "lf_ends_line" && it->is_boolean()) o.lf_ends_line = it->get<bool>();
    else {
      err = "unknown reply option " + it.key();
      return std::nullopt;
    }
  }
  return o;
}

// The canonical JSON for one issue-4 vector, or nullopt with `err` set when the vector is malformed.
inline std::optional<std::string> run(const json& v, std::string& err) {
  const std::string kind = v.value("kind", "");
  if (kind == "enhanced_status") {
    auto in = string_input(v, err);
    if (!in) return std::nullopt;
    return smtpspec::to_json(smtpspec::parse_enhanced_status(*in));
  }
  if (kind == "reply") {
    auto in = string_input(v, err);
    auto o = in ? reply_options(v, err) : std::nullopt;
    if (!in || !o) return std::nullopt;
    const auto rs = smtpspec::parse_replies(*in, *o);
    return smtpspec::to_json(std::span<const smtpspec::reply>(rs));
  }
  if (kind == "ehlo") {
    auto in = string_input(v, err);
    auto o = in ? reply_options(v, err) : std::nullopt;
    if (!in || !o) return std::nullopt;
    const auto rs = smtpspec::parse_replies(*in, *o);
    return smtpspec::to_json(smtpspec::parse_ehlo_reply(rs.empty() ? smtpspec::reply{} : rs.front()));
  }
  if (kind == "format_reply") {
    const json& in = v.value("input", json());
    if (!in.is_object() || !in.contains("code") || !in["code"].is_number_integer()) {
      err = "format_reply input must be an object with an integer code";
      return std::nullopt;
    }
    std::optional<smtpspec::enhanced_status> status;
    if (in.contains("enhanced") && !in["enhanced"].is_null()) {
      const auto s = in["enhanced"].is_string() ? smtpspec::parse_enhanced_status(in["enhanced"].get<std::string>())
                                                : smtpspec::parse_enhanced_status("");
      if (!s.ok()) {
        err = "enhanced must be null or a valid status code";
        return std::nullopt;
      }
      status = s.value();
    }
    std::vector<std::string> lines;
    const bool hex = in.contains("lines_hex");
    const json& list = hex ? in["lines_hex"] : in.value("lines", json::array());
    if (!list.is_array()) {
      err = "lines must be an array of strings";
      return std::nullopt;
    }
    for (const auto& l : list) {
      if (!l.is_string()) {
        err = "lines must be an array of strings";
        return std::nullopt;
      }
      if (hex) {
        auto d = from_hex(l.get<std::string>());
        if (!d) {
          err = "lines_hex entry is not hex";
          return std::nullopt;
        }
        lines.push_back(*d);
      } else {
        lines.push_back(l.get<std::string>());
      }
    }
    smtpspec::format_options o;
    const json& opts = in.value("options", json::object());
    for (auto it = opts.begin(); it != opts.end(); ++it) {
      if (it.key() == "enhanced_codes" && it->is_boolean()) o.enhanced_codes = it->get<bool>();
      else if (it.key() == "max_line" && it->is_number_unsigned()) o.max_line = it->get<std::size_t>();
      else if (it.key() == "utf8" && it->is_boolean()) o.utf8 = it->get<bool>();
      else if (it.key() == "policy" && it->is_string() && (*it == "refuse" || *it == "neutralise"))
        o.policy = *it == "refuse" ? smtpspec::text_policy::refuse : smtpspec::text_policy::neutralise;
      else {
        err = "unknown or malformed format option " + it.key();
        return std::nullopt;
      }
    }
    const std::vector<std::string_view> views(lines.begin(), lines.end());
    return smtpspec::to_json(smtpspec::format_reply(in["code"].get<int>(), status, views, o));
  }
  err = "not an issue-4 kind: \"" + kind + "\"";
  return std::nullopt;
}

}  // namespace smtpspec_issue4
