// Transcript reader throughput (bytes/s) on ~8 MB generated transcripts: the RFC-style form (plain
// and escaped), swaks, smtplib, a Postfix debug log and the raw capture, read one-shot and streamed
// in 64 KiB chunks (events drained after each chunk, as the linter does).
#include <benchmark/benchmark.h>

#include <string>

#include "smtpspec/transcript.hpp"

namespace {

namespace t = smtpspec::transcript;

// One SMTP transaction per iteration, in the form `line(dir, text)` writes.
template <class Line>
std::string generate(std::size_t size, Line line, std::string head = {}) {
  std::string out = std::move(head);
  for (int i = 0; out.size() < size; ++i) {
    const std::string n = std::to_string(i);
    line(out, 's', "220 mx.example.net ESMTP ready");
    line(out, 'c', "EHLO client" + n + ".example.org");
    line(out, 's', "250-mx.example.net");
    line(out, 's', "250-PIPELINING");
    line(out, 's', "250 SIZE 10240000");
    line(out, 'c', "MAIL FROM:<sender" + n + "@example.org>");
    line(out, 's', "250 2.1.0 Ok");
    line(out, 'c', "RCPT TO:<user" + n + "@example.net>");
    line(out, 's', "250 2.1.5 Ok");
    line(out, 'c', "DATA");
    line(out, 's', "354 End data with <CR><LF>.<CR><LF>");
    for (int k = 0; k < 12; ++k) line(out, 'c', "Line " + std::to_string(k) + " of a message body with some ordinary text in it");
    line(out, 'c', ".");
    line(out, 's', "250 2.0.0 Ok: queued as ABC" + n);
    line(out, 'c', "QUIT");
    line(out, 's', "221 2.0.0 Bye");
  }
  return out;
}

constexpr std::size_t k_size = 8u << 20;

std::string rfc_plain() {
  return generate(k_size, [](std::string& o, char d, const std::string& s) { o += d == 'c' ? "C: " : "S: "; o += s; o += '\n'; });
}
std::string rfc_escaped() {
  return generate(k_size, [](std::string& o, char d, const std::string& s) { o += d == 'c' ? "C: " : "S: "; o += s; o += "\\r\\n\n"; });
}
std::string swaks() {
  return generate(k_size, [](std::string& o, char d, const std::string& s) { o += d == 'c' ? " -> " : "<-  "; o += s; o += '\n'; },
                  "=== Trying 192.0.2.1:25...\n");
}
std::string smtplib() {
  return generate(k_size, [](std::string& o, char d, const std::string& s) {
    o += d == 'c' ? "send: '" : "reply: b'";
    o += s;
    o += "\\r\\n'\n";
  });
}
std::string postfix() {
  return generate(k_size, [](std::string& o, char d, const std::string& s) {
    o += "Nov 22 09:53:05 mx postfix/smtpd[9210]: watchdog_pat: 0x562dce148a90\n";
    o += d == 'c' ? "Nov 22 09:53:05 mx postfix/smtpd[9210]: < unknown[127.0.0.1]: "
                  : "Nov 22 09:53:05 mx postfix/smtpd[9210]: > unknown[127.0.0.1]: ";
    o += s;
    o += '\n';
  });
}
std::string raw() {
  static constexpr char hex[] = "0123456789abcdef";
  return generate(k_size, [](std::string& o, char d, const std::string& s) {
    o += d == 'c' ? "C " : "S ";
    for (unsigned char c : s + "\r\n") {
      o += hex[c >> 4];
      o += hex[c & 15];
    }
    o += '\n';
  }, "#smtpspec-raw 1\n");
}

void one_shot(benchmark::State& state, std::string (*make)()) {
  const std::string in = make();
  std::size_t events = 0;
  for (auto _ : state) {
    const auto tr = t::read(in);
    events = tr.events.size();
    benchmark::DoNotOptimize(events);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
  state.counters["events"] = static_cast<double>(events);
}

void streamed(benchmark::State& state, std::string (*make)()) {
  const std::string in = make();
  for (auto _ : state) {
    t::reader r;
    std::size_t events = 0;
    for (std::size_t i = 0; i < in.size(); i += 1 << 16) {
      r.feed(std::string_view(in).substr(i, 1 << 16));
      events += r.events().size();
      r.clear();
    }
    r.finish();
    benchmark::DoNotOptimize(events);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

BENCHMARK_CAPTURE(streamed, rfc_plain, rfc_plain)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(streamed, rfc_escaped, rfc_escaped)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(one_shot, rfc_plain, rfc_plain)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(streamed, swaks, swaks)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(streamed, smtplib, smtplib)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(streamed, postfix, postfix)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(streamed, raw, raw)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
