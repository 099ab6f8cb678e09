// The milter conformance vector kind, for any C++ runner (tests/conformance_runner.cpp and
// tests/milter/milter_vectors_test.cpp). Schema: conformance/README.md, "Milter".
//   milter_decode  input_hex, direction to_filter | to_mta | conversation, options {max_payload}
//                  -> to_json(decoded_stream)
// Invariants checked on every vector (reported as `invariant`): every two-part split of the input
// decodes to the same JSON (incremental decoder; conversations are decoded whole), and for the
// packets decoded, encode() gives back exactly the octets they came from.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "../support/hex.hpp"
#include "smtpspec/milter.hpp"

namespace smtpspec_milter_vectors {

using json = nlohmann::json;

inline bool is_milter_kind(const std::string& kind) { return kind == "milter_decode"; }

using smtpspec_test::from_hex;  // tests/support/hex.hpp

struct milter_outcome {
  std::string json_text;
  std::string invariant;
};

inline std::optional<milter_outcome> run(const json& v, std::string& err) {
  namespace m = smtpspec::milter;
  const auto in = v.contains("input_hex") && v["input_hex"].is_string() ? from_hex(v["input_hex"].get<std::string>())
                                                                         : std::nullopt;
  if (!in) {
    err = "milter vectors need input_hex";
    return std::nullopt;
  }
  m::decoder_options o;
  if (v.contains("options")) {
    for (auto it = v["options"].begin(); it != v["options"].end(); ++it) {
      if (it.key() == "max_payload" && it->is_number_unsigned()) o.max_payload = it->get<std::uint32_t>();
      else {
        err = "unknown milter option " + it.key();
        return std::nullopt;
      }
    }
  }
  const std::string dir = v.value("direction", "");
  if (dir != "to_filter" && dir != "to_mta" && dir != "conversation") {
    err = "direction must be to_filter, to_mta or conversation";
    return std::nullopt;
  }
  const std::string bytes(*in);  // exact-size copy
  milter_outcome out;
  m::decoded_stream whole;
  if (dir == "conversation") {
    whole = m::decode_conversation(bytes, o);
  } else {
    const auto d = dir == "to_filter" ? m::direction::to_filter : m::direction::to_mta;
    whole = m::decode_all(d, bytes, o);
    for (std::size_t cut = 0; cut <= bytes.size() && out.invariant.empty(); ++cut) {
      m::decoder dec(d, o);
      dec.feed(std::string_view(bytes).substr(0, cut));
      dec.feed(std::string_view(bytes).substr(cut));
      dec.finish();
      m::decoded_stream split;
      while (auto p = dec.next()) split.packets.push_back(std::move(*p));
      split.error = dec.error();
      if (m::to_json(split) != m::to_json(whole)) out.invariant = "split at " + std::to_string(cut) + " differs";
    }
  }
  // Round trip: the packets re-encode to the octets they were decoded from.
  std::string again;
  for (const auto& p : whole.packets)
    if (auto e = m::encode(p, again, m::encoder_options{o.max_payload})) {
      out.invariant += " encode failed: " + std::string(m::to_string(e->code));
      break;
    }
  if (bytes.compare(0, again.size(), again) != 0) out.invariant += " re-encoded packets differ from the input";
  if (!whole.error && again.size() != bytes.size()) out.invariant += " re-encoded length differs";
  out.json_text = m::to_json(whole);
  return out;
}

}  // namespace smtpspec_milter_vectors
