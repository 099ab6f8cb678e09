// A minimal SMTP server on smtpspec::server_session: plain POSIX sockets, one client at a time.
// It accepts every recipient and prints each message's envelope and size; the session does the
// protocol (replies, pipelining, DATA framing, limits). `smtpspec serve` is the full version.
// Usage: smtpspec_server_example [PORT]   (default 2525; 0: any free port)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <smtpspec/session.hpp>

namespace {

bool write_all(int fd, const std::string& s) {
  for (std::size_t off = 0; off < s.size();) {
    const ssize_t n = ::write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

void serve_client(int fd, const smtpspec::session_config& config) {
  smtpspec::server_session s(config);
  std::size_t size = 0;
  // Every hook the host subscribed to is answered at once here; a real server may answer later.
  auto handle = [&](auto&& self, smtpspec::session_events events) -> void {
    for (const auto& e : events) {
      if (e.kind == smtpspec::event_kind::message_data) size += e.data.size();  // store it for real
      if (e.kind != smtpspec::event_kind::hook || !e.needs_answer) continue;
      smtpspec::hook_response r;
      r.verdict = smtpspec::verdict::ok;  // rcpt: accept; queue: "stored"
      if (e.hook == smtpspec::hook::queue) {
        const auto* t = s.transaction();
        std::printf("message from <%s> to %zu recipient(s), %zu octets\n", t->mail_from.c_str(),
                    t->recipients.size(), size);
        std::fflush(stdout);
        size = 0;
      }
      self(self, s.answer(e.handle, r));
    }
  };
  handle(handle, s.start());
  char buf[16384];
  while (write_all(fd, s.take_output()) && !s.closed()) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    handle(handle, n > 0 ? s.feed(std::string_view(buf, static_cast<std::size_t>(n))) : s.eof());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 2525;
  const int lfd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(lfd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(lfd, 16) != 0) return 1;
  ::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(ntohs(addr.sin_port)));
  std::fflush(stdout);
  smtpspec::session_config config;  // hooks: rcpt and queue, answered above
  for (;;) {
    const int fd = ::accept(lfd, nullptr, nullptr);
    if (fd < 0) continue;
    serve_client(fd, config);
    ::close(fd);
  }
}
