// smtpspec serve — the Asio server: one io_context, --threads threads running it, a strand per
// connection when there is more than one thread. Each connection owns a server_session and does
// what session.hpp asks of a host: feed what it reads, answer hooks, write take_output() in order
// (one write in flight), pause reading when wants_input() is false, enforce timeout_seconds() and
// the minimum data rate, do the TLS handshake on start_tls and close when the session is closed.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "log.hpp"
#include "maildir.hpp"
#include "milter_client.hpp"
#include "serve.hpp"

namespace smtpspec::serve {

namespace {

using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

// Client-supplied text in a header line: no control octets, so the line stays one physical line.
std::string header_safe(std::string_view s) {
  std::string r(s.substr(0, 255));
  for (char& c : r) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = '?';
  }
  return r;
}

std::array<unsigned char, 32> digest(std::string_view s) {
  std::array<unsigned char, 32> d{};
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), d.data(), &n, EVP_sha256(), nullptr);
  return d;
}

// RFC 5322 §3.3 date-time in UTC.
std::string rfc5322_date() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct endpoint_spec {
  std::string host;
  std::uint16_t port = 0;
};

std::optional<endpoint_spec> parse_listen(const std::string& s) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos || colon + 1 == s.size()) return std::nullopt;
  endpoint_spec e;
  e.host = s.substr(0, colon);
  if (e.host.size() >= 2 && e.host.front() == '[' && e.host.back() == ']') e.host = e.host.substr(1, e.host.size() - 2);
  unsigned long port = 0;
  for (std::size_t i = colon + 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned long>(s[i] - '0');
    if (port > 65535) return std::nullopt;
  }
  e.port = static_cast<std::uint16_t>(port);
  return e;
}

class connection;

// What every connection shares. Read-only after start, except the counters and the registry.
struct server {
  options opts;
  session_config config;
  maildir box;
  logger log;
  std::unordered_map<std::string, std::array<unsigned char, 32>> users;  // user -> sha256(password)
  std::vector<std::string> accept_domains;                                // lower case
  std::unordered_set<std::string> reject_recipients;                      // lower case
  std::vector<milter_target> milters;
  std::optional<asio::ssl::context> tls;
  asio::io_context io;
  std::unique_ptr<asio::thread_pool> disk;  // fsync off the event loop; null with --no-fsync
  std::atomic<std::size_t> active{0};
  std::atomic<std::uint64_t> next_id{0};
  std::atomic<bool> stopping{false};
  std::mutex registry_mutex;
  std::unordered_map<std::uint64_t, std::weak_ptr<connection>> registry;
  asio::strand<asio::io_context::executor_type> main{asio::make_strand(io)};
  asio::steady_timer guard{main};  // forces the exit if connections do not end after a signal
  asio::steady_timer accept_pause{io};  // after an accept error (EMFILE): retry shortly, do not spin

  explicit server(unsigned threads) : io(static_cast<int>(threads)) {}
  void unregister(std::uint64_t id);
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(server& srv, tcp::socket sock, std::uint64_t id)
      : srv_(srv), exec_(sock.get_executor()), sock_(std::move(sock)), timer_(exec_), delay_(exec_), id_(id) {}

  // The connection's strand (or the io_context's executor with one thread); the socket moves into
  // the TLS stream, the executor stays.
  [[nodiscard]] const asio::any_io_executor& executor() const { return exec_; }

  void start() {
    connection_info peer;
    std::error_code ec;
    const auto remote = sock_.remote_endpoint(ec);
    if (!ec) {
      peer.remote_address = remote.address().to_string();
      peer.remote_port = remote.port();
    }
    const auto local = sock_.local_endpoint(ec);
    if (!ec) {
      peer.local_address = local.address().to_string();
      peer.local_port = local.port();
    }
    sock_.set_option(tcp::no_delay(true), ec);
    sock_.non_blocking(true, ec);  // read_some after wait_read must not block
    if (srv_.log.enabled(log_level::info))
      log(log_level::info, "connect from " + peer.remote_address + ":" + std::to_string(peer.remote_port));
    session_.emplace(srv_.config, std::move(peer));
    if (!srv_.milters.empty()) milter_.emplace(srv_.milters, srv_.log, id_, srv_.config.hostname);
    handle(session_->start());
    pump();
  }

