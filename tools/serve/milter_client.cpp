#include "milter_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "log.hpp"

namespace smtpspec::serve {

namespace m = smtpspec::milter;

namespace {

constexpr int io_timeout_ms = 30000;  // Postfix milter_command_timeout is 30 s
constexpr std::size_t max_head = 65536;  // a header section larger than this is passed on as body

hook_response tempfail(std::string_view why) {
  hook_response r;
  r.verdict = verdict::denysoft;
  r.code = 451;
  r.status = enhanced_status{4, 7, 1};
  r.message = {std::string(why)};
  return r;
}

// A REPLYCODE text ("550-5.7.1 a\r\n550 5.7.1 b") as a hook response.
hook_response from_replycode(const std::string& text) {
  hook_response r;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find("\r\n", pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 2;
    if (line.size() < 3) continue;
    if (!r.code) r.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    line.remove_prefix(std::min<std::size_t>(4, line.size()));
    const auto sp = line.find(' ');
    const auto st = parse_enhanced_status(line.substr(0, sp));
    if (st.ok()) {
      if (!r.status) r.status = st.value();
      line.remove_prefix(sp == std::string_view::npos ? line.size() : sp + 1);
    }
    std::string l(line);
    // REPLYCODE doubles '%' (printf); the reply does not.
    for (std::size_t i = 0; (i = l.find("%%", i)) != std::string::npos; ++i) l.erase(i, 1);
    r.message.push_back(std::move(l));
  }
  r.verdict = (r.code && *r.code >= 500) ? verdict::deny : verdict::denysoft;
  if (r.code && (*r.code < 400 || *r.code > 599)) r.code.reset();
  return r;
}

bool send_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    pollfd p{fd, POLLOUT, 0};
    if (::poll(&p, 1, io_timeout_ms) <= 0) return false;
    const ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

int connect_to(const milter_target& t) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(t.host.c_str(), std::to_string(t.port).c_str(), &hints, &res) != 0) return -1;
  int fd = -1;
  for (auto* a = res; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      if (errno != EINPROGRESS || ::poll(&p, 1, io_timeout_ms) <= 0 ||
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
        ::close(fd);
        fd = -1;
      }
    }
  }
  ::freeaddrinfo(res);
  if (fd >= 0) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  return fd;
}

}  // namespace

std::optional<milter_target> parse_milter_target(std::string_view spec) {
  if (spec.substr(0, 5) != "inet:") return std::nullopt;
  std::string_view rest = spec.substr(5);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  milter_target t;
  t.spec = std::string(spec);
  t.host = std::string(rest.substr(0, colon));
  if (t.host.size() > 2 && t.host.front() == '[' && t.host.back() == ']') t.host = t.host.substr(1, t.host.size() - 2);
  unsigned long port = 0;
  const auto digits = rest.substr(colon + 1);
  if (digits.empty()) return std::nullopt;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned long>(c - '0');
    if (port > 65535) return std::nullopt;
  }
  t.port = static_cast<std::uint16_t>(port);
  return t;
}

struct milter_chain::link {
  milter_target target;
  int fd = -1;
  m::mta_session session;
  bool failed = false;
  bool accepted = false;  // ACCEPT: no more calls for this transaction
  bool skip_body = false;
};

milter_chain::milter_chain(const std::vector<milter_target>& targets, logger& log, std::uint64_t conn_id,
                           std::string hostname)
    : log_(log), conn_id_(conn_id), hostname_(std::move(hostname)) {
  for (const auto& t : targets) {
    auto* l = new link{t, -1, m::mta_session{}, false, false, false};
    links_.push_back(l);
  }
}

milter_chain::~milter_chain() {
  for (auto* l : links_) {
    if (l->fd >= 0) ::close(l->fd);
    delete l;
  }
}

