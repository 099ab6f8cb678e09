// The shared benchmark workloads (bench/data/, also read by every peer harness), loaded once.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "smtpspec/smtpspec.hpp"

namespace smtpspec_bench {

inline std::string data_path(const char* name) {
  const char* dir = std::getenv("SMTPSPEC_BENCH_DATA");
  return std::string(dir != nullptr ? dir : SMTPSPEC_BENCH_DATA_DIR) + "/" + name;
}

// One item per line; the LF is removed. `suffix` is appended to each item.
inline std::vector<std::string> load(const char* name, const char* suffix = "") {
  std::ifstream in(data_path(name), std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench: cannot read %s\n", data_path(name).c_str());
    std::exit(2);
  }
  std::vector<std::string> items;
  for (std::string line; std::getline(in, line);) items.push_back(line + suffix);
  return items;
}

// A server hands parse_command the line as received, CRLF included.
inline const std::vector<std::string>& commands() {
  static const auto v = load("commands.txt", "\r\n");
  return v;
}
inline const std::vector<std::string>& mailboxes() {
  static const auto v = load("mailboxes.txt");
  return v;
}
inline const std::vector<std::string>& mailboxes_invalid() {
  static const auto v = load("mailboxes_invalid.txt");
  return v;
}
// "<" Mailbox ">" for every valid mailbox.
inline const std::vector<std::string>& paths() {
  static const auto v = [] {
    std::vector<std::string> out;
    for (const auto& m : mailboxes()) out.push_back("<" + m + ">");
    return out;
  }();
  return v;
}
// The domain (or address literal) of every valid mailbox.
inline const std::vector<std::string>& domains() {
  static const auto v = [] {
    std::vector<std::string> out;
    for (const auto& m : mailboxes()) {
      auto r = smtpspec::parse_mailbox(m);
      if (r) out.emplace_back(r->domain.text);
    }
    return out;
  }();
  return v;
}

}  // namespace smtpspec_bench