  // SIGTERM/SIGINT: idle clients get 421 4.3.2, a message being received is dropped; a message
  // being stored is finished first (its reply still goes out).
  void stop() {
    if (done_) return;
    if (queue_busy_) {
      stop_requested_ = true;
      return;
    }
    stop_requested_ = false;
    const auto st = session_->state();
    if (st == session_state::data || st == session_state::bdat || handshaking_) {
      handle(session_->eof());
      close_now();
      return;
    }
    if (!closing_ && !session_->closed()) {
      pending_out_ += "421 4.3.2 " + srv_.config.hostname + " Service shutting down\r\n";
    }
    closing_ = true;
    pump();
  }

 private:
  void log(log_level l, std::string_view text) {
    if (!srv_.log.enabled(l)) return;
    std::string line = "conn=" + std::to_string(id_) + " ";
    line += text;
    srv_.log.write(l, line);
  }

  tcp::socket& raw() { return tls_ ? tls_->next_layer() : sock_; }

  // ---- events ----

  void handle(session_events events) {
    for (auto& e : events) {
      if (done_) return;
      switch (e.kind) {
        case event_kind::hook: on_hook(e); break;
        case event_kind::message_data: on_data(e.data); break;
        case event_kind::message_aborted:
          if (msg_.active()) log(log_level::debug, "message aborted");
          msg_.abort();
          msg_error_ = false;
          if (milter_) milter_->abort();
          break;
        case event_kind::start_tls: tls_wanted_ = true; break;
        case event_kind::close: closing_ = true; break;
        case event_kind::diagnostic:
          if (srv_.log.enabled(log_level::debug) && e.diagnostic)
            log(log_level::debug, "diagnostic " + std::string(to_string(*e.diagnostic)) + " at " + std::to_string(e.offset));
          break;
        case event_kind::slow_down:
          // Postfix smtpd_error_sleep_time: past errors_soft, every reply waits a second.
          slow_ = true;
          break;
      }
    }
  }

  void answer(std::uint64_t handle_id, const hook_response& r) { handle(session_->answer(handle_id, r)); }

  void on_hook(const session_event& e) {
    hook_response r;
    switch (e.hook) {
      case hook::connect:
        if (milter_) r = milter_->connect(session_->connection());
        if (r.verdict == verdict::denysoft) r.code.reset();  // the session's greeting refusal (421)
        break;
      case hook::helo:
      case hook::ehlo:
        log(log_level::debug, std::string(to_string(e.hook)) + " " + printable(e.argument));
        if (milter_) r = milter_->helo(e.argument);
        break;
      case hook::mail:
        log(log_level::debug, "mail from=<" + printable(e.argument) + ">");
        if (milter_) r = milter_->mail(e.argument, e.params, session_->connection());
        break;
      case hook::rcpt: r = on_rcpt(e); break;
      case hook::data:
        if (milter_) r = milter_->data();
        break;
      case hook::data_post:
        if (milter_) r = milter_->end_of_message(msg_.active() ? msg_.name() : std::string());
        if (r.verdict != verdict::cont && r.verdict != verdict::ok) msg_.abort();  // refused: nothing is stored
        break;
      case hook::queue: on_queue(e.handle); return;
      case hook::auth: r = on_auth(e); break;
      case hook::deny:
        log(log_level::debug, "deny " + printable(e.argument) + " " + std::string(to_string(e.verdict)) + " " +
                                  printable(e.reply.substr(0, e.reply.find_last_not_of("\r\n") + 1)));
        break;
      case hook::disconnect: disconnect_reason_ = e.argument; break;
      default: break;
    }
    if (e.needs_answer) answer(e.handle, r);
  }