// One command to one filter, and its final reply.
hook_response milter_chain::call(link& l, const std::function<m::outcome<m::send_status>(m::mta_session&)>& send) {
  if (l.failed) return tempfail("Milter unavailable, try again later");
  if (l.accepted || l.session.closed()) return {};
  const auto fail = [&](const std::string& why) {
    l.failed = true;
    if (l.fd >= 0) ::close(l.fd);
    l.fd = -1;
    log_.write(log_level::error, "conn=" + std::to_string(conn_id_) + " milter " + l.target.spec + ": " + why);
    return tempfail("Milter unavailable, try again later");
  };
  const auto sent = send(l.session);
  if (!sent.ok()) return fail(std::string("cannot send: ") + std::string(m::to_string(sent.error->code)));
  if (!send_all(l.fd, l.session.take_output())) return fail("write failed or timed out");
  hook_response r;
  char buf[16384];
  while (true) {
    while (auto ev = l.session.next_event()) {
      using t = m::mta_event::type;
      switch (ev->kind) {
        case t::negotiated:
        case t::progress:
        case t::modification: break;
        case t::error: return fail(std::string("protocol error: ") + std::string(m::to_string(ev->error->code)));
        case t::shutdown:
          r.verdict = verdict::disconnect;
          r.code = 421;
          r.status = enhanced_status{4, 7, 0};
          r.message = {"Service unavailable"};
          return r;
        case t::reply:
          switch (ev->reply.kind) {
            case m::packet_kind::smfir_accept: l.accepted = true; break;
            case m::packet_kind::smfir_continue: break;
            case m::packet_kind::smfir_skip: l.skip_body = true; break;
            case m::packet_kind::smfir_reject: r.verdict = verdict::deny; break;
            case m::packet_kind::smfir_tempfail: r.verdict = verdict::denysoft; break;
            case m::packet_kind::smfir_discard: discard_ = true; break;
            case m::packet_kind::smfir_replycode: r = from_replycode(ev->reply.text); break;
            default: break;
          }
          // A CONTINUE to a body chunk releases the next one (awaiting a reply again).
          if (!send_all(l.fd, l.session.take_output())) return fail("write failed or timed out");
          if (!l.session.awaiting_reply()) return r;
          break;
      }
    }
    if (!l.session.awaiting_reply()) {
      auto more = l.session.take_output();
      if (more.empty()) return r;
      if (!send_all(l.fd, more)) return fail("write failed or timed out");
      continue;
    }
    pollfd p{l.fd, POLLIN, 0};
    if (::poll(&p, 1, io_timeout_ms) <= 0) return fail("timed out");
    const ssize_t n = ::recv(l.fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      l.session.finish();
      if (l.session.failure() || l.session.awaiting_reply()) return fail("closed the connection");
      return r;
    }
    l.session.feed(std::string_view(buf, static_cast<std::size_t>(n)));
  }
}

hook_response milter_chain::each(const std::function<m::outcome<m::send_status>(m::mta_session&)>& send) {
  for (auto* l : links_) {
    auto r = call(*l, send);
    if (r.verdict != verdict::cont && r.verdict != verdict::ok) return r;
  }
  return {};
}

hook_response milter_chain::connect(const connection_info& c) {
  const std::vector<m::macro_pair> macros{{"j", hostname_}, {"{daemon_name}", "smtpspec"},
                                          {"{client_addr}", c.remote_address}};
  for (auto* l : links_) {
    l->fd = connect_to(l->target);
    if (l->fd < 0) {
      l->failed = true;
      log_.write(log_level::error, "conn=" + std::to_string(conn_id_) + " milter " + l->target.spec + ": cannot connect");
      return tempfail("Milter unavailable, try again later");
    }
    auto r = call(*l, [](m::mta_session& s) { return s.negotiate(); });
    if (r.verdict != verdict::cont) return r;
    const char family = c.remote_address.find(':') != std::string::npos ? '6' : '4';
    const std::string host = c.remote_name.empty() ? "[" + c.remote_address + "]" : c.remote_name;
    r = call(*l, [&](m::mta_session& s) { return s.connect(host, family, c.remote_port, c.remote_address, macros); });
    if (r.verdict != verdict::cont && r.verdict != verdict::ok) return r;
  }
  return {};
}

