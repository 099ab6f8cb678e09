// smtpspec serve — Maildir delivery (https://cr.yp.to/proto/maildir.html): the message is written
// to DIR/tmp/<name>, fsynced, renamed into DIR/new/<name> and DIR/new fsynced, and only then is
// it reported as stored. Names are <seconds>.M<usec>P<pid>Q<counter>.<host>: unique per process
// by the counter, across processes by the pid.
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smtpspec::serve {

class maildir {
 public:
  maildir() = default;
  ~maildir();
  maildir(const maildir&) = delete;
  maildir& operator=(const maildir&) = delete;
  // Creates DIR, DIR/tmp, DIR/new and DIR/cur when missing. Error: the reason.
  [[nodiscard]] std::optional<std::string> open(const std::string& dir, bool fsync);
  [[nodiscard]] bool fsync_enabled() const noexcept { return fsync_; }

  // One message being written. Not thread-safe by itself; a connection owns one at a time.
  class delivery {
   public:
    delivery() = default;
    ~delivery();
    delivery(const delivery&) = delete;
    delivery& operator=(const delivery&) = delete;
    [[nodiscard]] bool active() const noexcept { return fd_ >= 0; }
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
    [[nodiscard]] bool failed() const noexcept { return !error_.empty(); }
    [[nodiscard]] const std::string& error() const noexcept { return error_; }
    // Appends octets (buffered; a write error is remembered and reported by commit()).
    void write(std::string_view octets);
    // fsync (unless disabled), rename into new/, fsync new/. Error: the reason (the tmp file is
    // removed). Afterwards the delivery is inactive.
    [[nodiscard]] std::optional<std::string> commit();
    // Removes the tmp file: nothing of the message stays.
    void abort() noexcept;
    // Replaces octets [offset, offset + length) of what was written by `text` (a milter's header
    // edits): the message is copied to a new tmp file, the old one removed. Error: the reason.
    [[nodiscard]] std::optional<std::string> replace(std::uint64_t offset, std::uint64_t length, std::string_view text);

   private:
    friend class maildir;
    void flush();
    const maildir* box_ = nullptr;
    int fd_ = -1;
    std::string name_;
    std::string buffer_;
    std::uint64_t size_ = 0;
    std::string error_;
  };

  // Starts a message in tmp/. Error: the reason (d stays inactive).
  [[nodiscard]] std::optional<std::string> begin(delivery& d) const;

 private:
  std::string dir_;
  std::string host_;  // the name's host part ('/' and ':' escaped as the Maildir spec says)
  int tmp_fd_ = -1, new_fd_ = -1;
  bool fsync_ = true;
  long pid_ = 0;
  mutable std::atomic<std::uint64_t> counter_{0};
};

}  // namespace smtpspec::serve
