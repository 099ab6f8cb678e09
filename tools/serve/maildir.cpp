#include "maildir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>
#include <cstdio>
#include <cstring>

namespace smtpspec::serve {

namespace {

constexpr std::size_t buffer_limit = 65536;

std::string errno_text(const char* what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

bool make_dir(const std::string& path) { return ::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST; }

int open_dir(const std::string& path) { return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); }

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

}  // namespace

maildir::~maildir() {
  if (tmp_fd_ >= 0) ::close(tmp_fd_);
  if (new_fd_ >= 0) ::close(new_fd_);
}

std::optional<std::string> maildir::open(const std::string& dir, bool fsync) {
  dir_ = dir;
  pid_ = static_cast<long>(::getpid());
  fsync_ = fsync;
  for (const char* sub : {"", "/tmp", "/new", "/cur"}) {
    const std::string p = dir + sub;
    if (!make_dir(p)) return errno_text("cannot create", p);
  }
  tmp_fd_ = open_dir(dir + "/tmp");
  if (tmp_fd_ < 0) return errno_text("cannot open", dir + "/tmp");
  new_fd_ = open_dir(dir + "/new");
  if (new_fd_ < 0) return errno_text("cannot open", dir + "/new");
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::strcpy(host, "localhost");
  host_.clear();
  for (const char* c = host; *c != '\0'; ++c) {
    if (*c == '/') host_ += "\\057";
    else if (*c == ':') host_ += "\\072";
    else host_.push_back(*c);
  }
  return std::nullopt;
}

std::optional<std::string> maildir::begin(delivery& d) const {
  d.abort();
  timeval tv{};
  ::gettimeofday(&tv, nullptr);
  const auto q = counter_.fetch_add(1, std::memory_order_relaxed) + 1;
  char stem[96];
  std::snprintf(stem, sizeof stem, "%lld.M%06ldP%ldQ%llu.", static_cast<long long>(tv.tv_sec),
                static_cast<long>(tv.tv_usec), pid_, static_cast<unsigned long long>(q));
  d.name_ = stem + host_;
  d.fd_ = ::openat(tmp_fd_, d.name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (d.fd_ < 0) return errno_text("cannot create", dir_ + "/tmp/" + d.name_);
  d.box_ = this;
  d.size_ = 0;
  d.error_.clear();
  d.buffer_.clear();
  if (d.buffer_.capacity() < buffer_limit) d.buffer_.reserve(buffer_limit);
  return std::nullopt;
}

maildir::delivery::~delivery() { abort(); }

void maildir::delivery::flush() {
  if (buffer_.empty()) return;
  if (error_.empty() && !write_all(fd_, buffer_.data(), buffer_.size()))
    error_ = errno_text("cannot write", box_->dir_ + "/tmp/" + name_);
  buffer_.clear();
}

void maildir::delivery::write(std::string_view octets) {
  if (fd_ < 0) return;
  size_ += octets.size();
  if (buffer_.size() + octets.size() <= buffer_limit) {
    buffer_.append(octets);
    return;
  }
  flush();
  if (octets.size() >= buffer_limit) {
    if (error_.empty() && !write_all(fd_, octets.data(), octets.size()))
      error_ = errno_text("cannot write", box_->dir_ + "/tmp/" + name_);
  } else {
    buffer_.append(octets);
  }
}

std::optional<std::string> maildir::delivery::commit() {
  if (fd_ < 0) return std::string("no message");
  flush();
  if (error_.empty() && box_->fsync_ && ::fsync(fd_) != 0)
    error_ = errno_text("cannot fsync", box_->dir_ + "/tmp/" + name_);
  if (::close(fd_) != 0 && error_.empty()) error_ = errno_text("cannot close", box_->dir_ + "/tmp/" + name_);
  fd_ = -1;
  if (error_.empty() && ::renameat(box_->tmp_fd_, name_.c_str(), box_->new_fd_, name_.c_str()) != 0)
    error_ = errno_text("cannot rename into new/", name_);
  if (!error_.empty()) {
    ::unlinkat(box_->tmp_fd_, name_.c_str(), 0);
    return error_;
  }
  // The rename is durable only once the directory is: until then a crash could lose the file.
  if (box_->fsync_ && ::fsync(box_->new_fd_) != 0) {
    error_ = errno_text("cannot fsync", box_->dir_ + "/new");
    ::unlinkat(box_->new_fd_, name_.c_str(), 0);
    return error_;
  }
  return std::nullopt;
}

void maildir::delivery::abort() noexcept {
  if (fd_ < 0) return;
  ::close(fd_);
  fd_ = -1;
  ::unlinkat(box_->tmp_fd_, name_.c_str(), 0);
  buffer_.clear();
}

}  // namespace smtpspec::serve

namespace smtpspec::serve {

std::optional<std::string> maildir::delivery::replace(std::uint64_t offset, std::uint64_t length, std::string_view text) {
  if (fd_ < 0) return std::string("no message");
  flush();
  if (!error_.empty()) return error_;
  if (offset + length > size_) return std::string("edit outside the message");
  const maildir* box = box_;
  const int old_fd = fd_;
  const std::string old_name = name_;
  const std::uint64_t old_size = size_;
  fd_ = -1;  // begin() below must not remove the old file
  delivery fresh;
  if (auto e = box->begin(fresh)) {
    fd_ = old_fd;
    return e;
  }
  const int in = ::openat(box->tmp_fd_, old_name.c_str(), O_RDONLY | O_CLOEXEC);
  std::optional<std::string> err;
  if (in < 0) err = errno_text("cannot reopen", old_name);
  const auto copy = [&](std::uint64_t from, std::uint64_t to) {
    char buf[65536];
    while (!err && from < to) {
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf, to - from));
      const ssize_t n = ::pread(in, buf, want, static_cast<off_t>(from));
      if (n <= 0) {
        if (n < 0 && errno == EINTR) continue;
        err = errno_text("cannot read", old_name);
        break;
      }
      fresh.write(std::string_view(buf, static_cast<std::size_t>(n)));
      from += static_cast<std::uint64_t>(n);
    }
  };
  copy(0, offset);
  if (!err) fresh.write(text);
  copy(offset + length, old_size);
  if (in >= 0) ::close(in);
  ::close(old_fd);
  ::unlinkat(box->tmp_fd_, old_name.c_str(), 0);
  fresh.flush();
  if (!err && fresh.failed()) err = fresh.error();
  // The new file takes the old name, so the name given out (the Received: id) stays true.
  if (!err && ::renameat(box->tmp_fd_, fresh.name_.c_str(), box->tmp_fd_, old_name.c_str()) != 0)
    err = errno_text("cannot rename", fresh.name_);
  if (err) return err;  // `fresh` removes its file
  fd_ = std::exchange(fresh.fd_, -1);
  name_ = old_name;
  size_ = fresh.size_;
  buffer_ = std::move(fresh.buffer_);
  return std::nullopt;
}

}  // namespace smtpspec::serve
