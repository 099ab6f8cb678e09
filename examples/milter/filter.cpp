// An example milter filter on smtpspec's filter-side session (include/smtpspec/milter.hpp):
//   * adds "X-Smtpspec-Filter: example (C++)[; queue-id=…]" to every message it accepts;
//   * rejects the recipient blocked@<any domain> with "550 5.7.1 …".
// Usage: smtpspec_milter_example [PORT] [-v]    (no PORT or 0: any free port)
// It listens on 127.0.0.1 only, prints "listening on 127.0.0.1:PORT" when ready, serves each MTA
// connection on its own thread and runs until killed. Postfix: smtpd_milters = inet:127.0.0.1:PORT.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

#include "smtpspec/address.hpp"
#include "smtpspec/milter.hpp"

namespace milter = smtpspec::milter;
using milter::packet_kind;

namespace {

bool verbose = false;

// RCPT args[0] is the address as the client wrote it, angle brackets included ("<a@b>").
bool is_blocked(const milter::packet& rcpt) {
  if (rcpt.args.empty()) return false;
  const auto path = smtpspec::parse_path(std::string_view(rcpt.args[0]), {}, smtpspec::path_role::forward);
  if (!path.ok() || path.value().kind != smtpspec::path_kind::mailbox) return false;
  std::string local = path.value().mailbox.local_part_value();
  std::transform(local.begin(), local.end(), local.begin(), [](unsigned char c) { return std::tolower(c); });
  return local == "blocked";
}

// The filter's answer to one command; every error is the session's word that the MTA broke the
// protocol (or that we did), and ends the connection.
void on_event(milter::filter_session& s, const milter::filter_event& ev) {
  if (verbose) std::fprintf(stderr, "filter: %s\n", milter::to_json(ev).c_str());
  if (ev.kind == milter::filter_event::type::error)
    std::fprintf(stderr, "filter: protocol error %s\n", milter::to_json(*ev.error).c_str());
  if (ev.kind != milter::filter_event::type::command || !ev.reply_expected) return;
  std::optional<milter::error> e;
  switch (ev.command.kind) {
    case packet_kind::smfic_rcpt:
      if (is_blocked(ev.command)) {
        const std::string_view lines[] = {"Recipient blocked by the smtpspec example filter"};
        e = s.reply_code(550, smtpspec::enhanced_status{5, 7, 1}, lines);
      } else {
        e = s.reply(packet_kind::smfir_continue);
      }
      break;
    case packet_kind::smfic_bodyeob: {
      std::string value = "example (C++)";
      if (auto id = s.macro("i")) value += "; queue-id=" + *id;  // Postfix's queue ID, when sent
      e = s.modify(milter::make_header(packet_kind::smfir_addheader, "X-Smtpspec-Filter", value));
      if (!e) e = s.reply(packet_kind::smfir_accept);
      break;
    }
    default: e = s.reply(packet_kind::smfir_continue); break;
  }
  if (e) std::fprintf(stderr, "filter: cannot answer: %s\n", milter::to_json(*e).c_str());
}

bool send_all(int fd, std::string_view out) {
  while (!out.empty()) {
    const ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    out.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// One MTA connection: bytes in, events, replies out, until QUIT, EOF, a protocol error or 5 minutes
// of silence (an MTA waits for us, never the other way round, except between its commands).
void serve(int fd) {
  timeval tv{300, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  milter::filter_options o;
  o.actions = milter::SMFIF_ADDHDRS;
  milter::filter_session s(o);
  char buf[65536];
  while (!s.closed()) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) s.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    else s.finish();  // EOF, timeout or error: a reply still due becomes a session error
    while (auto ev = s.next_event()) on_event(s, *ev);
    if (!send_all(fd, s.take_output())) break;
  }
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "-v") verbose = true;
    else port = std::atoi(argv[i]);
  }
  std::signal(SIGPIPE, SIG_IGN);
  const int ls = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (ls < 0 || ::bind(ls, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(ls, 16) != 0 ||
      ::getsockname(ls, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    std::perror("smtpspec_milter_example: 127.0.0.1");
    return 1;
  }
  std::printf("listening on 127.0.0.1:%u\n", unsigned{ntohs(a.sin_port)});
  std::fflush(stdout);
  for (;;) {
    const int fd = ::accept(ls, nullptr, nullptr);
    if (fd >= 0) std::thread(serve, fd).detach();
  }
}
