#include "log.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

namespace smtpspec::serve {

logger::~logger() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

std::optional<std::string> logger::open(const std::string& path, log_level level) {
  level_ = level;
  if (path.empty() || path == "-") return std::nullopt;
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return "cannot open log file " + path + ": " + std::strerror(errno);
  file_ = f;
  owned_ = true;
  return std::nullopt;
}

void logger::write(log_level l, std::string_view text) {
  if (!enabled(l)) return;
  const auto now = std::chrono::system_clock::now();
  const auto secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[40];
  const int n = std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ ", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  static constexpr std::string_view names[] = {"error ", "info ", "debug "};
  std::string line;
  line.reserve(static_cast<std::size_t>(n) + 8 + text.size());
  line.append(stamp, static_cast<std::size_t>(n > 0 ? n : 0));
  line.append(names[static_cast<int>(l)]);
  line.append(text);
  line.push_back('\n');
  const std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

std::string printable(std::string_view s, std::size_t max) {
  std::string out;
  const bool cut = s.size() > max;
  if (cut) s = s.substr(0, max);
  out.reserve(s.size());
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 15]);
    } else {
      out.push_back(c);
    }
  }
  if (cut) out += "...";
  return out;
}

}  // namespace smtpspec::serve
