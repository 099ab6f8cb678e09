// Issue 6: DATA reader throughput (octets/s) on the server's hot path. Ordinary text (72-octet
// lines), the same fed in 16 KiB socket-sized reads, text with many dot-stuffed lines, long lines
// and bare-LF text under normalize. Target: at least 1 GB/s on ordinary text.
#include <benchmark/benchmark.h>

#include <string>

#include "smtpspec/session.hpp"

namespace {

// About `size` octets of mail-like text ending in CRLF "." CRLF; every `dot_every`th line starts
// with a stuffed dot (0: none); `eol` is the line end.
std::string message(std::size_t size, std::size_t line, std::size_t dot_every, const std::string& eol = "\r\n") {
  static const std::string words = "The quick brown fox jumps over the lazy dog; Lorem ipsum dolor sit amet. ";
  std::string m;
  m.reserve(size + 128);
  std::size_t n = 0;
  while (m.size() < size) {
    std::string l = dot_every != 0 && ++n % dot_every == 0 ? ".." : "";
    while (l.size() < line) l += words.substr(0, line - l.size());
    m += l + eol;
  }
  return m + (eol == "\r\n" ? "" : "\r\n") + ".\r\n";
}

void run(benchmark::State& state, const std::string& in, std::size_t chunk, smtpspec::data_reader_options o = {}) {
  std::string out;
  out.reserve(in.size() * 2);
  for (auto _ : state) {
    smtpspec::data_reader r(o);
    out.clear();
    bool done = false;
    for (std::size_t at = 0; at < in.size() && !done; at += chunk) done = r.feed(std::string_view(in).substr(at, chunk), out).done;
    if (!done) state.SkipWithError("no end of data");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.size()));
}

void BM_DataReader_Text(benchmark::State& state) {
  static const std::string in = message(1 << 20, 72, 0);
  run(state, in, in.size());
}
void BM_DataReader_Text_16K(benchmark::State& state) {
  static const std::string in = message(1 << 20, 72, 0);
  run(state, in, 16384);
}
void BM_DataReader_Text_100K(benchmark::State& state) {
  static const std::string in = message(100 * 1024, 72, 0);
  run(state, in, 16384);
}
void BM_DataReader_DotStuffed(benchmark::State& state) {
  static const std::string in = message(1 << 20, 72, 4);
  run(state, in, 16384);
}
void BM_DataReader_LongLines(benchmark::State& state) {
  static const std::string in = message(1 << 20, 4000, 0);
  run(state, in, 16384);
}
void BM_DataReader_BareLfNormalize(benchmark::State& state) {
  static const std::string in = message(1 << 20, 72, 0, "\n");
  smtpspec::data_reader_options o;
  o.bare_lf = smtpspec::newline_policy::normalize;
  run(state, in, 16384, o);
}

}  // namespace

BENCHMARK(BM_DataReader_Text);
BENCHMARK(BM_DataReader_Text_16K);
BENCHMARK(BM_DataReader_Text_100K);
BENCHMARK(BM_DataReader_DotStuffed);
BENCHMARK(BM_DataReader_LongLines);
BENCHMARK(BM_DataReader_BareLfNormalize);
BENCHMARK_MAIN();