hook_response milter_chain::helo(std::string_view name) {
  return each([&](m::mta_session& s) { return s.helo(name); });
}

hook_response milter_chain::mail(std::string_view address, const std::vector<session_param>& params,
                                 const connection_info& c) {
  reset_message();
  std::vector<std::string> args{"<" + std::string(address) + ">"};
  for (const auto& p : params) args.push_back(p.value ? p.keyword + "=" + *p.value : p.keyword);
  std::vector<m::macro_pair> macros;
  if (c.authenticated_user) macros.push_back({"{auth_authen}", *c.authenticated_user});
  for (auto* l : links_) {
    l->accepted = false;
    l->skip_body = false;
    // A transaction that ended without a message (RSET, a refused RCPT list): ABORT first.
    const auto st = l->session.state();
    if (!l->failed && st >= m::mta_state::mail && st < m::mta_state::end_of_message) {
      (void)l->session.abort();
      if (!send_all(l->fd, l->session.take_output())) l->failed = true;
    }
  }
  return each([&](m::mta_session& s) { return s.mail(args, macros); });
}

hook_response milter_chain::rcpt(std::string_view address, const std::vector<session_param>& params) {
  std::vector<std::string> args{"<" + std::string(address) + ">"};
  for (const auto& p : params) args.push_back(p.value ? p.keyword + "=" + *p.value : p.keyword);
  return each([&](m::mta_session& s) { return s.rcpt(args); });
}

hook_response milter_chain::data() {
  return each([&](m::mta_session& s) { return s.data(); });
}

void milter_chain::reset_message() {
  in_body_ = eoh_sent_ = discard_ = modified_ = false;
  head_.clear();
  header_length_ = 0;
  headers_.clear();
  body_.clear();
  message_verdict_.reset();
}

void milter_chain::end_headers() {
  // head_ holds the header section (each header with its CRLFs); split it into headers, a line
  // starting with SP or HT continuing the previous one.
  std::size_t pos = 0;
  while (pos < head_.size()) {
    auto end = head_.find("\r\n", pos);
    end = end == std::string::npos ? head_.size() : end + 2;
    const std::string_view line(head_.data() + pos, end - pos);
    if ((line[0] == ' ' || line[0] == '\t') && !headers_.empty()) headers_.back().raw += line;
    else headers_.push_back({std::string(line.substr(0, std::min(line.find(':'), line.size()))), std::string(line)});
    pos = end;
  }
  for (const auto& h : headers_) {
    if (message_verdict_) break;
    const auto colon = h.raw.find(':');
    std::string value = colon == std::string::npos ? std::string() : h.raw.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    while (value.size() >= 2 && value.compare(value.size() - 2, 2, "\r\n") == 0) value.resize(value.size() - 2);
    auto r = each([&](m::mta_session& s) { return s.header(h.name, value); });
    if (r.verdict != verdict::cont && r.verdict != verdict::ok) message_verdict_ = r;
  }
  if (!message_verdict_) {
    auto r = each([](m::mta_session& s) { return s.end_of_headers(); });
    if (r.verdict != verdict::cont && r.verdict != verdict::ok) message_verdict_ = r;
  }
  eoh_sent_ = true;
}

void milter_chain::flush_body() {
  if (body_.empty() || message_verdict_) {
    body_.clear();
    return;
  }
  for (auto* l : links_) {
    if (l->skip_body) continue;
    auto r = call(*l, [&](m::mta_session& s) { return s.body(body_); });
    if (r.verdict != verdict::cont && r.verdict != verdict::ok) {
      message_verdict_ = r;
      break;
    }
  }
  body_.clear();
}

