// Fuzz target for filter_session: the input is what an MTA sends. Byte 0 picks the filter's wishes
// (bit 0: NR_HDR, bit 1: SKIP, bit 2: NOHELO|NOMAIL, bit 3: symbol lists) and how the fake filter
// answers (bits 4-6: continue, accept, reject, tempfail, replycode, skip, progress + continue,
// modifications + continue); byte 1 is the feed size. Invariants: no crash, every event has valid
// JSON, the session's output always decodes cleanly as filter -> MTA packets, an error closes it.
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
  m::filter_options o;
  o.actions = m::SMFIF_ADDHDRS | m::SMFIF_CHGBODY | m::SMFIF_QUARANTINE;
  if (data[0] & 1) o.protocol |= m::SMFIP_NR_HDR;
  if (data[0] & 2) o.protocol |= m::SMFIP_SKIP;
  if (data[0] & 4) o.protocol |= m::SMFIP_NOHELO | m::SMFIP_NOMAIL;
  if (data[0] & 8) o.symbol_lists = {{m::SMFIM_CONNECT, "j"}};
  const unsigned answer = (data[0] >> 4) & 7;
  const std::size_t step = 1 + data[1] % 64;
  const std::string_view s(reinterpret_cast<const char*>(data) + 2, size - 2);
  m::filter_session f(o);
  std::string out;
  for (std::size_t i = 0; i < s.size() && !f.closed(); i += step) {
    f.feed(s.substr(i, step));
    while (auto e = f.next_event()) {
      require(nlohmann::json::accept(m::to_json(*e)));
      if (e->kind == m::filter_event::type::error) require(f.closed() && f.failure());
      if (!e->reply_expected) continue;
      const std::string_view lines[] = {"no 100%"};
      switch (answer) {
        case 0: (void)f.reply(m::packet_kind::smfir_continue); break;
        case 1: (void)f.reply(m::packet_kind::smfir_accept); break;
        case 2: (void)f.reply(m::packet_kind::smfir_reject); break;
        case 3: (void)f.reply(m::packet_kind::smfir_tempfail); break;
        case 4: (void)f.reply_code(550, std::nullopt, lines); break;
        case 5:
          if (f.reply(m::packet_kind::smfir_skip)) (void)f.reply(m::packet_kind::smfir_continue);
          break;
        case 6:
          (void)f.progress();
          (void)f.reply(m::packet_kind::smfir_continue);
          break;
        default:
          (void)f.modify(m::make_header(m::packet_kind::smfir_addheader, "X-Fuzz", "1"));
          (void)f.modify(m::make_data(m::packet_kind::smfir_replbody, "body\r\n"));
          (void)f.reply(m::packet_kind::smfir_continue);
      }
      require(!f.reply_due() || f.closed());
    }
    out += f.take_output();
  }
  f.finish();
  while (auto e = f.next_event()) require(nlohmann::json::accept(m::to_json(*e)));
  const auto r = m::decode_all(m::direction::to_mta, out);
  require(!r.error);
  return 0;
}
