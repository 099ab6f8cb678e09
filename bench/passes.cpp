// Parses one workload a fixed number of times, untimed: the program bench/run.sh runs under
// callgrind, because instructions per item do not change with the machine's load the way
// nanoseconds do.
//   smtpspec_bench_passes <commands|mailboxes|mailboxes_invalid|paths|domains|to_json> <passes>
// Prints the item count. Only run_passes() is meant to be measured (--toggle-collect=run_passes).
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "workloads.hpp"

namespace {

using namespace smtpspec_bench;

std::size_t sink = 0;

template <class Parse>
[[gnu::noinline]] void run_passes(const std::vector<std::string>& items, int passes, Parse parse) {
  for (int p = 0; p < passes; ++p) {
    for (const auto& s : items) sink += parse(s);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: smtpspec_bench_passes <workload> <passes>\n";
    return 2;
  }
  const std::string_view w = argv[1];
  const int passes = std::atoi(argv[2]);
  const auto ok = [](const auto& r) { return r.ok() ? 1u : 0u; };
  std::size_t n = 0;
  if (w == "commands") {
    n = commands().size();
    run_passes(commands(), passes, [&](const std::string& s) { return ok(smtpspec::parse_command(s)); });
  } else if (w == "mailboxes" || w == "mailboxes_invalid") {
    const auto& items = w == "mailboxes" ? mailboxes() : mailboxes_invalid();
    n = items.size();
    run_passes(items, passes, [&](const std::string& s) { return ok(smtpspec::parse_mailbox(s)); });
  } else if (w == "paths") {
    n = paths().size();
    run_passes(paths(), passes, [&](const std::string& s) { return ok(smtpspec::parse_path(s)); });
  } else if (w == "domains") {
    n = domains().size();
    run_passes(domains(), passes, [&](const std::string& s) { return ok(smtpspec::parse_domain(s)); });
  } else if (w == "to_json") {
    // Parse and serialise: subtract the commands figure to get to_json alone.
    n = commands().size();
    run_passes(commands(), passes, [&](const std::string& s) { return smtpspec::to_json(smtpspec::parse_command(s)).size(); });
  } else {
    std::cerr << "unknown workload " << w << "\n";
    return 2;
  }
  std::cout << n << "\n";
  return sink == 42 ? 1 : 0;
}