  hook_response on_rcpt(const session_event& e) {
    hook_response r;
    const std::string addr = lower(e.argument);
    const auto at = addr.rfind('@');
    if (srv_.reject_recipients.count(addr) > 0) {
      r.verdict = verdict::deny;
      r.code = 550;
      r.status = enhanced_status{5, 1, 1};
      r.message = {"Recipient address rejected: user unknown"};
    } else if (at == std::string::npos || srv_.accept_domains.empty() ||
               std::find(srv_.accept_domains.begin(), srv_.accept_domains.end(), addr.substr(at + 1)) !=
                   srv_.accept_domains.end()) {
      // "Postmaster" without a domain is always accepted (RFC 5321 §4.5.1).
      r.verdict = verdict::ok;
    } else {
      r.verdict = verdict::deny;
      r.code = 550;
      r.status = enhanced_status{5, 7, 1};
      r.message = {"Relay access denied"};
    }
    if (r.verdict == verdict::ok && milter_) {
      auto m = milter_->rcpt(e.argument, e.params);
      if (m.verdict != verdict::cont) r = std::move(m);
    }
    log(log_level::debug, "rcpt to=<" + printable(e.argument) + "> " + std::string(to_string(r.verdict)));
    return r;
  }

  hook_response on_auth(const session_event& e) {
    hook_response r;
    const auto it = srv_.users.find(e.username);
    static const auto nobody = digest("\x01no such user\x02");
    const auto given = digest(e.password);
    // The same work whether or not the user exists; CRYPTO_memcmp does not stop at the first difference.
    const bool match = CRYPTO_memcmp(given.data(), (it == srv_.users.end() ? nobody : it->second).data(), 32) == 0;
    // No proxy authorisation: an authzid other than the user itself is refused.
    const bool own = e.authzid.empty() || e.authzid == e.username;
    if (it != srv_.users.end() && match && own && !e.username.empty()) {
      r.verdict = verdict::ok;
      r.user = e.username;
      log(log_level::info, "auth " + printable(e.argument) + " user=" + printable(e.username) + " ok");
    } else {
      r.verdict = verdict::deny;
      log(log_level::info, "auth " + printable(e.argument) + " user=" + printable(e.username) + " failed");
    }
    return r;
  }

  // The two header lines prepended to a delivered message, each one physical line.
  std::string trace_headers() {
    const auto* t = session_->transaction();
    const auto& c = session_->connection();
    std::string h = "Return-Path: <" + header_safe(t ? t->mail_from : std::string()) + ">\r\n";
    std::string proto = srv_.config.lmtp ? "LMTP" : c.esmtp ? "ESMTP" : "SMTP";
    if (t && t->smtputf8) proto = "UTF8" + (proto == "ESMTP" ? std::string("SMTP") : proto);
    if (c.tls) proto += "S";
    if (c.authenticated_user) proto += "A";
    h += "Received: from " + header_safe(c.helo.empty() ? std::string("unknown") : c.helo) + " (" +
         header_safe(c.remote_name.empty() ? std::string("unknown") : c.remote_name) + " [" +
         header_safe(c.remote_address) + "]) by " + header_safe(srv_.config.hostname) + " (smtpspec) with " + proto + " id " +
         msg_.name().substr(0, msg_.name().find('.', msg_.name().find('.') + 1));
    if (t && t->recipients.size() == 1) h += " for <" + header_safe(t->recipients.front().address) + ">";
    h += "; " + rfc5322_date() + "\r\n";
    return h;
  }

  bool begin_message() {
    const auto* t = session_->transaction();
    const std::uint64_t txn = t ? t->id : 0;
    if (msg_.active() && txn == msg_txn_) return true;
    // A file left from an earlier transaction (one refused after its data) is not this message's.
    msg_.abort();
    if (msg_error_ && txn == msg_txn_) return false;
    msg_error_ = false;
    msg_txn_ = txn;
    if (auto err = srv_.box.begin(msg_)) {
      log(log_level::error, "delivery failed: " + *err);
      msg_error_ = true;
      return false;
    }
    if (!srv_.opts.raw_delivery) msg_.write(trace_headers());
    body_offset_ = msg_.size();
    return true;
  }

  void on_data(std::string_view octets) {
    if (!begin_message()) return;
    msg_.write(octets);
    if (milter_) milter_->message_data(octets);
  }

