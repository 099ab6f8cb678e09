// Lint throughput (bytes/s of transcript) on ~16 MB generated transcripts, read and linted in 64 KiB
// chunks as `smtpspec lint` does (transcript::reader feeding a lint::linter): the RFC-style escaped
// form (exact octets, every rule decidable) and the raw capture (one connection per session).
// Target: ≥ 100 MB/s native (issue 7).
#include <benchmark/benchmark.h>

#include <string>

#include "smtpspec/lint.hpp"
#include "smtpspec/transcript.hpp"

namespace {

namespace t = smtpspec::transcript;
namespace l = smtpspec::lint;

constexpr std::size_t k_size = 16u << 20;

// One connection's greeting and EHLO, then transactions until `size`; `line(dir, text)` writes.
template <class Line, class Connect>
std::string generate(std::size_t size, Line line, Connect connect, std::size_t per_connection,
                     std::string head) {
  std::string out = std::move(head);
  for (std::size_t i = 0; out.size() < size; ++i) {
    const std::string n = std::to_string(i);
    if (i % per_connection == 0) {
      if (i > 0) {
        line(out, 'c', "QUIT");
        line(out, 's', "221 2.0.0 Bye");
        connect(out);
      }
      line(out, 's', "220 mx.example.net ESMTP ready");
      line(out, 'c', "EHLO client.example.org");
      line(out, 's', "250-mx.example.net");
      line(out, 's', "250-PIPELINING");
      line(out, 's', "250-ENHANCEDSTATUSCODES");
      line(out, 's', "250-8BITMIME");
      line(out, 's', "250 SIZE 10240000");
    }
    line(out, 'c', "MAIL FROM:<sender" + n + "@example.org> SIZE=2000");
    line(out, 's', "250 2.1.0 Ok");
    line(out, 'c', "RCPT TO:<user" + n + "@example.net>");
    line(out, 's', "250 2.1.5 Ok");
    line(out, 'c', "DATA");
    line(out, 's', "354 End data with <CR><LF>.<CR><LF>");
    for (int k = 0; k < 24; ++k)
      line(out, 'c', "Line " + std::to_string(k) + " of a message body with some ordinary text in it");
    line(out, 'c', ".");
    line(out, 's', "250 2.0.0 Ok: queued as ABC" + n);
  }
  line(out, 'c', "QUIT");
  line(out, 's', "221 2.0.0 Bye");
  return out;
}

std::string rfc_escaped() {
  return generate(
      k_size,
      [](std::string& o, char d, const std::string& s) {
        o += d == 'c' ? "C: " : "S: ";
        o += s;
        o += "\\r\\n\n";
      },
      [](std::string&) {}, ~std::size_t{0}, {});
}
std::string raw() {
  static constexpr char hex[] = "0123456789abcdef";
  return generate(
      k_size,
      [](std::string& o, char d, const std::string& s) {
        o += d == 'c' ? "C " : "S ";
        for (unsigned char c : s + "\r\n") {
          o.push_back(hex[c >> 4]);
          o.push_back(hex[c & 15]);
        }
        o += '\n';
      },
      [](std::string& o) { o += "O\n"; }, 20, "#smtpspec-raw 1\n");
}

void run(benchmark::State& state, const std::string& text) {
  std::size_t findings = 0;
  for (auto _ : state) {
    t::reader rd;
    l::linter lt;
    for (std::size_t i = 0; i < text.size(); i += 1 << 16) {
      rd.feed(std::string_view(text).substr(i, 1 << 16));
      lt.set_format(rd.current_format());
      for (const auto& e : rd.events()) lt.feed(e);
      rd.clear();
    }
    rd.finish();
    lt.set_format(rd.current_format());
    for (const auto& e : rd.events()) lt.feed(e);
    lt.finish();
    findings = lt.result().findings.size() + lt.result().undecidable_total();
    benchmark::DoNotOptimize(findings);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["findings"] = static_cast<double>(findings);  // a clean corpus: expect 0
}

void BM_lint_rfc_escaped(benchmark::State& s) {
  static const auto text = rfc_escaped();
  run(s, text);
}
void BM_lint_raw(benchmark::State& s) {
  static const auto text = raw();
  run(s, text);
}
BENCHMARK(BM_lint_rfc_escaped)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_lint_raw)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
