// The data_reader and proxy conformance vector kinds, for any C++ runner
// (tests/conformance_runner.cpp, tests/session/*_test.cpp). Schema: /work/briefs6 shared facts,
// conformance/README.md:
//   data_reader  options {bare_lf, bare_cr: "reject"|"normalize"|"accept", max_line: N}, input or
//                input_hex -> to_json(reader, feed(input), message)   (one feed() call)
//   proxy        accept "none"|"v1"|"v2"|"any" (default "any"), input or input_hex
//                -> to_json(parse_proxy_header(input, accept))
// Invariants reported as `invariant`: data_reader — every two-part split of the input gives the
// same JSON (consumed summed, messages concatenated); proxy — a done header parses the same from
// exactly its own octets, and every shorter prefix of it is incomplete.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "smtpspec/session.hpp"

namespace smtpspec_session_vectors {

using json = nlohmann::json;

inline bool is_data_proxy_kind(const std::string& kind) { return kind == "data_reader" || kind == "proxy"; }

inline std::optional<std::string> input_of(const json& v, std::string& err) {
  if (v.contains("input") && v["input"].is_string()) return v["input"].get<std::string>();
  if (v.contains("input_hex") && v["input_hex"].is_string()) {
    const std::string hex = v["input_hex"].get<std::string>();
    std::string out;
    if (hex.size() % 2 != 0) {
      err = "input_hex has an odd length";
      return std::nullopt;
    }
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      int b = 0;
      for (std::size_t k = 0; k < 2; ++k) {
        const char c = hex[i + k];
        const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) {
          err = "input_hex must be lower-case hex digits";
          return std::nullopt;
        }
        b = b * 16 + d;
      }
      out.push_back(static_cast<char>(b));
    }
    return out;
  }
  err = "no input or input_hex";
  return std::nullopt;
}

inline std::optional<smtpspec::newline_policy> policy_of(const json& p) {
  if (!p.is_string()) return std::nullopt;
  const auto s = p.get<std::string>();
  if (s == "reject") return smtpspec::newline_policy::reject;
  if (s == "normalize") return smtpspec::newline_policy::normalize;
  if (s == "accept") return smtpspec::newline_policy::accept;
  return std::nullopt;
}

struct outcome {
  std::string json_text;
  std::string invariant;
};

inline std::string reader_json(const smtpspec::data_reader_options& o, const std::string& in, std::size_t cut) {
  smtpspec::data_reader r(o);
  std::string out;
  auto s = r.feed(std::string_view(in).substr(0, cut), out);
  if (!s.done) {
    const auto t = r.feed(std::string_view(in).substr(cut), out);
    s.consumed += t.consumed;
    s.done = t.done;
  }
  return smtpspec::to_json(r, s, out);
}

inline std::optional<outcome> run(const json& v, std::string& err) {
  const std::string kind = v.value("kind", "");
  const auto in = input_of(v, err);
  if (!in) return std::nullopt;
  outcome o;
  if (kind == "data_reader") {
    smtpspec::data_reader_options opt;
    if (v.contains("options")) {
      const auto& os = v["options"];
      if (!os.is_object()) {
        err = "options must be an object";
        return std::nullopt;
      }
      for (auto it = os.begin(); it != os.end(); ++it) {
        if (it.key() == "bare_lf" || it.key() == "bare_cr") {
          const auto p = policy_of(*it);
          if (!p) {
            err = it.key() + " must be reject, normalize or accept";
            return std::nullopt;
          }
          (it.key() == "bare_lf" ? opt.bare_lf : opt.bare_cr) = *p;
        } else if (it.key() == "max_line" && it->is_number_unsigned()) {
          opt.max_line = it->get<std::size_t>();
        } else {
          err = "unknown data_reader option " + it.key();
          return std::nullopt;
        }
      }
    }
    smtpspec::data_reader r(opt);
    std::string out;
    const auto s = r.feed(*in, out);
    o.json_text = smtpspec::to_json(r, s, out);
    for (std::size_t cut = 0; cut <= in->size() && o.invariant.empty(); ++cut)
      if (reader_json(opt, *in, cut) != o.json_text)
        o.invariant = "split at " + std::to_string(cut) + " gives " + reader_json(opt, *in, cut);
    return o;
  }
  if (kind == "proxy") {
    const std::string a = v.value("accept", "any");
    smtpspec::proxy_protocol accept = smtpspec::proxy_protocol::any;
    if (a == "none") accept = smtpspec::proxy_protocol::none;
    else if (a == "v1") accept = smtpspec::proxy_protocol::v1;
    else if (a == "v2") accept = smtpspec::proxy_protocol::v2;
    else if (a != "any") {
      err = "accept must be none, v1, v2 or any";
      return std::nullopt;
    }
    const auto r = smtpspec::parse_proxy_header(*in, accept);
    o.json_text = smtpspec::to_json(r);
    if (r.state == smtpspec::proxy_parse_result::status::done) {
      if (smtpspec::to_json(smtpspec::parse_proxy_header(std::string_view(*in).substr(0, r.consumed), accept)) !=
          o.json_text)
        o.invariant = "the header alone parses differently";
      for (std::size_t k = 0; k < r.consumed && o.invariant.empty(); ++k)
        if (smtpspec::parse_proxy_header(std::string_view(*in).substr(0, k), accept).state !=
            smtpspec::proxy_parse_result::status::incomplete)
          o.invariant = "the prefix of " + std::to_string(k) + " octets is not incomplete";
    }
    return o;
  }
  err = "not a data_reader or proxy vector";
  return std::nullopt;
}

}  // namespace smtpspec_session_vectors