  void on_queue(std::uint64_t handle_id) {
    const bool ok = begin_message() && !msg_.failed();
    if (!ok) {
      if (msg_.failed()) log(log_level::error, "delivery failed: " + msg_.error());
      msg_.abort();
      msg_error_ = false;
      answer(handle_id, tempfail());
      return;
    }
    if (milter_ && milter_->discard()) {
      log(log_level::info, "discarded by a milter");
      msg_.abort();
      hook_response r;
      r.verdict = verdict::ok;
      answer(handle_id, r);
      return;
    }
    if (milter_ && milter_->has_modifications()) {
      if (auto err = milter_->apply(msg_, body_offset_)) {
        log(log_level::error, "delivery failed: " + *err);
        msg_.abort();
        answer(handle_id, tempfail());
        return;
      }
    }
    if (!srv_.disk) {
      finish_queue(handle_id, msg_.commit());
      return;
    }
    // fsync takes milliseconds: done on the disk pool, the reply once it is done.
    queue_busy_ = true;
    asio::post(*srv_.disk, [self = shared_from_this(), handle_id] {
      auto err = self->msg_.commit();
      asio::post(self->exec_, [self, handle_id, err = std::move(err)] {
        self->queue_busy_ = false;
        self->finish_queue(handle_id, err);
        if (self->lost_) self->connection_lost();
        else if (self->stop_requested_) self->stop();
        else self->pump();
      });
    });
  }

  static hook_response tempfail() {
    hook_response r;
    r.verdict = verdict::denysoft;
    r.code = 451;
    r.status = enhanced_status{4, 3, 0};
    r.message = {"Error writing the message to disk, try again later"};
    return r;
  }

  void finish_queue(std::uint64_t handle_id, const std::optional<std::string>& err) {
    if (done_) return;
    if (err) {
      log(log_level::error, "delivery failed: " + *err);
      answer(handle_id, tempfail());
      return;
    }
    ++queued_;
    if (srv_.log.enabled(log_level::info)) {
      const auto* t = session_->transaction();
      log(log_level::info, "queued " + msg_.name() + " size=" + std::to_string(msg_.size() - body_offset_) +
                               " from=<" + printable(t ? t->mail_from : std::string()) + "> rcpts=" +
                               std::to_string(t ? t->recipients.size() : 0));
    }
    hook_response r;
    r.verdict = verdict::ok;
    r.message = {"Ok: queued as " + msg_.name()};
    answer(handle_id, r);
  }

  // ---- I/O ----

  void pump() {
    if (done_) return;
    std::string out = session_->take_output();
    if (!out.empty()) {
      replied_ = true;
      if (pending_out_.empty()) pending_out_ = std::move(out);
      else pending_out_ += out;
    }
    if (!writing_ && !delaying_ && !pending_out_.empty()) {
      if (slow_ && !delay_passed_) {
        delaying_ = true;
        delay_.expires_after(std::chrono::seconds(1));
        delay_.async_wait([self = shared_from_this()](const std::error_code&) {
          self->delaying_ = false;
          self->delay_passed_ = true;
          self->pump();
        });
      } else {
        delay_passed_ = false;
        do_write();
      }
    }
    if (!writing_ && !delaying_) {
      if (closing_ || session_->closed()) {
        close_now();
        return;
      }
      if (tls_wanted_ && !handshaking_) {
        do_handshake();
        return;
      }
    }
    if (!reading_ && !closing_ && !tls_wanted_ && !queue_busy_ && !session_->closed() && session_->wants_input() &&
        session_->state() != session_state::tls_pending)
      do_read();
  }

  void arm_timer(steady::time_point expiry) {
    const auto gen = ++timer_gen_;
    timer_.expires_at(expiry);
    timer_.async_wait([self = shared_from_this(), gen](const std::error_code& ec) {
      if (ec || gen != self->timer_gen_ || self->done_) return;
      self->on_timeout();
    });
  }

  void on_timeout() {
    if (queue_busy_) {
      // The message is being stored (the pool thread owns msg_); the reply comes when it is done.
      arm_timer(steady::now() + std::chrono::seconds(1));
      return;
    }
    if (closing_ || handshaking_ || writing_) {
      // A client that does not read our replies, or one that stalls the handshake.
      close_now();
      return;
    }
    log(log_level::info, "timeout");
    handle(session_->timeout());
    closing_ = true;
    arm_timer(steady::now() + std::chrono::seconds(10));
    pump();
  }

