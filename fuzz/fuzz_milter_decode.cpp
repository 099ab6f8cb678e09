// Fuzz target for the milter decoder. Byte 0: bit 0 picks the direction (to_filter / to_mta), bit 1
// decodes as a conversation instead, bit 2 lowers max_payload to 64; byte 1 is a split point; the rest
// is the stream. Invariants (a violation traps): the split changes nothing, error offsets stay in the
// stream, the JSON is valid, and every decoded packet re-encodes to the octets it came from.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smtpspec/milter.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = smtpspec::milter;
  if (size < 2) return 0;
  const auto dir = (data[0] & 1) ? m::direction::to_mta : m::direction::to_filter;
  m::decoder_options o;
  if (data[0] & 4) o.max_payload = 64;
  const std::string_view s(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = s.empty() ? 0 : data[1] % (s.size() + 1);

  const auto whole = (data[0] & 2) ? m::decode_conversation(s, o) : m::decode_all(dir, s, o);
  const std::string j = m::to_json(whole);
  require(nlohmann::json::accept(j));
  if (whole.error) require(whole.error->offset <= s.size());
  std::string again;
  for (const auto& p : whole.packets) require(!m::encode(p, again, m::encoder_options{o.max_payload}));
  require(s.substr(0, again.size()) == again);
  if (data[0] & 2) return 0;
  m::decoder d(dir, o);
  d.feed(s.substr(0, cut));
  d.feed(s.substr(cut));
  d.finish();
  m::decoded_stream split;
  while (auto p = d.next()) split.packets.push_back(std::move(*p));
  split.error = d.error();
  require(m::to_json(split) == j);
  return 0;
}
