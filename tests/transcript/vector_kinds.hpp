// The transcript conformance vector kind, for the C++ runner (tests/conformance_runner.cpp).
// Schema: conformance/README.md, "Transcripts".
//   transcript  input | input_hex, format (a catalogue name; absent or null: detect),
//               options {max_line, max_messages, sniff_bytes, max_held}  -> to_json(read(input, options))
// Invariant checked on every vector: the streaming reader fed the input in two parts, at every
// split point (every 7th for long inputs), gives the same events, notes and errors.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "../support/hex.hpp"
#include "smtpspec/transcript.hpp"

namespace smtpspec_transcript_vectors {

using json = nlohmann::json;

inline bool is_transcript_kind(const std::string& kind) { return kind == "transcript"; }

struct transcript_outcome {
  std::string json_text;
  std::string invariant;
};

using smtpspec_test::from_hex;  // tests/support/hex.hpp

inline std::optional<transcript_outcome> run(const json& v, std::string& err) {
  namespace t = smtpspec::transcript;
  std::optional<std::string> in;
  if (v.contains("input_hex") && v["input_hex"].is_string()) in = from_hex(v["input_hex"].get<std::string>());
  else if (v.contains("input") && v["input"].is_string()) in = v["input"].get<std::string>();
  if (!in) {
    err = "transcript vectors need input or input_hex";
    return std::nullopt;
  }
  t::options o;
  if (v.contains("format") && !v["format"].is_null()) {
    o.fmt = v["format"].is_string() ? t::format_from_name(v["format"].get<std::string>()) : std::nullopt;
    if (!o.fmt) {
      err = "unknown format " + v["format"].dump();
      return std::nullopt;
    }
  }
  if (v.contains("options")) {
    for (auto it = v["options"].begin(); it != v["options"].end(); ++it) {
      if (!it->is_number_unsigned()) {
        err = "option " + it.key() + " must be a number";
        return std::nullopt;
      }
      const auto n = it->get<std::size_t>();
      if (it.key() == "max_line") o.max_line = n;
      else if (it.key() == "max_messages") o.max_messages = n;
      else if (it.key() == "sniff_bytes") o.sniff_bytes = n;
      else if (it.key() == "max_held") o.max_held = n;
      else {
        err = "unknown transcript option " + it.key();
        return std::nullopt;
      }
    }
  }
  transcript_outcome out;
  const auto whole = t::read(*in, o);
  out.json_text = t::to_json(whole);
  auto digest = [](std::span<const t::event> ev, std::span<const t::message> notes,
                   std::span<const t::message> errors, std::string& to) {
    for (const auto& e : ev) to += t::to_json(e);
    for (const auto& m : notes) to += std::string(t::to_string(m.id)) + std::to_string(m.line) + "," + std::to_string(m.count) + ";";
    for (const auto& m : errors) to += std::string(t::to_string(m.id)) + std::to_string(m.line) + ";";
  };
  std::string want;
  digest(whole.events, whole.notes, whole.errors, want);
  const std::size_t step = in->size() > 400 ? 7 : 1;
  for (std::size_t cut = 0; cut <= in->size(); cut += step) {
    t::reader r(o);
    std::string got_ev, got_msg;
    std::vector<t::event> ev;
    std::vector<t::message> notes, errors;
    auto drain = [&] {
      ev.insert(ev.end(), r.events().begin(), r.events().end());
      notes.insert(notes.end(), r.notes().begin(), r.notes().end());
      errors.insert(errors.end(), r.errors().begin(), r.errors().end());
      r.clear();
    };
    r.feed(std::string_view(*in).substr(0, cut));
    drain();
    r.feed(std::string_view(*in).substr(cut));
    r.finish();
    drain();
    std::string got;
    digest(ev, notes, errors, got);
    if (got != want) {
      out.invariant = "split at " + std::to_string(cut) + " reads differently";
      break;
    }
  }
  return out;
}

}  // namespace smtpspec_transcript_vectors