  void do_read() {
    reading_ = true;
    const auto now = steady::now();
    auto expiry = now + std::chrono::seconds(std::max<std::uint32_t>(session_->timeout_seconds(), 1));
    const auto st = session_->state();
    const auto rate = srv_.config.limits.min_data_rate;
    if ((st == session_state::data || st == session_state::bdat) && rate > 0) {
      if (!in_data_) {
        in_data_ = true;
        data_deadline_ = now + std::chrono::seconds(srv_.config.limits.data_timeout);
      }
      expiry = std::min(expiry, data_deadline_);
      in_command_ = false;
    } else if (st == session_state::data || st == session_state::bdat) {
      // No minimum rate: RFC 5321 §4.5.3.2.5-6's timeout between two blocks of data (expiry as is).
      in_data_ = false;
      in_command_ = false;
    } else {
      in_data_ = false;
      // A command (or SASL line) must be complete within the timeout of when the last reply went
      // out, however it trickles in (slowloris); only a reply, i.e. progress, starts a new one.
      if (!in_command_ || replied_) cmd_deadline_ = expiry;
      in_command_ = true;
      replied_ = false;
      expiry = std::min(expiry, cmd_deadline_);
    }
    arm_timer(expiry);
    if (tls_) {
      // OpenSSL may hold decrypted octets the socket no longer shows: a real read, into the
      // connection's own buffer.
      if (!tls_buf_) tls_buf_ = std::make_unique<std::array<char, 16384>>();
      tls_->async_read_some(asio::buffer(*tls_buf_), [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
        self->on_read(ec, self->tls_buf_->data(), n);
      });
      return;
    }
    // Plain TCP: wait until readable, then read into the thread's buffer, so an idle connection
    // holds no read buffer (1,000 connections cost 16 MB less).
    sock_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](const std::error_code& ec) {
      thread_local std::array<char, 65536> buf;
      if (ec || self->done_) return self->on_read(ec, buf.data(), 0);
      std::error_code rec;
      const std::size_t n = self->sock_.read_some(asio::buffer(buf), rec);
      if (rec == asio::error::would_block || rec == asio::error::try_again) {
        self->reading_ = false;
        return self->pump();
      }
      if (!rec && n == 0) rec = asio::error::eof;
      self->on_read(rec, buf.data(), n);
    });
  }

  void on_read(const std::error_code& ec, const char* data, std::size_t n) {
    reading_ = false;
    if (done_) return;
    if (ec) {
      handle(session_->eof());
      closing_ = true;
      pump();
      return;
    }
    if (in_data_) {
      // Postfix smtpd_min_data_rate: each read adds n/rate seconds to the DATA deadline, but no
      // more credit than one data timeout can be saved up.
      const auto now = steady::now();
      const auto credit = std::chrono::microseconds(static_cast<std::int64_t>(n) * 1000000 /
                                                    std::max<std::uint32_t>(srv_.config.limits.min_data_rate, 1));
      data_deadline_ = std::min<steady::time_point>(data_deadline_ + credit,
                                                    now + std::chrono::seconds(srv_.config.limits.data_timeout));
    }
    handle(session_->feed(std::string_view(data, n)));
    pump();
  }

  void do_write() {
    writing_ = true;
    writing_out_.swap(pending_out_);
    pending_out_.clear();
    if (!reading_) arm_timer(steady::now() + std::chrono::seconds(std::max<std::uint32_t>(session_->timeout_seconds(), 1)));
    auto on_write = [self = shared_from_this()](const std::error_code& ec, std::size_t) {
      self->writing_ = false;
      self->writing_out_.clear();
      if (self->done_) return;
      if (ec) {
        self->connection_lost();
        return;
      }
      self->pump();
    };
    if (tls_) asio::async_write(*tls_, asio::buffer(writing_out_), std::move(on_write));
    else asio::async_write(sock_, asio::buffer(writing_out_), std::move(on_write));
  }

  void do_handshake() {
    handshaking_ = true;
    std::error_code nb;
    sock_.non_blocking(false, nb);  // the TLS stream's own reads and writes are asynchronous
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket>>(std::move(sock_), *srv_.tls);
    arm_timer(steady::now() + std::chrono::seconds(std::max<std::uint32_t>(srv_.config.limits.command_timeout, 1)));
    tls_->async_handshake(asio::ssl::stream_base::server, [self = shared_from_this()](const std::error_code& ec) {
      self->handshaking_ = false;
      self->tls_wanted_ = false;
      if (self->done_) return;
      if (ec) {
        self->log(log_level::info, "TLS handshake failed: " + ec.message());
        self->handle(self->session_->eof());
        self->close_now();
        return;
      }
      SSL* ssl = self->tls_->native_handle();
      const std::string cipher = std::string(SSL_get_version(ssl)) + ":" + SSL_get_cipher_name(ssl);
      self->log(log_level::debug, "TLS " + cipher);
      self->handle(self->session_->tls_established(cipher));
      self->pump();
    });
  }

  // The socket failed under a write: the client is gone. While the pool thread stores a message
  // (it owns msg_), the session hears of it only once that is done.
  void connection_lost() {
    if (queue_busy_) {
      lost_ = true;
      return;
    }
    handle(session_->eof());
    close_now();
  }

  void close_now() {
    if (done_) return;
    if (queue_busy_) {  // msg_ belongs to the pool thread until the store is done
      lost_ = true;
      return;
    }
    done_ = true;
    ++timer_gen_;
    timer_.cancel();
    delay_.cancel();
    msg_.abort();
    std::error_code ec;
    raw().close(ec);
    if (milter_) milter_->quit();
    if (srv_.log.enabled(log_level::info)) {
      const auto& c = session_->connection();
      log(log_level::info, "disconnect " + (disconnect_reason_.empty() ? std::string("closed") : disconnect_reason_) +
                               " transactions=" + std::to_string(c.transactions) + " queued=" +
                               std::to_string(queued_) + " errors=" + std::to_string(c.errors));
    }
    srv_.unregister(id_);
  }

  server& srv_;
  asio::any_io_executor exec_;
  tcp::socket sock_;
  std::unique_ptr<asio::ssl::stream<tcp::socket>> tls_;
  asio::steady_timer timer_;
  asio::steady_timer delay_;  // slow_down: replies wait
  std::uint64_t id_;
  std::uint64_t timer_gen_ = 0;
  std::optional<server_session> session_;
  std::optional<milter_chain> milter_;
  std::unique_ptr<std::array<char, 16384>> tls_buf_;  // TLS reads only (not zeroed)
  std::string pending_out_, writing_out_;
  maildir::delivery msg_;
  std::uint64_t body_offset_ = 0;
  std::uint64_t msg_txn_ = 0;  // the transaction msg_ belongs to
  std::uint64_t queued_ = 0;
  std::string disconnect_reason_;
  steady::time_point data_deadline_{}, cmd_deadline_{};
  bool in_command_ = false, replied_ = false;
  bool in_data_ = false, reading_ = false, writing_ = false, tls_wanted_ = false, handshaking_ = false;
  bool slow_ = false, delaying_ = false, delay_passed_ = false, lost_ = false;
  bool closing_ = false, done_ = false, queue_busy_ = false, stop_requested_ = false, msg_error_ = false;
};

