// Google Benchmark for the milter codec: decode and encode throughput (MB/s) over a realistic
// transaction mix, built in memory from the packet layouts of ../shared/milter/PROTOCOL.md: what
// Postfix sends a libmilter filter for one message (OPTNEG, macros before every stage, CONNECT,
// HELO, MAIL with parameters, 3 RCPTs, DATA, 12 headers, a 150 KB body in 65535-octet chunks as
// Postfix fills them, EOM, ABORT) and what an OpenDKIM-like filter answers (CONTINUEs, an added
// DKIM-Signature header, the final decision). bytes_per_second counts wire octets.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "smtpspec/milter.hpp"

namespace {

namespace m = smtpspec::milter;

struct mix {
  std::string to_filter, to_mta;
  std::vector<m::packet> commands, replies;
};

const mix& transaction() {
  static const mix x = [] {
    mix t;
    const auto add = [](std::vector<m::packet>& v, m::packet p) { v.push_back(std::move(p)); };
    auto& c = t.commands;
    add(c, m::make_optneg(m::direction::to_filter, 6, m::SMFI_CURR_ACTS, m::SMFI_CURR_PROT));
    add(c, m::make_macro('C', {{"j", "mx.example.org"}, {"{daemon_name}", "smtpd"}, {"{daemon_addr}", "192.0.2.25"},
                               {"v", "Postfix 3.7.11"}, {"_", "client.example.com [198.51.100.7]"}}));
    add(c, m::make_connect("client.example.com", '4', 41234, "198.51.100.7"));
    add(c, m::make_macro('H', {}));
    add(c, m::make_text(m::packet_kind::smfic_helo, "client.example.com"));
    add(c, m::make_macro('M', {{"i", "4Qx1Yz2abcZ"}, {"{mail_addr}", "sender@example.com"}}));
    add(c, m::make_args(m::packet_kind::smfic_mail, {"<sender@example.com>", "SIZE=153600", "BODY=8BITMIME"}));
    for (const char* r : {"<a@example.net>", "<b@example.net>", "<c@example.net>"}) {
      add(c, m::make_macro('R', {{"{rcpt_addr}", r}}));
      add(c, m::make_args(m::packet_kind::smfic_rcpt, {r, "NOTIFY=SUCCESS,FAILURE"}));
    }
    add(c, m::make_macro('T', {{"i", "4Qx1Yz2abcZ"}}));
    add(c, m::make(m::packet_kind::smfic_data));
    const char* headers[][2] = {{"Received", "from client.example.com (client.example.com [198.51.100.7])\n\tby mx.example.org"},
                                {"From", "Sender <sender@example.com>"}, {"To", "a@example.net, b@example.net"},
                                {"Cc", "c@example.net"}, {"Subject", "Quarterly report"},
                                {"Date", "Sat, 5 Dec 2026 22:47:18 +0000"}, {"Message-Id", "<20261205224718.1@example.com>"},
                                {"MIME-Version", "1.0"}, {"Content-Type", "multipart/mixed; boundary=\"b1\""},
                                {"X-Mailer", "bench"}, {"List-Id", "<reports.example.com>"}, {"Reply-To", "reports@example.com"}};
    for (const auto& h : headers) {
      add(c, m::make_macro('L', {{"i", "4Qx1Yz2abcZ"}}));
      add(c, m::make_header(m::packet_kind::smfic_header, h[0], h[1]));
    }
    add(c, m::make(m::packet_kind::smfic_eoh));
    std::string body;
    while (body.size() < 150000) body += "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n";
    for (std::size_t i = 0; i < body.size(); i += m::body_chunk_size) {
      add(c, m::make_macro('B', {{"i", "4Qx1Yz2abcZ"}}));
      add(c, m::make_data(m::packet_kind::smfic_body, body.substr(i, m::body_chunk_size)));
    }
    add(c, m::make_macro('E', {{"i", "4Qx1Yz2abcZ"}}));
    add(c, m::make_data(m::packet_kind::smfic_bodyeob, ""));
    add(c, m::make(m::packet_kind::smfic_abort));
    auto& r = t.replies;
    add(r, m::make_optneg(m::direction::to_mta, 6, 0x111, 0x100702, {{m::SMFIM_EOH, "i {auth_authen}"}}));
    for (int i = 0; i < 8; ++i) add(r, m::make(m::packet_kind::smfir_continue));
    for (int i = 0; i < 12; ++i) add(r, m::make(m::packet_kind::smfir_continue));
    add(r, m::make(m::packet_kind::smfir_continue));
    add(r, m::make(m::packet_kind::smfir_skip));
    add(r, m::make_header(m::packet_kind::smfir_insheader, "DKIM-Signature",
                          " v=1; a=rsa-sha256; c=relaxed/simple; d=example.com; s=sel;\n\tt=1796510838; "
                          "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n\th=From:To:Subject:Date;\n\tb=" +
                              std::string(344, 'A'),
                          0));
    add(r, m::make(m::packet_kind::smfir_accept));
    for (const auto& p : c) (void)m::encode(p, t.to_filter);
    for (const auto& p : r) (void)m::encode(p, t.to_mta);
    return t;
  }();
  return x;
}

void BM_milter_decode_to_filter(benchmark::State& state) {
  const auto& t = transaction();
  for (auto _ : state) {
    m::decoder d(m::direction::to_filter);
    d.feed(t.to_filter);
    std::size_t n = 0;
    while (auto p = d.next()) n += p->data.size();
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.to_filter.size()));
  state.counters["packets"] = static_cast<double>(t.commands.size());
}

// The same stream arriving in 1460-octet TCP segments.
void BM_milter_decode_segments(benchmark::State& state) {
  const auto& t = transaction();
  const std::string_view s = t.to_filter;
  for (auto _ : state) {
    m::decoder d(m::direction::to_filter);
    for (std::size_t i = 0; i < s.size(); i += 1460) {
      d.feed(s.substr(i, 1460));
      while (auto p = d.next()) benchmark::DoNotOptimize(p);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.size()));
}

void BM_milter_decode_to_mta(benchmark::State& state) {
  const auto& t = transaction();
  for (auto _ : state) {
    auto r = m::decode_all(m::direction::to_mta, t.to_mta);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.to_mta.size()));
}

void BM_milter_encode(benchmark::State& state) {
  const auto& t = transaction();
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (const auto& p : t.commands) (void)m::encode(p, out);
    for (const auto& p : t.replies) (void)m::encode(p, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * (t.to_filter.size() + t.to_mta.size())));
}

// Small packets only (everything but the body chunks): the per-packet cost.
void BM_milter_decode_small_packets(benchmark::State& state) {
  const auto& t = transaction();
  std::string small;
  std::size_t count = 0;
  for (const auto& p : t.commands)
    if (p.kind != m::packet_kind::smfic_body) {
      (void)m::encode(p, small);
      ++count;
    }
  for (auto _ : state) {
    auto r = m::decode_all(m::direction::to_filter, small);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * small.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * count));
}

}  // namespace

BENCHMARK(BM_milter_decode_to_filter);
BENCHMARK(BM_milter_decode_segments);
BENCHMARK(BM_milter_decode_to_mta);
BENCHMARK(BM_milter_decode_small_packets);
BENCHMARK(BM_milter_encode);
BENCHMARK_MAIN();
