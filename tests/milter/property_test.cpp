// RapidCheck properties of the milter codec:
//  - encode(p) decodes to p, and re-encoding the decoded packet gives the same octets;
//  - any split of a stream of packets decodes to the same packets;
//  - arbitrary octets never crash the decoder or the sessions, and the decoder's errors say where.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "smtpspec/milter.hpp"

using namespace smtpspec::milter;

namespace {

rc::Gen<std::string> text() {  // NUL-free strings, 8-bit included
  return rc::gen::container<std::string>(rc::gen::suchThat(rc::gen::arbitrary<char>(), [](char c) { return c != '\0'; }));
}
rc::Gen<std::string> nonempty_text() {
  return rc::gen::suchThat(text(), [](const std::string& s) { return !s.empty(); });
}
rc::Gen<std::string> octets() {
  return rc::gen::suchThat(rc::gen::string<std::string>(), [](const std::string& s) { return !s.empty() && s.size() < 2000; });
}

rc::Gen<packet> any_packet() {
  return rc::gen::exec([]() -> packet {
    const auto cat = packet_catalogue();
    const auto& pi = cat[*rc::gen::inRange<std::size_t>(0, cat.size())];
    packet p = make(pi.kind);
    switch (pi.shape) {
      case payload_shape::empty: break;
      case payload_shape::optneg: {
        p.version = *rc::gen::arbitrary<std::uint32_t>();
        p.actions = *rc::gen::arbitrary<std::uint32_t>();
        p.protocol = *rc::gen::arbitrary<std::uint32_t>();
        const auto n = *rc::gen::inRange(0, 3);
        for (int i = 0; i < n; ++i) p.symbol_lists.push_back({*rc::gen::inRange<std::uint32_t>(0, 7), *text()});
        break;
      }
      case payload_shape::macro: {
        p.stage = *rc::gen::elementOf(std::string("CHMRTLNBEU"));
        const auto n = *rc::gen::inRange(0, 4);
        for (int i = 0; i < n; ++i) p.macros.push_back({*text(), *text()});
        break;
      }
      case payload_shape::connect: {
        p.hostname = *text();
        p.family = *rc::gen::elementOf(std::string("46LU"));
        if (p.family == '4') p.address = "192.0.2." + std::to_string(*rc::gen::inRange(0, 256));
        else if (p.family == '6') p.address = *rc::gen::elementOf(std::vector<std::string>{"::1", "2001:db8::7", "IPv6:fe80::1"});
        else if (p.family == 'L') p.address = *text();
        if (p.family != 'U') p.port = *rc::gen::arbitrary<std::uint16_t>();
        break;
      }
      case payload_shape::text: p.text = *nonempty_text(); break;
      case payload_shape::text_args:
        p.text = *nonempty_text();
        if (*rc::gen::arbitrary<bool>()) p.esmtp_args = *text();
        break;
      case payload_shape::args: {
        const auto n = *rc::gen::inRange(1, 4);
        for (int i = 0; i < n; ++i) p.args.push_back(*text());
        break;
      }
      case payload_shape::index_header: p.index = *rc::gen::arbitrary<std::uint32_t>(); [[fallthrough]];
      case payload_shape::header:
        p.name = *text();
        p.value = *text();
        break;
      case payload_shape::bytes: p.data = *octets(); break;
    }
    return p;
  });
}

}  // namespace

RC_GTEST_PROP(MilterProperty, EncodeDecodeRoundTrip, ()) {
  const packet p = *any_packet();
  const auto bytes = encode(p);
  RC_ASSERT(bytes.ok());
  const auto d = decode_all(info(p.kind).direction, *bytes.value);
  RC_ASSERT(!d.error);
  RC_ASSERT(d.packets.size() == 1u);
  RC_ASSERT(d.packets[0] == p);
  RC_ASSERT(*encode(d.packets[0]).value == *bytes.value);
}

RC_GTEST_PROP(MilterProperty, AnySplitDecodesTheSame, ()) {
  const auto dir = *rc::gen::element(direction::to_filter, direction::to_mta);
  const auto packets = *rc::gen::container<std::vector<packet>>(any_packet());
  std::string stream;
  for (const auto& p : packets)
    if (info(p.kind).direction == dir) RC_ASSERT(!encode(p, stream));
  stream += (*rc::gen::string<std::string>()).substr(0, 3);  // maybe a bad tail
  const auto whole = decode_all(dir, stream);
  const auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, stream.size() + 1));
  decoder d(dir);
  std::size_t at = 0;
  std::vector<std::size_t> sorted = cuts;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t c : sorted) {
    d.feed(std::string_view(stream).substr(at, c - at));
    at = c;
  }
  d.feed(std::string_view(stream).substr(at));
  d.finish();
  decoded_stream split;
  while (auto p = d.next()) split.packets.push_back(std::move(*p));
  split.error = d.error();
  RC_ASSERT(to_json(split) == to_json(whole));
}

RC_GTEST_PROP(MilterProperty, ArbitraryOctetsAreHandled, (const std::string& junk)) {
  for (auto dir : {direction::to_filter, direction::to_mta}) {
    const auto r = decode_all(dir, junk);
    if (r.error) RC_ASSERT(r.error->offset <= junk.size());
    else RC_ASSERT(!junk.empty() || r.packets.empty());
  }
  (void)decode_conversation(junk);
  filter_session f;
  f.feed(junk);
  f.finish();
  while (f.next_event()) {
  }
  RC_ASSERT(f.closed());
  mta_session m;
  RC_ASSERT(m.negotiate().ok());
  m.feed(junk);
  m.finish();
  RC_ASSERT(m.closed());
}