void server::unregister(std::uint64_t id) {
  bool last = false;
  {
    const std::lock_guard<std::mutex> lock(registry_mutex);
    registry.erase(id);
    last = registry.empty();
  }
  active.fetch_sub(1, std::memory_order_relaxed);
  if (last && stopping.load()) asio::post(main, [this] { guard.cancel(); });
}

// Too many connections: 421 and close, without a session.
void refuse(server& srv, tcp::socket sock) {
  auto s = std::make_shared<tcp::socket>(std::move(sock));
  auto text = std::make_shared<std::string>("421 4.3.2 " + srv.config.hostname +
                                            " Too many connections, try again later\r\n");
  asio::async_write(*s, asio::buffer(*text), [s, text](const std::error_code&, std::size_t) {
    std::error_code ec;
    s->shutdown(tcp::socket::shutdown_both, ec);
    s->close(ec);
  });
}

void accept_loop(server& srv, tcp::acceptor& acceptor) {
  auto on_accept = [&srv, &acceptor](const std::error_code& ec, tcp::socket sock) {
    if (srv.stopping.load()) return;
    if (!ec) {
      if (srv.active.load(std::memory_order_relaxed) >= srv.opts.max_connections) {
        srv.log.write(log_level::info, "refused connection: --max-connections reached");
        refuse(srv, std::move(sock));
      } else {
        const auto id = srv.next_id.fetch_add(1, std::memory_order_relaxed) + 1;
        auto c = std::make_shared<connection>(srv, std::move(sock), id);
        srv.active.fetch_add(1, std::memory_order_relaxed);
        {
          const std::lock_guard<std::mutex> lock(srv.registry_mutex);
          srv.registry.emplace(id, c);
        }
        asio::dispatch(c->executor(), [c] { c->start(); });
      }
    } else if (ec == asio::error::operation_aborted) {
      return;
    } else {
      // EMFILE and the like: keep serving the others; try again shortly.
      srv.log.write(log_level::error, "accept: " + ec.message());
      srv.accept_pause.expires_after(std::chrono::milliseconds(100));
      srv.accept_pause.async_wait([&srv, &acceptor](const std::error_code& e) {
        if (!e && !srv.stopping.load()) accept_loop(srv, acceptor);
      });
      return;
    }
    accept_loop(srv, acceptor);
  };
  if (srv.opts.threads > 1) acceptor.async_accept(asio::make_strand(srv.io), std::move(on_accept));
  else acceptor.async_accept(srv.io, std::move(on_accept));
}

}  // namespace

