// The MTA side of the real-peer tests: drives a filter listening on 127.0.0.1:PORT through one complete
// transaction with smtpspec::milter::mta_session (a socket loop around the sans-IO session), and writes
// what happened as JSON lines on stdout for tests/peers/run_peers.py to check:
//   {"step":"connect","status":"awaiting_reply"}     each command asked of the session
//   {"event":"reply","packet":{…},"answers":…}      each event (milter::to_json(mta_event))
//   {"done":true,"state":"closed"}                    the end, when nothing went wrong
// Exit status 0 when the conversation ran to QUIT, 1 on a protocol error, timeout or socket
// failure (a line {"failure":"…"} says which), 2 on bad usage.
//
// Usage: milter_mta_drive --port P --message FILE [--from ADDR] [--rcpt ADDR]… [--client-addr IP]
//          [--client-name NAME] [--helo NAME] [--queue-id ID] [--timeout SECONDS]
// FILE is an RFC 5322 message (LF or CRLF line ends). Headers go out as HEADER packets the way
// Postfix sends them (folded lines joined by "\n", one space after the colon removed unless the filter
// negotiated HDR_LEADSPC), the body with CRLF line ends.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "smtpspec/milter.hpp"

namespace milter = smtpspec::milter;
using milter::packet_kind;

namespace {

struct config {
  int port = 0;
  std::string message_file, from = "<sender@example.org>", client_addr = "127.0.0.1",
                            client_name = "localhost", helo = "client.example.org", queue_id = "4ABCDE1234";
  std::vector<std::string> rcpts;
  int timeout_ms = 10000;
};

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: milter_mta_drive --port P --message FILE [--from ADDR] [--rcpt ADDR]... "
               "[--client-addr IP] [--client-name NAME] [--helo NAME] [--queue-id ID] [--timeout S]\n");
  std::exit(2);
}

[[noreturn]] void fail(std::string_view why) {
  std::printf("{\"failure\":\"%.*s\"}\n", static_cast<int>(why.size()), why.data());
  std::fflush(stdout);
  std::exit(1);
}

struct header_field {
  std::string name, value;  // value: everything after the colon, folded lines joined by "\n"
};

// Splits an RFC 5322 message into header fields and a CRLF body.
void split_message(const std::string& text, std::vector<header_field>& headers, std::string& body) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(at, nl - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    at = nl + 1;
  }
  std::size_t i = 0;
  for (; i < lines.size() && !lines[i].empty(); ++i) {
    const std::string& l = lines[i];
    if ((l[0] == ' ' || l[0] == '\t') && !headers.empty()) {
      headers.back().value += "\n" + l;
      continue;
    }
    const std::size_t colon = l.find(':');
    if (colon == std::string::npos) fail("message header line without a colon");
    headers.push_back({l.substr(0, colon), l.substr(colon + 1)});
  }
  for (++i; i < lines.size(); ++i) body += lines[i] + "\r\n";
}

class driver {
 public:
  driver(int fd, int timeout_ms) : fd_(fd), timeout_ms_(timeout_ms) {}

  // Writes the session's output, then reads until no reply is due; every event is printed. The last
  // final reply is kept in last_.
  void pump() {
    for (;;) {
      flush();
      while (auto ev = s.next_event()) on_event(*ev);
      if (s.failure()) fail("protocol error");
      if (!s.awaiting_reply()) {
        flush();
        return;
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms_) <= 0) fail("timeout waiting for the filter");
      char buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) s.feed(std::string_view(buf, static_cast<std::size_t>(n)));
      else s.finish();
    }
  }

  // Runs one command: prints its status and waits for its reply when one is due.
  void step(const char* name, const milter::outcome<milter::send_status>& r) {
    if (!r.ok()) {
      std::printf("{\"step\":\"%s\",\"error\":%s}\n", name, milter::to_json(*r.error).c_str());
      fail("session refused a command");
    }
    static constexpr const char* names[] = {"awaiting_reply", "no_reply", "skipped"};
    std::printf("{\"step\":\"%s\",\"status\":\"%s\"}\n", name, names[static_cast<int>(*r.value)]);
    last_ = packet_kind::smfir_continue;  // what a skipped or unanswered command amounts to
    pump();
  }

  // Whether the last command's reply lets the transaction go on.
  [[nodiscard]] bool go_on() const {
    return last_ == packet_kind::smfir_continue || last_ == packet_kind::smfir_skip;
  }

  milter::mta_session s;

 private:
  void on_event(const milter::mta_event& ev) {
    std::printf("%s\n", milter::to_json(ev).c_str());
    if (ev.kind == milter::mta_event::type::reply) last_ = ev.reply.kind;
  }
  void flush() {
    std::string out = s.take_output();
    std::string_view v = out;
    while (!v.empty()) {
      const ssize_t n = ::send(fd_, v.data(), v.size(), MSG_NOSIGNAL);
      if (n <= 0) fail("cannot write to the filter");
      v.remove_prefix(static_cast<std::size_t>(n));
    }
    std::fflush(stdout);
  }
  int fd_;
  int timeout_ms_;
  packet_kind last_ = packet_kind::smfir_continue;
};

