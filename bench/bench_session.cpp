// Issue 6: the sans-IO server session alone (no sockets, no disk): a whole transaction of 1 KB and
// 100 KB through feed/answer as `smtpspec serve` drives it (16 KiB reads, every hook answered OK at
// once), and sessions/s for connect-EHLO-QUIT. bench/serve/ measures the real server against peers.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "smtpspec/session.hpp"

namespace {

using smtpspec::event_kind;
using smtpspec::hook_response;
using smtpspec::server_session;
using smtpspec::session_events;
using smtpspec::verdict;

// The client's bytes for one transaction with a message of about `size` octets (76-character lines,
// one in 40 starting with a dot so that unstuffing is exercised).
std::string client_stream(std::size_t size) {
  std::string s = "EHLO client.example\r\nMAIL FROM:<sender@example.org> SIZE=" + std::to_string(size) +
                  "\r\nRCPT TO:<rcpt@example.org>\r\nDATA\r\n";
  s += "From: sender@example.org\r\nTo: rcpt@example.org\r\nSubject: bench\r\n\r\n";
  const std::size_t start = s.size();
  for (int n = 0; s.size() - start < size; ++n) {
    if (n % 40 == 39) s += "..";
    s += "The quick brown fox jumps over the lazy dog, 0123456789 abcdefghijklmnopq\r\n";
  }
  s += ".\r\nQUIT\r\n";
  return s;
}

struct driver {
  std::size_t data_octets = 0, output_octets = 0, queued = 0;

  // Answers every hook OK at once (depth-first, as a synchronous host would) and counts the rest.
  void handle(server_session& s, const session_events& evs) {
    for (const auto& e : evs) {
      if (e.kind == event_kind::message_data) {
        data_octets += e.data.size();
      } else if (e.kind == event_kind::hook && e.needs_answer) {
        if (e.hook == smtpspec::hook::queue) ++queued;
        hook_response r;
        r.verdict = verdict::ok;
        handle(s, s.answer(e.handle, r));
      }
    }
    output_octets += s.take_output().size();
  }
};

void run_stream(benchmark::State& state, const std::string& stream, bool expect_message) {
  const smtpspec::session_config config;  // defaults: rcpt and queue hooks
  constexpr std::size_t read_size = 16384;
  driver d;
  for (auto _ : state) {
    server_session s(config);
    d.handle(s, s.start());
    for (std::size_t pos = 0; pos < stream.size(); pos += read_size) {
      d.handle(s, s.feed(std::string_view(stream).substr(pos, read_size)));
    }
    benchmark::DoNotOptimize(s.closed());
  }
  if (expect_message && d.queued != static_cast<std::size_t>(state.iterations())) {
    state.SkipWithError("the transaction did not reach the queue hook");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * stream.size()));
}

void BM_SessionTransaction(benchmark::State& state) {
  const std::string stream = client_stream(static_cast<std::size_t>(state.range(0)));
  run_stream(state, stream, true);
}
BENCHMARK(BM_SessionTransaction)->Arg(1024)->Arg(100 * 1024);

void BM_SessionConnectEhloQuit(benchmark::State& state) {
  run_stream(state, "EHLO client.example\r\nQUIT\r\n", false);
}
BENCHMARK(BM_SessionConnectEhloQuit);

}  // namespace

BENCHMARK_MAIN();
