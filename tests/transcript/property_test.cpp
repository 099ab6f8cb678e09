// RapidCheck properties of the transcript readers: any split of the input gives the same events,
// notes and errors as the whole; raw captures round-trip; junk never crashes. Plus the bounded
// memory check: 200 MB streamed through the reader grows the max RSS by less than 64 MB.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>
#include <sys/resource.h>

#include <string>
#include <vector>

#include "smtpspec/transcript.hpp"

namespace t = smtpspec::transcript;

namespace {

// Lines of every format, and pieces that break them.
const std::vector<std::string> k_pieces = {
    "S: 220 x\n", "C: EHLO y\n", "C: a\\r\\n\n", "C~: b\\x00\\n\n", "S~: 250 ok\\r\\n\n", "# note\n",
    "R: 250 ok\n", ">>> MAIL FROM:<a@b> \\\n", "    ORCPT=rfc822;a@b\n", "<<< 250 ok\n", "C: <wait>\n",
    "<-  220 x\n", " -> EHLO y\n", " ~> QUIT\n", "=== TLS started with cipher\n", "*** error\n",
    "<   0000: 32 35 30 0D 0A    250..\n", "  > 0000: 51 55 49 54 0D 0A    QUIT..\n", "  > 0006: 41\n",
    "send: b'QUIT\\r\\n'\n", "reply: b'221 bye\\r\\n'\n", "reply: retcode (221); Msg: b'bye'\n",
    "12:00:00.000001 send: 'x'\n", "send: 'broken\n",
    "Nov 1 00:00:00 h postfix/smtpd[1]: < a[1.2.3.4]: EHLO x\n",
    "Nov 1 00:00:00 h postfix/smtpd[1]: > a[1.2.3.4]: 250 x\n",
    "Nov 1 00:00:00 h postfix/smtpd[1]: connect from a[1.2.3.4]\n", "smtp-sink: EHLO x\n",
    // Interleaved processes (held back and replayed as their own connections).
    "Nov 1 00:00:00 h postfix/smtpd[2]: < b[1.2.3.5]: MAIL FROM:<a@b>\n",
    "Nov 1 00:00:00 h postfix/smtpd[2]: disconnect from b[1.2.3.5]\n",
    "Nov 1 00:00:00 h postfix/smtpd[1]: disconnect from a[1.2.3.4] ehlo=1\n",
    "Nov 1 00:00:00 h postfix/smtp[3]: > mx[1.2.3.6]:25: EHLO y\n",
    "sess=1\rsmtp-sink: .\n", "smtp-sink: connect (AF_INET 1.2.3.4)\n",
    "=====\n", "Follow: tcp,ascii\n", "Follow: tcp,hex\n", "\t5\n", "5\n", "220 x\n", "\r\n", "\n",
    "00000000  32 35 30 0d 0a                    250..\n", "\t00000000  51 55 49 54  QUIT\n",
    "#smtpspec-raw 1\n", "C 51554954\n", "S 3232\n", "T\n", "O\n", "C 5\n", std::string("\0\xff\x16\x03", 4),
    "\xEF\xBB\xBF", "\r", "\\", "'", "\t",
    "2026-11-22 09:55:51,737 mail.log DEBUG _handle_client readline: b'EHLO a\\r\\n'\n",
    "2026-11-22 09:55:51,737 mail.log DEBUG ('127.0.0.1', 1) << b'250 OK'\n",
    "2026-11-22 09:55:51,737 mail.log INFO ('127.0.0.1', 1) >> b'EHLO a'\n",
    "2026-11-22 09:55:51,737 mail.log INFO Peer: ('127.0.0.1', 1)\n"};

std::string assemble(const std::vector<std::size_t>& idx) {
  std::string s;
  for (auto i : idx) s += k_pieces[i % k_pieces.size()];
  return s;
}

std::string streamed(const std::string& in, const t::options& o, std::size_t cut1, std::size_t cut2) {
  t::reader r(o);
  std::string out;
  auto drain = [&] {
    for (const auto& e : r.events()) out += t::to_json(e);
    out += "|";
    for (const auto& m : r.notes()) out += std::string(t::to_string(m.id)) + std::to_string(m.line) + "," + std::to_string(m.count) + ";";
    for (const auto& m : r.errors()) out += std::string(t::to_string(m.id)) + std::to_string(m.line) + ";";
    r.clear();
  };
  r.feed(std::string_view(in).substr(0, cut1));
  r.feed(std::string_view(in).substr(cut1, cut2 - cut1));
  r.feed(std::string_view(in).substr(cut2));
  r.finish();
  drain();
  return out;
}

}  // namespace