void milter_chain::message_data(std::string_view octets) {
  if (in_body_) {
    body_.append(octets);
    if (body_.size() >= m::body_chunk_size) flush_body();
    return;
  }
  head_.append(octets);
  // The header section ends at the first empty line (or at once, when the message starts with one).
  std::string rest;
  if (head_.compare(0, 2, "\r\n") == 0) {
    rest = head_.substr(2);
    head_.clear();
  } else if (const auto p = head_.find("\r\n\r\n"); p != std::string::npos) {
    rest = head_.substr(p + 4);
    head_.resize(p + 2);
  } else if (head_.size() > max_head) {
    rest = std::exchange(head_, std::string());  // no usable header section: everything is body
  } else {
    return;
  }
  header_length_ = head_.size();
  end_headers();
  in_body_ = true;
  body_ = std::move(rest);
  if (body_.size() >= m::body_chunk_size) flush_body();
}

hook_response milter_chain::end_of_message(std::string_view queue_id) {
  if (!in_body_) {
    // A message without an empty line: all headers.
    header_length_ = head_.size();
    end_headers();
    in_body_ = true;
  }
  flush_body();
  if (message_verdict_) return *message_verdict_;
  const std::vector<m::macro_pair> macros{{"i", std::string(queue_id)}};
  hook_response result;
  for (auto* l : links_) {
    auto r = call(*l, [&](m::mta_session& s) { return s.end_of_message(macros); });
    for (const auto& p : l->session.modifications()) {
      switch (p.kind) {
        case m::packet_kind::smfir_addheader:
        case m::packet_kind::smfir_insheader:
        case m::packet_kind::smfir_chgheader: modified_ = true; break;
        default:
          log_.write(log_level::info, "conn=" + std::to_string(conn_id_) + " milter " + l->target.spec + ": " +
                                          std::string(m::to_string(p.kind)) + " ignored");
      }
    }
    if (r.verdict != verdict::cont && r.verdict != verdict::ok) return r;
  }
  return result;
}

std::optional<std::string> milter_chain::apply(maildir::delivery& d, std::uint64_t header_offset) {
  const auto field = [](const std::string& name, std::string value) {
    // Postfix: a space after the colon unless the value starts with white space; LF-only line
    // ends in a folded value become CRLF.
    std::string v;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\n' && (i == 0 || value[i - 1] != '\r')) v += "\r\n";
      else v.push_back(value[i]);
    }
    const bool space = !v.empty() && (v[0] == ' ' || v[0] == '\t');
    return name + ":" + (space ? "" : " ") + v + "\r\n";
  };
  auto hs = headers_;
  for (auto* l : links_) {
    for (const auto& p : l->session.modifications()) {
      if (p.kind == m::packet_kind::smfir_addheader) {
        hs.push_back({p.name, field(p.name, p.value)});
      } else if (p.kind == m::packet_kind::smfir_insheader) {
        const auto at = std::min<std::size_t>(p.index, hs.size());
        hs.insert(hs.begin() + static_cast<std::ptrdiff_t>(at), header{p.name, field(p.name, p.value)});
      } else if (p.kind == m::packet_kind::smfir_chgheader) {
        std::uint32_t seen = 0;
        const std::string want = [&] {
          std::string s = p.name;
          for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          return s;
        }();
        for (auto it = hs.begin(); it != hs.end(); ++it) {
          std::string n = it->name;
          for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (n != want || ++seen != std::max<std::uint32_t>(p.index, 1)) continue;
          if (p.value.empty()) hs.erase(it);
          else it->raw = field(it->name, p.value);
          break;
        }
      }
    }
  }
  std::string text;
  for (const auto& h : hs) text += h.raw;
  return d.replace(header_offset, header_length_, text);
}

void milter_chain::abort() {
  for (auto* l : links_) {
    const auto st = l->session.state();
    if (l->failed || l->session.closed() || st < m::mta_state::mail || st >= m::mta_state::end_of_message) continue;
    (void)l->session.abort();
    if (!send_all(l->fd, l->session.take_output())) l->failed = true;
  }
  reset_message();
}

void milter_chain::quit() {
  for (auto* l : links_) {
    if (l->fd < 0) continue;
    if (!l->failed && !l->session.closed() && !l->session.awaiting_reply()) {
      (void)l->session.quit();
      (void)send_all(l->fd, l->session.take_output());
    }
    ::close(l->fd);
    l->fd = -1;
  }
}

}  // namespace smtpspec::serve
