// Fuzz target for parse_proxy_header. Byte 0 picks the accepted versions (0 v1, 1 v2, else any);
// the rest is the connection's first octets. Invariants (a violation traps): the JSON is valid;
// a done header consumes at most the input, parses the same from exactly its own octets, and
// every shorter prefix of it is incomplete; invalid stays invalid whatever follows; incomplete
// never exceeds the largest header (16 + 65535 octets).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smtpspec/session.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  using st = smtpspec::proxy_parse_result::status;
  const auto accept = data[0] == 0 ? smtpspec::proxy_protocol::v1
                      : data[0] == 1 ? smtpspec::proxy_protocol::v2
                                     : smtpspec::proxy_protocol::any;
  const std::string_view s(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto r = smtpspec::parse_proxy_header(s, accept);
  const std::string j = smtpspec::to_json(r);
  require(nlohmann::json::accept(j));
  if (r.state == st::done) {
    require(r.consumed > 0 && r.consumed <= s.size());
    require(smtpspec::to_json(smtpspec::parse_proxy_header(s.substr(0, r.consumed), accept)) == j);
    for (std::size_t k = 0; k < r.consumed; ++k)
      require(smtpspec::parse_proxy_header(s.substr(0, k), accept).state == st::incomplete);
  } else {
    require(r.consumed == 0);
    if (r.state == st::invalid) {
      require(!r.error.empty());
      std::string more(s);
      more += "\r\n";
      require(smtpspec::parse_proxy_header(more, accept).state == st::invalid);
    } else {
      require(s.size() < 16 + 65535);
    }
  }
  return 0;
}