RC_GTEST_PROP(TranscriptProperty, AnySplitGivesTheSameTranscript, (std::vector<std::size_t> idx, std::size_t a, std::size_t b)) {
  const std::string in = assemble(idx);
  t::options o;
  const auto n = static_cast<int>(t::format_catalogue().size());
  const int which = *rc::gen::inRange(0, n + 1);
  if (which < n) o.fmt = static_cast<t::format>(which);
  o.sniff_bytes = *rc::gen::element<std::size_t>(0, 16, 1 << 16);
  o.max_held = *rc::gen::element<std::size_t>(200, 1 << 24);  // postfix_debug: overflowing or not
  std::size_t c1 = in.empty() ? 0 : a % (in.size() + 1);
  std::size_t c2 = in.empty() ? 0 : b % (in.size() + 1);
  if (c1 > c2) std::swap(c1, c2);
  // The same options, fed whole, then in three pieces: the same events, notes and errors.
  RC_ASSERT(streamed(in, o, in.size(), in.size()) == streamed(in, o, c1, c2));
  // And the one-shot reader agrees with the stream and writes valid offsets.
  const auto tr = t::read(in, o);
  for (const auto& e : tr.events) {
    RC_ASSERT(e.offset <= in.size());
    RC_ASSERT(e.line >= 1);
  }
  for (const auto& e : tr.errors) RC_ASSERT(e.line >= 1);
}

RC_GTEST_PROP(TranscriptProperty, RawCapturesRoundTrip, (std::vector<std::pair<bool, std::string>> writes)) {
  std::vector<t::event> ev;
  for (auto& [client, octets] : writes) {
    t::event e;
    e.dir = client ? t::direction::client : t::direction::server;
    e.before = t::boundary::write;
    e.exact = true;
    e.octets = octets;
    ev.push_back(e);
  }
  const auto tr = t::read(t::to_raw(ev));
  RC_ASSERT(tr.fmt == t::format::raw);
  RC_ASSERT(tr.ok());
  RC_ASSERT(tr.events.size() == ev.size());
  for (std::size_t i = 0; i < ev.size(); ++i) {
    RC_ASSERT(tr.events[i].dir == ev[i].dir);
    RC_ASSERT(tr.events[i].octets == ev[i].octets);
    RC_ASSERT(tr.events[i].line == i + 2);
  }
}

RC_GTEST_PROP(TranscriptProperty, JunkNeverCrashes, (std::string junk)) {
  for (int f = -1; f < static_cast<int>(t::format_catalogue().size()); ++f) {
    t::options o;
    if (f >= 0) o.fmt = static_cast<t::format>(f);
    o.max_line = 64;
    const auto tr = t::read(junk, o);
    RC_ASSERT(tr.octets == junk.size());
    (void)t::to_json(tr);
  }
}

namespace {
long max_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}
}  // namespace

// 200 MB of RFC-style transcript fed in 64 KiB chunks, drained after each: memory stays bounded.
TEST(TranscriptMemory, TwoHundredMegabytesStreamInBoundedMemory) {
#if defined(__SANITIZE_ADDRESS__)
  // ASan's quarantine keeps freed blocks out of reuse, so max RSS measures ASan, not the reader.
  GTEST_SKIP() << "memory bound measured in the non-sanitized build";
#endif
  std::string block;
  for (int i = 0; block.size() < (1u << 16); ++i) {
    block += "C: MAIL FROM:<sender" + std::to_string(i) + "@example.org>\\r\\n\n";
    block += "S: 250 2.1.0 Ok\\r\\n\n";
    block += "C: DATA line with bare LF\\n\n";
  }
  const long before = max_rss_kb();
  t::options o;
  o.fmt = t::format::rfc;
  t::reader r(o);
  std::size_t fed = 0, events = 0;
  while (fed < 200u * 1000 * 1000) {
    r.feed(block);
    fed += block.size();
    events += r.events().size();
    r.clear();
  }
  r.finish();
  events += r.events().size();
  const long grown_kb = max_rss_kb() - before;
  EXPECT_LT(grown_kb, 64 * 1024) << "max RSS grew by " << grown_kb << " KiB";
  EXPECT_GT(events, 3u * 1000 * 1000);
  EXPECT_EQ(r.octets(), fed);
}
