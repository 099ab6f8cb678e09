// Google Benchmark for the parse entry points over the shared workloads in bench/data/ (the same
// files every peer harness in bench/peers/ reads). One benchmark iteration parses one item, cycling
// through the file, so "Time" is ns per item and items_per_second is items per second.
#include <benchmark/benchmark.h>

#include "workloads.hpp"

namespace {

using namespace smtpspec_bench;

// Reports how many items the parser accepted, so a reader can see that the work was real (and
// compare with the peers' counts).
template <class Parse>
void count(benchmark::State& state, const std::vector<std::string>& items, Parse parse) {
  double ok = 0;
  for (const auto& s : items) ok += parse(s).ok() ? 1 : 0;
  state.counters["accepted"] = ok;
  state.counters["total"] = static_cast<double>(items.size());
}

template <class Parse>
void run(benchmark::State& state, const std::vector<std::string>& items, Parse parse) {
  if (items.empty()) {
    state.SkipWithError("empty workload");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = parse(items[i]);
    benchmark::DoNotOptimize(r);
    if (++i == items.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  count(state, items, parse);
}

void BM_parse_command(benchmark::State& state) {
  run(state, commands(), [](const std::string& s) { return smtpspec::parse_command(s); });
}
void BM_parse_mailbox(benchmark::State& state) {
  run(state, mailboxes(), [](const std::string& s) { return smtpspec::parse_mailbox(s); });
}
void BM_parse_mailbox_invalid(benchmark::State& state) {
  run(state, mailboxes_invalid(), [](const std::string& s) { return smtpspec::parse_mailbox(s); });
}
void BM_parse_path(benchmark::State& state) {
  run(state, paths(), [](const std::string& s) { return smtpspec::parse_path(s); });
}
void BM_parse_domain(benchmark::State& state) {
  run(state, domains(), [](const std::string& s) { return smtpspec::parse_domain(s); });
}

// The canonical JSON of already-parsed commands (what the CLI and the bindings' to_json do).
void BM_to_json(benchmark::State& state) {
  std::vector<smtpspec::result<smtpspec::command>> parsed;
  for (const auto& s : commands()) parsed.push_back(smtpspec::parse_command(s));
  std::size_t i = 0;
  for (auto _ : state) {
    auto json = smtpspec::to_json(parsed[i]);
    benchmark::DoNotOptimize(json);
    if (++i == parsed.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_parse_command);
BENCHMARK(BM_parse_mailbox);
BENCHMARK(BM_parse_mailbox_invalid);
BENCHMARK(BM_parse_path);
BENCHMARK(BM_parse_domain);
BENCHMARK(BM_to_json);

}  // namespace

BENCHMARK_MAIN();