namespace {

std::optional<std::string> load_users(const std::string& path, server& srv) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) return path + ": a line is not user:password";
    srv.users[line.substr(0, colon)] = digest(std::string_view(line).substr(colon + 1));
  }
  return std::nullopt;
}

std::string machine_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "localhost";
  return host;
}

}  // namespace

int run(const options& o) {
  auto srv_owner = std::make_unique<server>(std::max(o.threads, 1u));
  server& srv = *srv_owner;
  srv.opts = o;
  if (auto e = srv.log.open(o.log, o.level)) {
    std::fprintf(stderr, "smtpspec serve: %s\n", e->c_str());
    return 2;
  }
  const auto fail = [](const std::string& why) {
    std::fprintf(stderr, "smtpspec serve: %s\n", why.c_str());
    return 2;
  };
  const auto ep = parse_listen(o.listen);
  if (!ep) return fail("--listen wants ADDR:PORT, got " + o.listen);
  if (auto e = srv.box.open(o.maildir, !o.no_fsync)) return fail(*e);

  auto& c = srv.config;
  c.hostname = o.hostname.empty() ? machine_name() : o.hostname;
  c.lmtp = o.lmtp;
  c.proxy = o.proxy;
  c.bare_lf = c.bare_cr = o.bare_newline;
  c.limits = o.limits;
  if (o.max_message_size) c.limits.message_size = *o.max_message_size;
  if (o.max_recipients) c.limits.recipients = *o.max_recipients;
  c.hooks = {hook::rcpt, hook::queue, hook::disconnect};
  if (o.level == log_level::debug) {
    for (const hook h : {hook::helo, hook::ehlo, hook::mail, hook::deny}) c.hooks.push_back(h);
  }
  for (const auto& d : o.accept_domains) srv.accept_domains.push_back(lower(d));
  for (const auto& r : o.reject_recipients) srv.reject_recipients.insert(lower(r));

  if (!o.tls_cert.empty() || !o.tls_key.empty()) {
    if (o.tls_cert.empty() || o.tls_key.empty()) return fail("--tls-cert and --tls-key go together");
    std::error_code ec;
    srv.tls.emplace(asio::ssl::context::tls_server);
    auto& ctx = *srv.tls;
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::single_dh_use,
                    ec);
    ctx.use_certificate_chain_file(o.tls_cert, ec);
    if (ec) return fail("cannot load --tls-cert " + o.tls_cert + ": " + ec.message());
    ctx.use_private_key_file(o.tls_key, asio::ssl::context::pem, ec);
    if (ec) return fail("cannot load --tls-key " + o.tls_key + ": " + ec.message());
    c.starttls = true;
  }
  if (!o.auth_users.empty()) {
    if (auto e = load_users(o.auth_users, srv)) return fail(*e);
    c.auth = true;
    c.auth_requires_tls = !o.auth_plaintext;
    c.hooks.push_back(hook::auth);
    if (c.auth_requires_tls && !c.starttls)
      srv.log.write(log_level::error, "--auth-users without --tls-cert: AUTH is offered only inside TLS, so never "
                                      "(--auth-plaintext offers it without TLS)");
  }
  for (const auto& m : o.milters) {
    auto t = parse_milter_target(m);
    if (!t) return fail("--milter wants inet:HOST:PORT, got " + m);
    srv.milters.push_back(*t);
  }
  if (!srv.milters.empty()) {
    for (const hook h : {hook::connect, hook::helo, hook::ehlo, hook::mail, hook::data, hook::data_post})
      if (std::find(c.hooks.begin(), c.hooks.end(), h) == c.hooks.end()) c.hooks.push_back(h);
  }
  if (!o.no_fsync) srv.disk = std::make_unique<asio::thread_pool>(std::max(2u, o.threads));

  ::signal(SIGPIPE, SIG_IGN);
  tcp::acceptor acceptor(srv.io);
  std::error_code ec;
  const auto addr = asio::ip::make_address(ep->host, ec);
  if (ec) return fail("--listen: not an IP address: " + ep->host);
  const tcp::endpoint endpoint(addr, ep->port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on " + o.listen + ": " + ec.message());
  const auto bound = acceptor.local_endpoint(ec);

  asio::signal_set signals(srv.io, SIGINT, SIGTERM);
  signals.async_wait([&srv, &acceptor](const std::error_code& e, int sig) {
    if (e) return;
    srv.log.write(log_level::info, std::string("signal ") + (sig == SIGTERM ? "TERM" : "INT") + ": shutting down");
    srv.stopping = true;
    std::error_code ignored;
    srv.accept_pause.cancel();
    acceptor.close(ignored);
    std::vector<std::shared_ptr<connection>> conns;
    {
      const std::lock_guard<std::mutex> lock(srv.registry_mutex);
      for (auto& [id, w] : srv.registry)
        if (auto p = w.lock()) conns.push_back(std::move(p));
    }
    if (conns.empty()) return;
    asio::post(srv.main, [&srv] {
      srv.guard.expires_after(std::chrono::seconds(10));
      srv.guard.async_wait([&srv](const std::error_code& g) {
        if (!g) srv.io.stop();
      });
    });
    for (auto& p : conns) asio::post(p->executor(), [p] { p->stop(); });
  });

  if (!o.pid_file.empty()) {
    std::FILE* f = std::fopen(o.pid_file.c_str(), "w");
    if (f == nullptr) return fail("cannot write --pid-file " + o.pid_file);
    std::fprintf(f, "%ld\n", static_cast<long>(::getpid()));
    std::fclose(f);
  }
  accept_loop(srv, acceptor);
  const std::string shown =
      bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
  std::printf("smtpspec serve listening on %s:%u\n", shown.c_str(), static_cast<unsigned>(bound.port()));
  std::fflush(stdout);
  srv.log.write(log_level::info, "listening on " + shown + ":" + std::to_string(bound.port()) + " maildir " +
                                     o.maildir + (o.no_fsync ? " (no fsync: unsafe)" : ""));

  // A handler that throws (out of memory) costs its connection, not the server.
  const auto run_loop = [&srv] {
    for (;;) {
      try {
        srv.io.run();
        return;
      } catch (const std::exception& e) {
        srv.log.write(log_level::error, std::string("event loop: ") + e.what());
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < std::max(o.threads, 1u); ++i) threads.emplace_back(run_loop);
  run_loop();
  for (auto& t : threads) t.join();
  if (srv.disk) srv.disk->join();
  if (!o.pid_file.empty()) ::unlink(o.pid_file.c_str());
  srv.log.write(log_level::info, "stopped");
  return 0;
}

}  // namespace smtpspec::serve