// A filter that is still starting up refuses the connection: retry until the timeout.
int connect_loopback(int port, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
    if (fd >= 0) ::close(fd);
    if (std::chrono::steady_clock::now() > deadline) fail("cannot connect to the filter");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

int main(int argc, char** argv) {
  config c;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) usage();
    const char* v = argv[++i];
    if (a == "--port") c.port = std::atoi(v);
    else if (a == "--message") c.message_file = v;
    else if (a == "--from") c.from = v;
    else if (a == "--rcpt") c.rcpts.emplace_back(v);
    else if (a == "--client-addr") c.client_addr = v;
    else if (a == "--client-name") c.client_name = v;
    else if (a == "--helo") c.helo = v;
    else if (a == "--queue-id") c.queue_id = v;
    else if (a == "--timeout") c.timeout_ms = std::atoi(v) * 1000;
    else usage();
  }
  if (c.port <= 0 || c.message_file.empty()) usage();
  if (c.rcpts.empty()) c.rcpts.emplace_back("<rcpt@example.test>");
  std::ifstream in(c.message_file, std::ios::binary);
  if (!in) fail("cannot read the message file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<header_field> headers;
  std::string body;
  split_message(ss.str(), headers, body);

  driver d(connect_loopback(c.port, c.timeout_ms), c.timeout_ms);
  auto& s = d.s;
  using mp = milter::macro_pair;
  // The macros Postfix sends by default (PROTOCOL.md §7); the session sends only those the filter's
  // symbol lists name, when it sent lists.
  const std::vector<mp> conn_macros = {{"j", "mx.peers.test"},
                                       {"{daemon_name}", "smtpspec-peers"},
                                       {"{daemon_addr}", "127.0.0.1"},
                                       {"v", "smtpspec mta_drive"},
                                       {"_", c.client_name + " [" + c.client_addr + "]"}};
  const std::vector<mp> mail_macros = {{"{mail_addr}", c.from.substr(1, c.from.size() - 2)},
                                       {"{mail_mailer}", "smtp"}};
  const std::vector<mp> id = {{"i", c.queue_id}};
  const char family = c.client_addr.find(':') != std::string::npos ? '6' : '4';

  d.step("negotiate", s.negotiate());
  d.step("connect", s.connect(c.client_name, family, 54321, c.client_addr, conn_macros));
  bool transaction = false;
  if (d.go_on()) d.step("helo", s.helo(c.helo));
  if (d.go_on()) {
    d.step("mail", s.mail(std::vector<std::string>{c.from}, mail_macros));
    transaction = d.go_on();
  }
  if (transaction) {
    int accepted = 0;
    for (const auto& r : c.rcpts) {
      const std::vector<mp> rcpt_macros = {{"i", c.queue_id}, {"{rcpt_addr}", r.substr(1, r.size() - 2)},
                                           {"{rcpt_mailer}", "virtual"}};
      d.step("rcpt", s.rcpt(std::vector<std::string>{r}, rcpt_macros));
      if (d.go_on()) ++accepted;
    }
    transaction = accepted > 0;
  }
  if (transaction) {
    d.step("data", s.data(id));
    transaction = d.go_on();
  }
  const bool leadspc = (s.agreed().protocol & milter::SMFIP_HDR_LEADSPC) != 0;
  for (const auto& h : headers) {
    if (!transaction) break;
    std::string_view v = h.value;
    if (!leadspc && !v.empty() && v.front() == ' ') v.remove_prefix(1);
    d.step("header", s.header(h.name, v, id));
    transaction = d.go_on();
  }
  if (transaction) {
    d.step("eoh", s.end_of_headers(id));
    transaction = d.go_on();
  }
  if (transaction) {
    d.step("body", s.body(body, id));
    transaction = d.go_on();
  }
  if (transaction) d.step("eom", s.end_of_message(id));
  // Postfix ends every transaction with ABORT, and the session with QUIT.
  if (s.state() != milter::mta_state::ready && s.state() != milter::mta_state::closed)
    d.step("abort", s.abort());
  d.step("quit", s.quit());
  std::printf("{\"done\":true,\"state\":\"%s\"}\n", std::string(milter::to_string(s.state())).c_str());
  return 0;
}
