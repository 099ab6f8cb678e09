// Fuzz target for mta_session: the input is what a filter sends back. Byte 0 picks the offer
// (bit 0: version 2 instead of 6, bit 1: no SKIP offered), byte 1 the feed size. The session is
// driven through a whole transaction as far as the filter's answers allow. Invariants: no crash,
// valid JSON for every event, the MTA's output always decodes cleanly as MTA -> filter packets and
// never holds an odd macro list, and an error closes the session.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/milter.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace m = smtpspec::milter;
  if (size < 2) return 0;
  m::mta_options o;
  if (data[0] & 1) {
    o.version = 2;
    o.actions = m::SMFI_V2_ACTS;
    o.protocol = m::SMFI_V2_PROT;
  }
  if (data[0] & 2) o.protocol &= ~m::SMFIP_SKIP;
  const std::size_t step = 1 + data[1] % 64;
  const std::string_view s(reinterpret_cast<const char*>(data) + 2, size - 2);
  m::mta_session ms(o);
  const std::vector<m::macro_pair> macros = {{"j", "mx"}, {"i", "4ABC"}};
  const std::vector<std::string> from = {"<a@example.com>", "SIZE=10"}, to = {"<b@example.net>"};
  int stage = 0;
  const auto advance = [&] {
    // The next command of a transaction, whenever no reply is due.
    while (!ms.closed() && !ms.awaiting_reply() && stage < 12) {
      switch (stage++) {
        case 0: (void)ms.negotiate(); break;
        case 1: (void)ms.connect("client", '4', 25, "192.0.2.1", macros); break;
        case 2: (void)ms.helo("client", macros); break;
        case 3: (void)ms.mail(from, macros); break;
        case 4: (void)ms.rcpt(to, macros); break;
        case 5: (void)ms.data(macros); break;
        case 6: (void)ms.header("Subject", "hi", macros); break;
        case 7: (void)ms.end_of_headers(); break;
        case 8: (void)ms.body(std::string(70000, 'x')); break;
        case 9: (void)ms.end_of_message(macros); break;
        case 10: (void)ms.abort(); break;
        default: (void)ms.quit();
      }
    }
  };
  std::string out;
  advance();
  for (std::size_t i = 0; i < s.size() && !ms.closed(); i += step) {
    ms.feed(s.substr(i, step));
    while (auto e = ms.next_event()) {
      require(nlohmann::json::accept(m::to_json(*e)));
      if (e->kind == m::mta_event::type::error) require(ms.closed() && ms.failure());
    }
    advance();
    out += ms.take_output();
  }
  ms.finish();
  out += ms.take_output();
  const auto r = m::decode_all(m::direction::to_filter, out, m::decoder_options{m::max_payload_1m});
  require(!r.error);
  return 0;
}
