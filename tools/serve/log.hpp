// smtpspec serve — the log: one line per event, "<UTC time> <level> <text>", written whole (one
// write per line, so threads never interleave inside a line).
#pragma once
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "serve.hpp"

namespace smtpspec::serve {

class logger {
 public:
  logger() = default;
  ~logger();
  logger(const logger&) = delete;
  logger& operator=(const logger&) = delete;
  // "-" is stderr. Error: the reason.
  [[nodiscard]] std::optional<std::string> open(const std::string& path, log_level level);
  [[nodiscard]] bool enabled(log_level l) const noexcept { return l <= level_; }
  void write(log_level l, std::string_view text);

 private:
  std::FILE* file_ = stderr;
  bool owned_ = false;
  log_level level_ = log_level::info;
  std::mutex mutex_;
};

// Printable form of client-supplied text for a log line: control octets and DEL as \xHH, at most
// `max` octets.
[[nodiscard]] std::string printable(std::string_view s, std::size_t max = 200);

}  // namespace smtpspec::serve
