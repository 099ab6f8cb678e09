// smtpspec — the sans-IO SMTP/LMTP server session (session.hpp): commands, hooks, extensions and
// limits. The DATA reader and the PROXY header parser are separate building blocks
// (data_reader.cpp, proxy.cpp); the canonical JSON and the name tables are in session_json.cpp.
#include <algorithm>
#include <array>
#include <utility>

#include "smtpspec/command.hpp"
#include "smtpspec/reply.hpp"
#include "smtpspec/session.hpp"

namespace smtpspec {

namespace {

// RFC 5321 §4.5.3.1.5 bounds every reply line; user input is never echoed beyond this many octets.
constexpr std::size_t echo_max = 100;

char upper_ascii(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (upper_ascii(a[i]) != upper_ascii(b[i])) return false;
  return true;
}

std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = upper_ascii(c);
  return r;
}

// At most echo_max octets of user input, cut at a UTF-8 character boundary.
std::string echo(std::string_view s) {
  if (s.size() <= echo_max) return std::string(s);
  std::size_t n = echo_max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "...";
}

constexpr char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out.push_back(b64_alphabet[(n >> 18) & 63]);
    out.push_back(b64_alphabet[(n >> 12) & 63]);
    out.push_back(b64_alphabet[(n >> 6) & 63]);
    out.push_back(b64_alphabet[n & 63]);
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(in[i + 1])) << 8;
    out.push_back(b64_alphabet[(n >> 18) & 63]);
    out.push_back(b64_alphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? b64_alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

int b64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// RFC 4648 §4 with padding, as RFC 4954 §4 requires: a length that is a multiple of 4, "=" only
// at the end (at most two), no other octets.
std::optional<std::string> base64_decode(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(in.size() / 4 * 3);
  for (std::size_t i = 0; i < in.size(); i += 4) {
    const bool last = i + 4 == in.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = in[i + static_cast<std::size_t>(k)];
      if (c == '=' && last && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      v[k] = b64_value(c);
      if (v[k] < 0) return std::nullopt;
    }
    const unsigned n = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12) |
                       (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
    out.push_back(static_cast<char>((n >> 16) & 0xFF));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xFF));
  }
  return out;
}

// A reply the session would send: code, enhanced code (when the session may use one), text.
struct reply_spec {
  int code = 250;
  std::optional<enhanced_status> status;
  std::string text;
};

enhanced_status es(unsigned c, unsigned s, unsigned d) { return enhanced_status{c, s, d}; }

reply_spec message_denied() { return {550, es(5, 7, 1), "Message rejected"}; }
reply_spec message_denied_soft() { return {450, es(4, 7, 1), "Message temporarily rejected"}; }
reply_spec not_implemented() { return {502, es(5, 5, 1), "Error: command not implemented"}; }

session_param param_of(const esmtp_param& p) {
  return {std::string(p.keyword), p.has_value ? std::optional<std::string>(p.value) : std::nullopt};
}

// "501 5.5.4" (an error catalogue row's reply) as a reply_spec.
reply_spec from_catalogue_reply(std::string_view reply, std::string_view text) {
  reply_spec r;
  r.code = 500;
  r.status = es(5, 5, 2);
  if (reply.size() >= 3) r.code = (reply[0] - '0') * 100 + (reply[1] - '0') * 10 + (reply[2] - '0');
  if (reply.size() > 4) {
    auto s = parse_enhanced_status(reply.substr(4));
    if (s.ok()) r.status = s.value();
  }
  r.text = std::string(text);
  return r;
}

// RFC 2920 §3.1 (and RFC 4954 §4 for AUTH, RFC 3207 §4.2 for STARTTLS): commands that end a group.
bool is_sync_verb(verb v) noexcept {
  switch (v) {
    case verb::ehlo: case verb::helo: case verb::lhlo: case verb::data: case verb::vrfy: case verb::expn:
    case verb::quit: case verb::noop: case verb::auth: case verb::starttls:
      return true;
    default:
      return false;
  }
}

constexpr std::array<std::string_view, 9> http_verbs{"GET", "POST", "HEAD", "PUT", "CONNECT",
                                                     "OPTIONS", "DELETE", "TRACE", "PATCH"};

constexpr std::array<std::string_view, 8> xclient_attrs{"NAME", "ADDR", "PORT", "PROTO",
                                                        "HELO", "LOGIN", "DESTADDR", "DESTPORT"};
constexpr std::array<std::string_view, 7> xforward_attrs{"NAME", "ADDR", "PORT", "PROTO",
                                                         "HELO", "IDENT", "SOURCE"};

std::string_view first_word(std::string_view line) {
  const auto sp = line.find(' ');
  return sp == std::string_view::npos ? line : line.substr(0, sp);
}

std::uint16_t to_port(std::string_view s) {
  unsigned v = 0;
  if (s.empty() || s.size() > 5) return 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v > 65535 ? 0 : static_cast<std::uint16_t>(v);
}

}  // namespace

hook_response hook_response::from_dsn(smtpspec::verdict v, const dsn::dsn_reply& d) {
  hook_response r;
  r.verdict = v;
  r.code = d.basic_code();
  r.status = d.status();
  // dsn_reply::reply lines carry haraka's "c.s.d " prefix; the session writes the code itself.
  for (const auto& line : d.reply) {
    const auto sp = line.find(' ');
    r.message.push_back(sp == std::string::npos ? std::string() : line.substr(sp + 1));
  }
  return r;
}

bool hook_needs_answer(hook h) noexcept {
  return h != hook::rcpt_ok && h != hook::disconnect && h != hook::deny;
}

// ---- The session ----------------------------------------------------------------------------------

struct server_session::impl {
  enum class auth_step : std::uint8_t { none, plain, login_user, login_password, custom };

  session_config cfg;
  connection_info conn;
  session_state st = session_state::connecting;
  bool started = false;
  std::uint32_t hook_mask = 0;

  // Input: buf[pos…] is unread; consumed = stream offset of buf[pos]; fed = octets fed so far.
  std::string buf;
  std::size_t pos = 0;
  std::size_t consumed = 0, fed = 0;
  std::size_t buffered_lf = 0;  // LFs in buf[pos…]: the lines held behind a pending hook
  std::string out;
  session_events events;  // of the current call

  // The pending hook and what resolving it needs.
  std::uint64_t pending = 0, next_handle = 1;
  hook pending_hook = hook::connect;
  std::string ctx_arg;
  smtpspec::transaction ctx_tx;
  smtpspec::recipient ctx_rcpt;
  std::vector<session_param> ctx_params;
  bool ctx_bdat = false, ctx_last = false;
  std::uint64_t ctx_chunk = 0;

  // Session state.
  std::optional<smtpspec::transaction> tx;
  std::size_t rcpt_tries = 0;
  bool early_diag = false, injection_diag = false, slow_down_sent = false;
  bool skipping = false;  // inside an over-long command line
  // AUTH
  auth_step astep = auth_step::none;
  std::string auth_mech, auth_user, auth_zid;
  // DATA / BDAT
  data_reader reader;
  bool in_message = false, aborted = false, abort_announced = false, bdat_active = false, bdat_failed = false;
  std::size_t abort_offset = 0;
  std::optional<session_diagnostic_id> abort_reason;
  std::size_t data_start = 0, reader_diags = 0, message_start = 0;
  std::string msgbuf, whole;
  std::uint64_t bdat_remaining = 0, last_chunk_size = 0;
  bool bdat_last = false, bdat_discard = false, bdat_silent = false;
  std::optional<reply_spec> bdat_deferred;

  impl(session_config c, connection_info p)
      : cfg(std::move(c)), conn(std::move(p)),
        reader(data_reader_options{cfg.bare_lf, cfg.bare_cr, cfg.limits.data_line}) {
    for (hook h : cfg.hooks) hook_mask |= 1U << static_cast<unsigned>(h);
  }

  // ---- small helpers ----
  [[nodiscard]] bool subscribed(hook h) const noexcept {
    return (hook_mask >> static_cast<unsigned>(h)) & 1U;
  }
  [[nodiscard]] std::string_view avail() const noexcept { return std::string_view(buf).substr(pos); }
  void consume(std::size_t n) noexcept {
    const auto first = buf.begin() + static_cast<std::ptrdiff_t>(pos);
    buffered_lf -= static_cast<std::size_t>(std::count(first, first + static_cast<std::ptrdiff_t>(n), '\n'));
    pos += n;
    consumed += n;
  }
  void to(session_state s) noexcept {
    if (st != session_state::closed) st = s;
  }
  [[nodiscard]] bool closed() const noexcept { return st == session_state::closed; }
  [[nodiscard]] bool auth_offered() const noexcept {
    return cfg.auth && (!cfg.auth_requires_tls || conn.tls);
  }
  [[nodiscard]] bool requiretls_offered() const noexcept { return cfg.requiretls && conn.tls; }
  [[nodiscard]] bool binarymime_offered() const noexcept { return cfg.binarymime && cfg.chunking; }
  [[nodiscard]] std::string host() const { return cfg.hostname; }

  bool close_sent = false;  // the close event is the last one
  void push(session_event e) {
    if (!close_sent) events.push_back(std::move(e));
  }
  void diag(session_diagnostic_id id, std::size_t offset) {
    session_event e;
    e.kind = event_kind::diagnostic;
    e.diagnostic = id;
    e.offset = offset;
    push(std::move(e));
  }

  [[nodiscard]] extension_set enabled_extensions() const noexcept {
    auto s = extension_set::none();
    s.add(extension::enhancedstatuscodes);
    if (cfg.pipelining) s.add(extension::pipelining);
    if (cfg.size) s.add(extension::size);
    if (cfg.eightbitmime) s.add(extension::eightbitmime);
    if (cfg.smtputf8) s.add(extension::smtputf8);
    if (cfg.dsn) s.add(extension::dsn);
    if (cfg.chunking) s.add(extension::chunking);
    if (binarymime_offered()) s.add(extension::binarymime);
    if (cfg.starttls && !conn.tls) s.add(extension::starttls);
    if (auth_offered()) s.add(extension::auth);
    if (requiretls_offered()) s.add(extension::requiretls);
    if (!cfg.enhancedstatuscodes) s.remove(extension::enhancedstatuscodes);
    return s;
  }

  [[nodiscard]] parse_options popts() const noexcept {
    parse_options o;
    o.profile = cfg.profile;
    o.limits.command_line = cfg.limits.command_line;
    o.smtputf8 = cfg.smtputf8;
    o.extensions = enabled_extensions();
    return o;
  }

  // ---- replies ----
  // Appends a reply; counts error replies (errors_soft → slow_down, errors_hard → 421 and close).
  void send(const reply_spec& r, bool enhanced = true) {
    if (closed()) return;
    format_options fo;
    fo.enhanced_codes = enhanced && cfg.enhancedstatuscodes;
    fo.policy = text_policy::neutralise;
    fo.utf8 = cfg.smtputf8;
    std::optional<enhanced_status> status = r.status;
    if (r.code / 100 == 3 || !fo.enhanced_codes) status.reset();
    const std::string_view line = r.text;
    auto f = format_reply(r.code, status, std::span<const std::string_view>(&line, 1), fo);
    if (!f.ok()) f = format_reply(r.code, std::nullopt, {}, fo);
    if (f.ok()) out += f->text;
    if (r.code >= 400 && r.code != 421) count_error();
  }
  void send_lines(int code, const std::optional<enhanced_status>& status,
                  const std::vector<std::string>& lines, bool enhanced = true) {
    if (closed()) return;
    format_options fo;
    fo.enhanced_codes = enhanced && cfg.enhancedstatuscodes;
    fo.policy = text_policy::neutralise;
    fo.utf8 = cfg.smtputf8;
    std::optional<enhanced_status> s = status;
    if (code / 100 == 3 || !fo.enhanced_codes) s.reset();
    std::vector<std::string_view> v(lines.begin(), lines.end());
    auto f = format_reply(code, s, v, fo);
    if (!f.ok()) f = format_reply(code, std::nullopt, {}, fo);
    if (f.ok()) out += f->text;
    if (code >= 400 && code != 421) count_error();
  }
  void count_error() {
    ++conn.errors;
    if (!slow_down_sent && conn.errors >= cfg.limits.errors_soft) {
      slow_down_sent = true;
      session_event e;
      e.kind = event_kind::slow_down;
      push(std::move(e));
    }
    if (conn.errors >= cfg.limits.errors_hard) {
      diag(session_diagnostic_id::too_many_errors, consumed);
      send({421, es(4, 7, 0), host() + " Error: too many errors"});
      close("limit", std::nullopt);
    }
  }

  // The host's custom reply over the default (RFC 5321 §4.2.1: the code's class is the verdict's).
  reply_spec apply(const hook_response& r, reply_spec d) {
    bool mismatch = false;
    if (r.code) {
      if (*r.code >= 200 && *r.code <= 599 && *r.code / 100 == d.code / 100) d.code = *r.code;
      else mismatch = true;
    }
    if (r.status) {
      if (static_cast<int>(r.status->cls) == d.code / 100) d.status = *r.status;
      else mismatch = true;
    }
    if (mismatch) diag(session_diagnostic_id::host_reply_mismatch, consumed);
    return d;
  }
  void send_hook(const hook_response& r, const reply_spec& d, bool enhanced = true) {
    const reply_spec s = apply(r, d);
    if (!r.message.empty()) send_lines(s.code, s.status, r.message, enhanced);
    else send(s, enhanced);
    // RFC 5321 §3.8: a 421 always closes the channel, whoever chose it.
    if (s.code == 421) close("verdict", std::nullopt);
  }

  // DENY, DENYSOFT, DENYDISCONNECT and DISCONNECT for any hook: true when handled.
  bool refused(hook h, const hook_response& r, const reply_spec& deny, const reply_spec& soft) {
    reply_spec d;
    switch (r.verdict) {
      case verdict::deny: case verdict::denydisconnect: d = deny; break;
      case verdict::denysoft: d = soft; break;
      case verdict::disconnect: d = {421, es(4, 7, 0), host() + " closing connection"}; break;
      default: return false;
    }
    const std::size_t before = out.size();
    send_hook(r, d);
    if (r.verdict != verdict::disconnect && subscribed(hook::deny)) {
      session_event e;
      e.kind = event_kind::hook;
      e.hook = hook::deny;
      e.argument = std::string(to_string(h));
      e.verdict = r.verdict;
      e.reply = out.substr(before);
      push(std::move(e));
    }
    if (r.verdict == verdict::denydisconnect || r.verdict == verdict::disconnect) {
      close("verdict", std::nullopt);
    }
    return true;
  }

  // ---- hooks ----
  session_event hook_event(hook h, std::string argument = {}) {
    session_event e;
    e.kind = event_kind::hook;
    e.hook = h;
    e.argument = std::move(argument);
    return e;
  }
  void call(session_event e) {
    const hook h = e.hook;
    if (!subscribed(h)) {
      resolve(h, hook_response{});
      return;
    }
    e.needs_answer = true;
    e.handle = next_handle++;
    pending = e.handle;
    pending_hook = h;
    push(std::move(e));
  }
  void notify(session_event e) {
    if (subscribed(e.hook)) push(std::move(e));
  }

  // ---- closing ----
  // The message will not be queued. The event is announced at the end of the message (or when the
  // session closes), not where the reader noticed: the reader's diagnostics before and after that
  // point then keep their order whatever the split of the input.
  void abort_message(std::optional<session_diagnostic_id> why, std::size_t offset, bool announce = true) {
    if (!in_message) return;
    if (!aborted) {
      flush_message_data();
      aborted = true;
      abort_reason = why;
      abort_offset = offset;
      msgbuf.clear();
      whole.clear();
    }
    if (!announce || abort_announced) return;
    abort_announced = true;
    session_event e;
    e.kind = event_kind::message_aborted;
    e.diagnostic = abort_reason;
    e.offset = abort_offset;
    push(std::move(e));
  }
  void close(const char* reason, std::optional<session_diagnostic_id> why) {
    if (closed()) return;
    abort_message(why, consumed);
    st = session_state::closed;
    pending = 0;
    notify(hook_event(hook::disconnect, reason));
    session_event e;
    e.kind = event_kind::close;
    push(std::move(e));
    close_sent = true;
  }

  void flush_message_data() {
    if (msgbuf.empty()) return;
    session_event e;
    e.kind = event_kind::message_data;
    e.data = std::move(msgbuf);
    msgbuf.clear();
    push(std::move(e));
  }

  void reset_tx() {
    tx.reset();
    rcpt_tries = 0;
    bdat_active = bdat_failed = false;
    in_message = aborted = abort_announced = false;
    abort_reason.reset();
    msgbuf.clear();
    whole.clear();
    conn.xforward.clear();
  }

  // ---- start ----
  void begin_connect() {
    to(session_state::connecting);
    call(hook_event(hook::connect, conn.remote_address));
  }
  void greet(const hook_response& r) {
    // RFC 5321 §4.2: "220 " Domain [ SP textstring ]: the host's text follows the hostname.
    hook_response g = r;
    if (!g.message.empty()) g.message.front() = host() + " " + g.message.front();
    send_hook(g, {220, std::nullopt, host() + " " + cfg.greeting}, false);
    if (!avail().empty() && !early_diag) {
      early_diag = true;
      diag(session_diagnostic_id::early_talker, consumed);
    }
  }

  // ---- resolving hooks ----
  void resolve(hook h, const hook_response& r) {
    switch (h) {
      case hook::connect:
        if (refused(h, r, {554, es(5, 7, 1), host() + " Service unavailable"},
                    {421, es(4, 7, 0), host() + " Service temporarily unavailable"})) {
          close("verdict", std::nullopt);
          return;
        }
        to(session_state::command);
        greet(r);
        return;
      case hook::helo:
      case hook::ehlo:
        if (refused(h, r, {550, es(5, 7, 1), "HELO/EHLO rejected"},
                    {450, es(4, 7, 1), "HELO/EHLO rejected"})) {
          return;
        }
        reset_tx();
        conn.helo = ctx_arg;
        conn.esmtp = h == hook::ehlo;
        if (h == hook::helo) {
          send_hook(r, {250, std::nullopt, host() + " Hello"}, false);
          return;
        }
        call(hook_event(hook::capabilities, ctx_arg));
        return;
      case hook::capabilities:
        if (refused(h, r, {550, es(5, 7, 1), "EHLO rejected"}, {450, es(4, 7, 1), "EHLO rejected"})) {
          conn.esmtp = false;
          conn.helo.clear();
          return;
        }
        send_ehlo(r);
        return;
      case hook::mail: {
        if (refused(h, r, {550, es(5, 7, 1), "Sender rejected"},
                    {450, es(4, 7, 1), "Sender temporarily rejected"}))
          return;
        const std::string who = echo(ctx_tx.mail_from);
        tx = std::move(ctx_tx);
        ctx_tx = {};
        tx->id = ++conn.transactions;
        send_hook(r, {250, es(2, 1, 0), "Sender <" + who + "> OK"});
        return;
      }
      case hook::rcpt: {
        if (!tx) return;
        if (refused(h, r, {550, es(5, 7, 1), "Recipient rejected"},
                    {450, es(4, 7, 1), "Recipient temporarily rejected"}))
          return;
        const std::string who = echo(ctx_rcpt.address);
        if (r.verdict != verdict::ok && !cfg.relaying) {
          send_hook(r, {450, es(4, 7, 1), "I cannot deliver mail for <" + who + ">"});
          return;
        }
        tx->recipients.push_back(ctx_rcpt);
        send_hook(r, {250, es(2, 1, 5), "Recipient <" + who + "> OK"});
        notify(hook_event(hook::rcpt_ok, ctx_rcpt.address));
        return;
      }
      case hook::data:
        if (ctx_bdat) {
          if (r.verdict == verdict::deny || r.verdict == verdict::denysoft) {
            // Refused before its chunk is read: read (and drop) the chunk, then reply (RFC 3030 §2).
            const reply_spec d = r.verdict == verdict::deny ? message_denied() : message_denied_soft();
            bdat_failed = true;
            begin_bdat(ctx_chunk, ctx_last, true, apply(r, d));
            return;
          }
          if (refused(h, r, message_denied(), message_denied_soft()))
            return;
          bdat_active = true;
          start_message();
          begin_bdat(ctx_chunk, ctx_last, false, std::nullopt);
          return;
        }
        if (refused(h, r, message_denied(), message_denied_soft()))
          return;
        send_hook(r, {354, std::nullopt, "End data with <CR><LF>.<CR><LF>"});
        start_message();
        reader.reset();
        reader_diags = 0;
        data_start = consumed;
        to(session_state::data);
        return;
      case hook::data_post:
        if (cfg.lmtp && r.verdict != verdict::ok && r.verdict != verdict::cont) {
          // RFC 2033 §4.2: after the message, one reply per accepted recipient, whatever it is.
          queue_reply(r);
          end_transaction();
          return;
        }
        if (refused(h, r, message_denied(), message_denied_soft())) {
          end_transaction();
          return;
        }
        call(hook_event(hook::queue));
        return;
      case hook::queue:
        queue_reply(r);
        end_transaction();
        return;
      case hook::rset:
        if (refused(h, r, {550, es(5, 7, 1), "RSET rejected"}, {450, es(4, 7, 1), "RSET rejected"})) return;
        reset_tx();
        send_hook(r, {250, es(2, 0, 0), "OK"});
        return;
      case hook::quit:
        if (r.verdict == verdict::disconnect) {
          close("quit", std::nullopt);
          return;
        }
        send_hook(hook_response{verdict::ok, r.code, r.status, r.message, {}, {}, {}, {}},
                  {221, es(2, 0, 0), host() + " closing connection"});
        close("quit", std::nullopt);
        return;
      case hook::vrfy:
        if (refused(h, r, {550, es(5, 7, 1), "VRFY rejected"}, {450, es(4, 7, 1), "VRFY rejected"})) return;
        if (r.verdict == verdict::ok) send_hook(r, {250, es(2, 0, 0), "OK"});
        else send_hook(r, {252, es(2, 0, 0), "Just try sending a mail and we'll see how it turns out"});
        return;
      case hook::noop:
        if (refused(h, r, {550, es(5, 7, 1), "NOOP rejected"}, {450, es(4, 7, 1), "NOOP rejected"})) return;
        send_hook(r, {250, es(2, 0, 0), "OK"});
        return;
      case hook::help:
        if (refused(h, r, {550, es(5, 7, 1), "HELP rejected"}, {450, es(4, 7, 1), "HELP rejected"})) return;
        send_hook(r, {214, es(2, 0, 0), "See RFC 5321"});
        return;
      case hook::unrecognized_command:
        if (refused(h, r, {500, es(5, 5, 1), "Unrecognized command"},
                    {450, es(4, 5, 1), "Unrecognized command"}))
          return;
        if (r.verdict == verdict::ok) send_hook(r, {250, es(2, 0, 0), "OK"});
        else send_hook(r, {500, es(5, 5, 1), "Unrecognized command"});
        return;
      case hook::auth:
        auth_result(r);
        return;
      case hook::starttls:
        if (refused(h, r, {554, es(5, 7, 3), "TLS not available"}, {454, es(4, 7, 0), "TLS not available"})) {
          return;
        }
        send_hook(r, {220, es(2, 0, 0), "Ready to start TLS"});
        enter_tls_pending();
        return;
      case hook::xclient:
        if (r.verdict != verdict::ok) {
          if (!refused(h, r, {550, es(5, 7, 0), "Error: insufficient authorization"},
                       {450, es(4, 7, 0), "Error: insufficient authorization"}))
            send_hook(r, {550, es(5, 7, 0), "Error: insufficient authorization"});
          return;
        }
        apply_xclient();
        return;
      case hook::xforward:
        if (refused(h, r, {550, es(5, 7, 0), "Error: insufficient authorization"},
                    {450, es(4, 7, 0), "Error: insufficient authorization"}))
          return;
        for (const auto& p : ctx_params) conn.xforward[p.keyword] = p.value.value_or("");
        send_hook(r, {250, es(2, 0, 0), "OK"});
        return;
      case hook::rcpt_ok:
      case hook::disconnect:
      case hook::deny:
        return;
    }
  }

  void send_ehlo(const hook_response& r) {
    std::vector<ehlo_keyword> kw;
    auto add = [&kw](std::string k, std::vector<std::string> params = {}) {
      ehlo_keyword e;
      e.keyword = std::move(k);
      e.params = std::move(params);
      kw.push_back(std::move(e));
    };
    if (cfg.pipelining) add("PIPELINING");
    if (cfg.size) add("SIZE", {std::to_string(cfg.limits.message_size)});
    if (cfg.eightbitmime) add("8BITMIME");
    if (cfg.smtputf8) add("SMTPUTF8");
    if (cfg.dsn) add("DSN");
    if (cfg.chunking) add("CHUNKING");
    if (binarymime_offered()) add("BINARYMIME");
    if (cfg.starttls && !conn.tls) add("STARTTLS");
    if (auth_offered() && !cfg.auth_mechanisms.empty()) {
      std::vector<std::string> m;
      for (const auto& x : cfg.auth_mechanisms) m.push_back(upper(x));
      add("AUTH", std::move(m));
    }
    if (cfg.enhancedstatuscodes) add("ENHANCEDSTATUSCODES");
    if (requiretls_offered()) add("REQUIRETLS");
    if (cfg.xclient) add("XCLIENT", std::vector<std::string>(xclient_attrs.begin(), xclient_attrs.end()));
    if (cfg.xforward) add("XFORWARD", std::vector<std::string>(xforward_attrs.begin(), xforward_attrs.end()));
    const std::size_t own = kw.size();
    for (const auto& line : r.capabilities) {
      std::vector<std::string> parts;
      std::size_t i = 0;
      while (i <= line.size()) {
        const auto sp = std::min(line.find(' ', i), line.size());
        if (sp > i) parts.emplace_back(line.substr(i, sp - i));
        i = sp + 1;
      }
      if (parts.empty()) continue;
      std::string k = std::move(parts.front());
      parts.erase(parts.begin());
      add(std::move(k), std::move(parts));
    }
    format_options fo;
    fo.enhanced_codes = false;
    fo.policy = text_policy::neutralise;
    const std::string greet = r.message.empty() ? std::string("Hello") : r.message.front();
    auto f = format_ehlo_reply(cfg.hostname, greet, kw, fo);
    if (!f.ok() && kw.size() > own) {
      diag(session_diagnostic_id::host_reply_mismatch, consumed);
      kw.resize(own);
      f = format_ehlo_reply(cfg.hostname, greet, kw, fo);
    }
    if (f.ok()) {
      out += f->text;
      return;
    }
    // An unusable hostname: the same lines through the plain formatter.
    std::vector<std::string> lines{cfg.hostname + " " + greet};
    for (const auto& k : kw) {
      std::string l = k.keyword;
      for (const auto& p : k.params) l += " " + p;
      lines.push_back(std::move(l));
    }
    send_lines(250, std::nullopt, lines, false);
  }

  // ---- pumping input ----
  void pump() {
    while (!closed() && pending == 0) {
      bool progressed = false;
      switch (st) {
        case session_state::proxy_header: progressed = step_proxy(); break;
        case session_state::command: progressed = step_command(); break;
        case session_state::auth: progressed = step_auth(); break;
        case session_state::data: progressed = step_data(); break;
        case session_state::bdat: progressed = step_bdat(); break;
        case session_state::connecting:
        case session_state::tls_pending:
        case session_state::closed: break;
      }
      if (!progressed) break;
    }
    flush_message_data();
  }

  bool step_proxy() {
    auto r = parse_proxy_header(avail(), cfg.proxy);
    if (r.state == proxy_parse_result::status::incomplete) return false;
    if (r.state == proxy_parse_result::status::invalid) {
      diag(session_diagnostic_id::invalid_proxy_header, consumed);
      close("protocol", std::nullopt);
      return false;
    }
    consume(r.consumed);
    if (!r.header.local) {
      conn.remote_address = r.header.source_address;
      conn.remote_port = r.header.source_port;
      conn.local_address = r.header.destination_address;
      conn.local_port = r.header.destination_port;
    }
    conn.proxy = std::move(r.header);
    begin_connect();
    return true;
  }

  // A line: its content, the terminator's length, and the terminator kind.
  enum class term : std::uint8_t { crlf, bare_lf, bare_cr };
  struct line_t {
    std::string_view content;
    std::size_t term_len = 0;
    term kind = term::crlf;
  };
  // The next line (CRLF, bare LF or bare CR ends it) or nothing yet. A CR at the end of the input
  // waits for the next octet.
  std::optional<line_t> next_line(std::string_view in) const noexcept {
    const auto i = in.find_first_of("\r\n");
    if (i == std::string_view::npos) return std::nullopt;
    if (in[i] == '\n') return line_t{in.substr(0, i), 1, term::bare_lf};
    if (i + 1 == in.size()) return std::nullopt;
    if (in[i + 1] == '\n') return line_t{in.substr(0, i), 2, term::crlf};
    return line_t{in.substr(0, i), 1, term::bare_cr};
  }
  // Octets of the current line seen without its end (a trailing CR excluded).
  static std::size_t open_line_length(std::string_view in) noexcept {
    return !in.empty() && in.back() == '\r' ? in.size() - 1 : in.size();
  }

  // Skips the rest of an over-long line; true when its end was reached.
  bool skip_line() {
    const auto in = avail();
    if (auto l = next_line(in)) {
      consume(l->content.size() + l->term_len);
      skipping = false;
      return true;
    }
    consume(open_line_length(in));
    return false;
  }

  bool step_command() {
    if (skipping) return skip_line();
    const auto in = avail();
    const auto l = next_line(in);
    const std::size_t hard = cfg.limits.command_line_hard;
    if (!l ? open_line_length(in) >= hard : l->content.size() + l->term_len > hard) {
      // RELIABILITY.md §3: 500 5.5.2 and the rest of the line skipped unread.
      diag(session_diagnostic_id::command_line_too_long, consumed);
      send({500, es(5, 5, 2), "Error: line too long"});
      skipping = true;
      return !closed();
    }
    if (!l) return false;
    const std::size_t off = consumed;
    const std::string line(l->content);
    const bool pipelined = in.size() > l->content.size() + l->term_len;
    consume(l->content.size() + l->term_len);
    if (l->kind != term::crlf) {
      const bool lf = l->kind == term::bare_lf;
      diag(lf ? session_diagnostic_id::bare_lf_in_command : session_diagnostic_id::bare_cr_in_command,
           off + line.size());
      if ((lf ? cfg.bare_lf : cfg.bare_cr) == newline_policy::reject) {
        send({500, es(5, 5, 2), lf ? "Error: bare <LF> received" : "Error: bare <CR> received"});
        return true;
      }
    }
    command_line(line, off, pipelined);
    return true;
  }

  // RFC 2920 §3.1; true when the session closed for it.
  bool check_pipelining(std::optional<verb> v, bool pipelined, std::size_t next_off) {
    if (!pipelined) return false;
    std::optional<session_diagnostic_id> id;
    if (!(conn.esmtp && cfg.pipelining)) id = session_diagnostic_id::pipelining_not_advertised;
    else if (v && is_sync_verb(*v)) id = session_diagnostic_id::pipelining_after_sync_command;
    if (!id || (v && *v == verb::starttls)) return false;
    diag(*id, next_off);
    if (!cfg.reject_unauth_pipelining) return false;
    send({554, es(5, 5, 0), "Error: SMTP protocol synchronization"});
    close("protocol", std::nullopt);
    return true;
  }

  void command_line(const std::string& line, std::size_t off, bool pipelined) {
    const std::string_view word = first_word(line);
    for (auto h : http_verbs) {
      if (iequals(word, h) && (line.size() == word.size() || line[word.size()] == ' ')) {
        diag(session_diagnostic_id::http_command, off);
        send({421, es(4, 7, 0), host() + " Error: HTTP request sent to an SMTP server"});
        close("protocol", std::nullopt);
        return;
      }
    }
    if ((cfg.xclient && iequals(word, "XCLIENT")) || (cfg.xforward && iequals(word, "XFORWARD"))) {
      if (check_pipelining(std::nullopt, pipelined, consumed)) return;
      xcommand(line, iequals(word, "XCLIENT"));
      return;
    }
    auto r = parse_command(std::string_view(line), popts());
    const auto v = command_verb(r);
    if (check_pipelining(v, pipelined, consumed)) return;
    if (!v) {
      unrecognized(line, off);
      return;
    }
    // Commands of modes and extensions not in force.
    if ((*v == verb::lhlo && !cfg.lmtp) || (cfg.lmtp && (*v == verb::helo || *v == verb::ehlo))) {
      unrecognized(line, off);
      return;
    }
    if ((*v == verb::starttls && !cfg.starttls) || (*v == verb::auth && !cfg.auth) ||
        (*v == verb::bdat && !cfg.chunking)) {
      diag(session_diagnostic_id::extension_not_advertised, off);
      if (*v == verb::bdat && r.ok()) {
        begin_bdat(r->chunk_size, r->last, true, not_implemented());
        return;
      }
      send(not_implemented());
      return;
    }
    if (!r.ok()) {
      const auto& e = r.error();
      const auto& row = info(e.code);
      const std::string_view reply = e.reply.empty() ? row.reply : e.reply;
      const auto id = e.code == error_code::line_too_long ? session_diagnostic_id::command_line_too_long
                      : reply.starts_with("555")           ? session_diagnostic_id::extension_not_advertised
                                                           : session_diagnostic_id::syntax_error;
      diag(id, off + std::min(e.offset, line.size()));
      send(from_catalogue_reply(reply, std::string("Error: ") + std::string(row.message)));
      return;
    }
    dispatch(*r, line, off);
  }

  void unrecognized(const std::string& line, std::size_t off) {
    diag(session_diagnostic_id::unknown_command, off);
    if (!conn.authenticated_user) {
      ++conn.unknown_commands;
      if (conn.unknown_commands > cfg.limits.unknown_commands) {
        diag(session_diagnostic_id::too_many_unknown_commands, off);
        send({421, es(4, 7, 0), host() + " Error: too many unrecognized commands"});
        close("limit", std::nullopt);
        return;
      }
    }
    call(hook_event(hook::unrecognized_command, line.substr(0, cfg.limits.command_line_hard)));
  }

  void bad_sequence(std::size_t off, reply_spec r) {
    diag(session_diagnostic_id::bad_sequence, off);
    send(r);
  }

  void dispatch(const command& c, const std::string& line, std::size_t off) {
    (void)line;
    switch (c.verb) {
      case verb::helo:
      case verb::ehlo:
      case verb::lhlo:
        ctx_arg = std::string(c.domain.text);
        call(hook_event(c.verb == verb::helo ? hook::helo : hook::ehlo, ctx_arg));
        return;
      case verb::mail: mail(c, off); return;
      case verb::rcpt: rcpt(c, off); return;
      case verb::data: data(off); return;
      case verb::bdat: bdat(c, off); return;
      case verb::rset: call(hook_event(hook::rset)); return;
      case verb::quit: call(hook_event(hook::quit)); return;
      case verb::noop: call(hook_event(hook::noop, std::string(c.argument))); return;
      case verb::help: call(hook_event(hook::help, std::string(c.argument))); return;
      case verb::vrfy: call(hook_event(hook::vrfy, std::string(c.argument))); return;
      case verb::expn: send(not_implemented()); return;
      case verb::starttls:
        if (conn.tls) return bad_sequence(off, {503, es(5, 5, 1), "Error: TLS already active"});
        if (tx) return bad_sequence(off, {503, es(5, 5, 1), "Error: MAIL transaction in progress"});
        call(hook_event(hook::starttls));
        return;
      case verb::auth: auth(c, off); return;
    }
  }

  // ---- MAIL / RCPT ----
  void mail(const command& c, std::size_t off) {
    if (conn.helo.empty()) return bad_sequence(off, {503, es(5, 5, 1), "Error: send HELO/EHLO first"});
    if (tx) return bad_sequence(off, {503, es(5, 5, 1), "Error: nested MAIL command"});
    if (conn.transactions >= cfg.limits.transactions) {
      diag(session_diagnostic_id::too_many_transactions, off);
      send({421, es(4, 7, 0), host() + " Error: too many transactions"});
      close("limit", std::nullopt);
      return;
    }
    smtpspec::transaction t;
    t.mail_from = c.path.kind == path_kind::null ? std::string() : std::string(c.path.mailbox.text);
    for (const auto& p : c.params) {
      session_param sp = param_of(p);
      switch (p.kind) {
        case param_kind::size: t.declared_size = p.number; break;
        case param_kind::body: t.body = upper(p.value); break;
        case param_kind::ret: t.ret = std::string(p.value); break;
        case param_kind::envid: t.envid = std::string(p.value); break;
        case param_kind::requiretls: t.requiretls = true; break;
        default:
          if (iequals(p.keyword, "SMTPUTF8")) t.smtputf8 = true;
          break;
      }
      t.params.push_back(std::move(sp));
    }
    if (cfg.size && t.declared_size && *t.declared_size > cfg.limits.message_size) {
      diag(session_diagnostic_id::declared_size_too_big, off);
      send({552, es(5, 3, 4), "Error: message size exceeds fixed maximum message size"});
      return;
    }
    ctx_tx = std::move(t);
    auto e = hook_event(hook::mail, ctx_tx.mail_from);
    e.params = ctx_tx.params;
    call(std::move(e));
  }

  void rcpt(const command& c, std::size_t off) {
    if (!tx) return bad_sequence(off, {503, es(5, 5, 1), "Error: need MAIL command"});
    ++rcpt_tries;
    if (tx->recipients.size() >= cfg.limits.recipients) {
      diag(session_diagnostic_id::too_many_recipients, off);
      send({452, es(4, 5, 3), "Error: too many recipients"});
      return;
    }
    smtpspec::recipient rc;
    rc.address = c.path.kind == path_kind::postmaster ? std::string("Postmaster")
                                                       : std::string(c.path.mailbox.text);
    for (const auto& p : c.params) {
      rc.params.push_back(param_of(p));
      if (p.kind == param_kind::notify) rc.notify = std::string(p.value);
      if (p.kind == param_kind::orcpt) rc.orcpt = std::string(p.value);
    }
    ctx_rcpt = std::move(rc);
    auto e = hook_event(hook::rcpt, ctx_rcpt.address);
    e.params = ctx_rcpt.params;
    call(std::move(e));
  }

  bool no_recipients(std::size_t off) {
    if (!tx) {
      bad_sequence(off, {503, es(5, 5, 1), "Error: need MAIL command"});
      return true;
    }
    if (tx->recipients.empty()) {
      // RFC 5321 §3.3 allows 503 or 554; RFC 2033 §4.2 requires 503 in LMTP.
      if (rcpt_tries > 0 && !cfg.lmtp) send({554, es(5, 5, 1), "Error: no valid recipients"});
      else bad_sequence(off, {503, es(5, 5, 1), "Error: need RCPT command"});
      return true;
    }
    return false;
  }

  // ---- DATA ----
  void data(std::size_t off) {
    if (no_recipients(off)) return;
    if (tx->body == "BINARYMIME") {
      return bad_sequence(off, {503, es(5, 5, 1), "Error: BINARYMIME requires BDAT"});
    }
    if (bdat_active || bdat_failed) return bad_sequence(off, {503, es(5, 5, 1), "Error: DATA after BDAT"});
    ctx_bdat = false;
    call(hook_event(hook::data));
  }

  void start_message() {
    in_message = true;
    abort_announced = false;
    message_start = consumed;
    aborted = false;
    abort_reason.reset();
    msgbuf.clear();
    whole.clear();
    if (tx) tx->message_size = 0;
  }

  // Message octets: streamed, counted against limits.message_size (RFC 1870 §6.3).
  void message_octets(std::string_view data) {
    if (!in_message || aborted || data.empty() || !tx) return;
    const std::uint64_t limit = cfg.limits.message_size;
    if (tx->message_size + data.size() > limit) {
      const auto room = static_cast<std::size_t>(limit - tx->message_size);
      msgbuf.append(data.substr(0, room));
      if (cfg.buffer_message) whole.append(data.substr(0, room));
      tx->message_size = limit;
      // The offset is where the message began: where the limit was crossed depends on the
      // dot-unstuffing and on how the input was split.
      abort_message(session_diagnostic_id::message_too_big, message_start, false);
      return;
    }
    tx->message_size += data.size();
    msgbuf.append(data);
    if (cfg.buffer_message) whole.append(data);
  }

  bool step_data() {
    const auto in = avail();
    if (in.empty()) return false;
    std::string tmp;
    const auto s = reader.feed(in, tmp);
    consume(s.consumed);
    const auto& ds = reader.diagnostics();
    for (; reader_diags < ds.size(); ++reader_diags) {
      diag(ds[reader_diags].first, data_start + ds[reader_diags].second);
    }
    message_octets(tmp);
    if (reader.reject_reason() && !aborted) {
      // Where the reader found it (its first diagnostic of that kind).
      std::size_t at = consumed;
      for (const auto& [id, o] : reader.diagnostics())
        if (id == *reader.reject_reason()) {
          at = data_start + o;
          break;
        }
      abort_message(reader.reject_reason(), at, false);
    }
    if (!s.done) return s.consumed > 0;
    flush_message_data();
    end_of_message();
    return true;
  }

  // ---- BDAT (RFC 3030) ----
  void bdat(const command& c, std::size_t off) {
    ctx_chunk = c.chunk_size;
    ctx_last = c.last;
    if (bdat_failed) {
      // §2: chunks after a failed one are read and dropped.
      diag(session_diagnostic_id::bad_sequence, off);
      begin_bdat(c.chunk_size, c.last, true, reply_spec{503, es(5, 5, 1), "Error: previous BDAT failed"});
      return;
    }
    if (cfg.lmtp && tx && tx->recipients.empty() && c.last && !bdat_active) {
      // RFC 2033 §4.3: BDAT LAST without a successful RCPT returns zero replies.
      diag(session_diagnostic_id::bad_sequence, off);
      begin_bdat(c.chunk_size, c.last, true, std::nullopt);
      bdat_silent = true;
      return;
    }
    if (!tx || tx->recipients.empty()) {
      diag(session_diagnostic_id::bad_sequence, off);
      begin_bdat(c.chunk_size, c.last, true,
                 reply_spec{503, es(5, 5, 1), !tx ? "Error: need MAIL command" : "Error: need RCPT command"});
      return;
    }
    if (bdat_active) {
      begin_bdat(c.chunk_size, c.last, false, std::nullopt);
      return;
    }
    ctx_bdat = true;
    call(hook_event(hook::data));
  }

  void begin_bdat(std::uint64_t n, bool last, bool discard, std::optional<reply_spec> deferred) {
    bdat_remaining = n;
    bdat_silent = false;
    last_chunk_size = n;
    bdat_last = last;
    bdat_discard = discard;
    bdat_deferred = std::move(deferred);
    to(session_state::bdat);
  }

  bool step_bdat() {
    if (bdat_remaining > 0) {
      const auto in = avail();
      if (in.empty()) return false;
      const auto k = static_cast<std::size_t>(std::min<std::uint64_t>(bdat_remaining, in.size()));
      if (!bdat_discard) message_octets(in.substr(0, k));
      consume(k);
      bdat_remaining -= k;
      if (bdat_remaining > 0) return true;
    }
    to(session_state::command);
    if (bdat_silent) {
      bdat_silent = false;
      reset_tx();
      return true;
    }
    if (bdat_deferred) {
      const reply_spec r = *bdat_deferred;
      bdat_deferred.reset();
      if (bdat_last && tx && (bdat_active || bdat_failed)) {
        abort_message(std::nullopt, consumed);
        reset_tx();
      }
      send(r);
      return true;
    }
    if (aborted) {
      // Size exceeded: the transaction failed (§2); chunks already pipelined are dropped.
      abort_message(abort_reason, abort_offset);
      if (bdat_last) {
        end_of_message();
        return true;
      }
      bdat_failed = true;
      bdat_active = false;
      send({552, es(5, 3, 4), "Error: message too big"});
      return true;
    }
    if (!bdat_last) {
      flush_message_data();
      send({250, es(2, 0, 0), std::to_string(last_chunk_size) + " octets received"});
      return true;
    }
    flush_message_data();
    end_of_message();
    return true;
  }

  // ---- end of a message ----
  void end_of_message() {
    to(session_state::command);
    if (aborted) {
      abort_message(abort_reason, abort_offset);
      const auto why = abort_reason;
      // RFC 2033 §4.2: in LMTP the refusal is repeated for each accepted recipient.
      const std::size_t n = cfg.lmtp && tx ? std::max<std::size_t>(1, tx->recipients.size()) : 1;
      reset_tx();
      if (why == session_diagnostic_id::message_too_big) {
        for (std::size_t i = 0; i < n; ++i) send({552, es(5, 3, 4), "Error: message too big"});
        return;
      }
      // Postfix smtpd_forbid_bare_newline_reject_code: a 4xx or 5xx (anything else: 550).
      const int code = cfg.bare_newline_reject_code >= 400 && cfg.bare_newline_reject_code <= 599
                           ? cfg.bare_newline_reject_code
                           : 550;
      const bool cr = why == session_diagnostic_id::bare_cr_in_data;
      for (std::size_t i = 0; i < n; ++i)
        send({code, es(static_cast<unsigned>(code / 100), 5, 2),
              cr ? "Error: bare <CR> received" : "Error: bare <LF> received"});
      if (code == 521) close("protocol", std::nullopt);
      return;
    }
    // in_message stays set until the queue hook answers: a client vanishing before that queues nothing.
    auto e = hook_event(hook::data_post);
    if (cfg.buffer_message) e.data = whole;
    call(std::move(e));
  }

  void queue_reply(const hook_response& r) {
    if (!tx) return;
    if (!cfg.lmtp) {
      if (refused(hook::queue, r, {550, es(5, 7, 1), "Message rejected"},
                  {450, es(4, 3, 0), "Message temporarily rejected"}))
        return;
      if (r.verdict == verdict::ok) send_hook(r, {250, es(2, 0, 0), "Message queued"});
      else send_hook(r, {451, es(4, 3, 0), "Queuing declined or disabled, try later"});
      return;
    }
    // RFC 2033 §4.2: one reply per accepted recipient, in order.
    for (std::size_t i = 0; i < tx->recipients.size() && !closed(); ++i) {
      const hook_response& p = i < r.per_recipient.size() ? r.per_recipient[i] : r;
      const std::string who = echo(tx->recipients[i].address);
      switch (p.verdict) {
        case verdict::ok: send_hook(p, {250, es(2, 0, 0), "<" + who + "> Message queued"}); break;
        case verdict::cont:
          send_hook(p, {451, es(4, 3, 0), "<" + who + "> Queuing declined or disabled, try later"});
          break;
        case verdict::deny:
        case verdict::denydisconnect:
          send_hook(p, {550, es(5, 7, 1), "<" + who + "> Message rejected"});
          break;
        case verdict::denysoft: case verdict::disconnect:
          send_hook(p, {450, es(4, 3, 0), "<" + who + "> Message temporarily rejected"});
          break;
      }
    }
    if (r.verdict == verdict::denydisconnect || r.verdict == verdict::disconnect) {
      close("verdict", std::nullopt);
    }
  }

  void end_transaction() {
    reset_tx();
    to(session_state::command);
  }

  // ---- AUTH (RFC 4954) ----
  void auth(const command& c, std::size_t off) {
    if (cfg.auth_requires_tls && !conn.tls) {
      diag(session_diagnostic_id::extension_not_advertised, off);
      send({530, es(5, 7, 0), "Must issue a STARTTLS command first"});
      return;
    }
    if (!conn.esmtp) return bad_sequence(off, {503, es(5, 5, 1), "Error: send EHLO first"});
    if (conn.authenticated_user) return bad_sequence(off, {503, es(5, 5, 1), "Error: already authenticated"});
    if (tx) return bad_sequence(off, {503, es(5, 5, 1), "Error: MAIL transaction in progress"});
    const std::string mech = upper(c.mechanism);
    const bool known = std::any_of(cfg.auth_mechanisms.begin(), cfg.auth_mechanisms.end(),
                                   [&](const std::string& m) { return iequals(m, mech); });
    if (!known) {
      send({504, es(5, 5, 4), "Unrecognized authentication type"});
      return;
    }
    auth_mech = mech;
    auth_user.clear();
    auth_zid.clear();
    std::optional<std::string> initial;
    if (c.has_initial_response) {
      if (c.initial_response == "=") {
        initial = std::string();
      } else {
        initial = base64_decode(c.initial_response);
        if (!initial) {
          diag(session_diagnostic_id::invalid_base64, off);
          send({501, es(5, 5, 2), "Error: invalid base64"});
          return;
        }
      }
    }
    if (mech == "PLAIN") {
      if (!initial) return challenge("", auth_step::plain);
      return plain(*initial);
    }
    if (mech == "LOGIN") {
      if (!initial) return challenge("Username:", auth_step::login_user);
      auth_user = *initial;
      return challenge("Password:", auth_step::login_password);
    }
    auth_hook(initial);
  }

  void challenge(std::string_view text, auth_step step) {
    // "334 " base64 CRLF: not a text reply (never wrapped); the host's challenge may be long.
    out += "334 ";
    out += base64_encode(text);
    out += "\r\n";
    astep = step;
    to(session_state::auth);
  }

  void plain(const std::string& msg) {
    // RFC 4616 §2: [authzid] NUL authcid NUL passwd
    const auto a = msg.find('\0');
    const auto b = a == std::string::npos ? std::string::npos : msg.find('\0', a + 1);
    if (b == std::string::npos) {
      diag(session_diagnostic_id::invalid_plain_response, consumed);
      to(session_state::command);
      send({501, es(5, 5, 2), "Error: invalid PLAIN response"});
      return;
    }
    auth_zid = msg.substr(0, a);
    auth_user = msg.substr(a + 1, b - a - 1);
    auto e = hook_event(hook::auth, auth_mech);
    e.authzid = auth_zid;
    e.username = auth_user;
    e.password = msg.substr(b + 1);
    astep = auth_step::none;
    to(session_state::command);
    call(std::move(e));
  }

  void auth_hook(const std::optional<std::string>& response) {
    auto e = hook_event(hook::auth, auth_mech);
    if (response) {
      e.sasl_response = *response;
      e.has_sasl_response = true;
    }
    if (auth_mech == "LOGIN") {
      e.username = auth_user;
      e.password = response.value_or("");
      e.sasl_response.clear();
      e.has_sasl_response = false;
    }
    astep = auth_step::none;
    to(session_state::command);
    call(std::move(e));
  }

  void auth_result(const hook_response& r) {
    if (r.verdict == verdict::ok) {
      conn.authenticated_user = r.user ? *r.user : auth_user;
      send_hook(r, {235, es(2, 7, 0), "Authentication successful"});
      return;
    }
    if (r.verdict == verdict::cont && r.challenge) {
      out += "334 " + base64_encode(*r.challenge) + "\r\n";
      astep = auth_step::custom;
      to(session_state::auth);
      return;
    }
    if (r.verdict == verdict::denysoft || r.verdict == verdict::disconnect) {
      refused(hook::auth, r, {535, es(5, 7, 8), ""}, {454, es(4, 7, 0), "Temporary authentication failure"});
      return;
    }
    auth_failed(r);
  }

  void auth_failed(const hook_response& r) {
    ++conn.auth_failures;
    send_hook(r, {535, es(5, 7, 8), "Authentication credentials invalid"});
    if (r.verdict == verdict::denydisconnect) {
      close("verdict", std::nullopt);
      return;
    }
    if (conn.auth_failures > cfg.limits.auth_failures && !closed()) {
      diag(session_diagnostic_id::too_many_auth_failures, consumed);
      send({421, es(4, 7, 0), host() + " Error: too many failed authentication attempts"});
      close("limit", std::nullopt);
    }
  }

  bool step_auth() {
    if (skipping) {
      if (!skip_line()) return false;
      to(session_state::command);
      return true;
    }
    const auto in = avail();
    const auto l = next_line(in);
    const std::size_t cap = cfg.limits.auth_line;
    if (!l ? open_line_length(in) >= cap : l->content.size() + l->term_len > cap) {
      diag(session_diagnostic_id::auth_line_too_long, consumed);
      astep = auth_step::none;
      send({500, es(5, 5, 6), "Authentication exchange line is too long"});
      skipping = true;
      return !closed();
    }
    if (!l) return false;
    const std::size_t off = consumed;
    const std::string line(l->content);
    consume(l->content.size() + l->term_len);
    if (line == "*") {
      diag(session_diagnostic_id::auth_cancelled, off);
      astep = auth_step::none;
      to(session_state::command);
      send({501, es(5, 0, 0), "Authentication cancelled"});
      return true;
    }
    auto d = base64_decode(line);
    if (!d) {
      diag(session_diagnostic_id::invalid_base64, off);
      astep = auth_step::none;
      to(session_state::command);
      send({501, es(5, 5, 2), "Error: invalid base64"});
      return true;
    }
    switch (astep) {
      case auth_step::plain: plain(*d); break;
      case auth_step::login_user:
        auth_user = *d;
        challenge("Password:", auth_step::login_password);
        break;
      case auth_step::login_password: auth_hook(*d); break;
      case auth_step::custom: auth_hook(*d); break;
      case auth_step::none: to(session_state::command); break;
    }
    return true;
  }

  // ---- STARTTLS (RFC 3207) ----
  void enter_tls_pending() {
    session_event e;
    e.kind = event_kind::start_tls;
    push(std::move(e));
    to(session_state::tls_pending);
    const auto in = avail();
    if (!in.empty()) {
      // §4.2 / CVE-2011-0411: nothing sent before the handshake is ever executed.
      diag(session_diagnostic_id::starttls_injection, consumed);
      injection_diag = true;
      consume(in.size());
    }
  }

  // ---- XCLIENT / XFORWARD (Postfix) ----
  void xcommand(const std::string& line, bool xclient) {
    const auto verb_len = first_word(line).size();
    std::vector<session_param> attrs;
    std::size_t i = verb_len;
    bool bad = false;
    while (i < line.size()) {
      if (line[i] == ' ') {
        ++i;
        continue;
      }
      const auto sp = std::min(line.find(' ', i), line.size());
      const std::string_view a = std::string_view(line).substr(i, sp - i);
      i = sp;
      const auto eq = a.find('=');
      if (eq == std::string_view::npos) {
        bad = true;
        break;
      }
      const std::string name = upper(a.substr(0, eq));
      const auto in = [&name](const auto& list) {
        return std::find(list.begin(), list.end(), name) != list.end();
      };
      const bool known = xclient ? in(xclient_attrs) : in(xforward_attrs);
      if (!known) {
        bad = true;
        break;
      }
      attrs.push_back({name, std::string(a.substr(eq + 1))});
    }
    const std::size_t off = consumed;
    if (bad || attrs.empty()) {
      diag(session_diagnostic_id::syntax_error, off);
      send({501, es(5, 5, 4), xclient ? "Error: bad XCLIENT attribute" : "Error: bad XFORWARD attribute"});
      return;
    }
    if (tx) return bad_sequence(off, {503, es(5, 5, 1), "Error: MAIL transaction in progress"});
    ctx_params = attrs;
    auto e = hook_event(xclient ? hook::xclient : hook::xforward,
                        line.substr(std::min(verb_len + 1, line.size())));
    e.params = std::move(attrs);
    call(std::move(e));
  }

  void apply_xclient() {
    std::optional<std::string> login;
    for (const auto& p : ctx_params) {
      const std::string v = p.value.value_or("");
      conn.xclient[p.keyword] = v;
      // Postfix: [UNAVAILABLE] and [TEMPUNAVAIL] mean "not known".
      const bool unknown = v == "[UNAVAILABLE]" || v == "[TEMPUNAVAIL]";
      if (p.keyword == "ADDR") conn.remote_address = unknown ? std::string() : v;
      else if (p.keyword == "PORT") conn.remote_port = unknown ? 0 : to_port(v);
      else if (p.keyword == "NAME") conn.remote_name = unknown ? std::string() : v;
      else if (p.keyword == "DESTADDR") conn.local_address = unknown ? std::string() : v;
      else if (p.keyword == "DESTPORT") conn.local_port = unknown ? 0 : to_port(v);
      else if (p.keyword == "LOGIN" && !unknown) login = v;
    }
    // A new session for the client named: the state is reset and a new greeting sent.
    reset_tx();
    conn.helo.clear();
    conn.esmtp = false;
    conn.authenticated_user = login;
    greet(hook_response{});
  }
};

// ---- public API ------------------------------------------------------------------------------------

server_session::server_session(session_config config, connection_info peer)
    : impl_(new impl(std::move(config), std::move(peer))) {}
server_session::~server_session() { delete impl_; }
server_session::server_session(server_session&& o) noexcept : impl_(std::exchange(o.impl_, nullptr)) {}
server_session& server_session::operator=(server_session&& o) noexcept {
  if (this != &o) {
    delete impl_;
    impl_ = std::exchange(o.impl_, nullptr);
  }
  return *this;
}

session_events server_session::start() {
  auto& s = *impl_;
  s.events.clear();
  if (s.started || s.closed()) return std::exchange(s.events, {});
  s.started = true;
  if (s.cfg.proxy != proxy_protocol::none) {
    s.st = session_state::proxy_header;
    s.pump();
  } else {
    s.begin_connect();
    s.pump();
  }
  return std::exchange(s.events, {});
}

session_events server_session::feed(std::string_view bytes) {
  auto& s = *impl_;
  s.events.clear();
  if (s.closed() || bytes.empty()) return std::exchange(s.events, {});
  const std::size_t at = s.fed;
  s.fed += bytes.size();
  if (s.st == session_state::tls_pending) {
    if (!s.injection_diag) {
      s.injection_diag = true;
      s.diag(session_diagnostic_id::starttls_injection, at);
    }
    s.consumed += bytes.size();
    return std::exchange(s.events, {});
  }
  if (s.st == session_state::connecting && s.started && !s.early_diag) {
    s.early_diag = true;
    s.diag(session_diagnostic_id::early_talker, at);
  }
  // Compact what was read before appending (views into buf never live across calls).
  if (s.pos > 0 && (s.pos >= s.buf.size() || s.pos > 65536)) {
    s.buf.erase(0, s.pos);
    s.pos = 0;
  }
  if (s.pending != 0) {
    // Held behind a pending hook: bounded by input_buffer and pipelined_commands.
    const std::size_t held = s.buf.size() - s.pos + bytes.size();
    bool over = held > s.cfg.limits.input_buffer;
    if (!over && s.st == session_state::command && s.pending_hook != hook::data) {
      const auto lines =
          s.buffered_lf + static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
      over = lines > s.cfg.limits.pipelined_commands;
    }
    if (over) {
      s.diag(session_diagnostic_id::held_input_too_large, at);
      s.send({421, es(4, 7, 0), s.host() + " Error: too much pipelined input"});
      s.close("limit", std::nullopt);
      return std::exchange(s.events, {});
    }
  }
  s.buf.append(bytes);
  s.buffered_lf += static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
  if (s.started) s.pump();
  return std::exchange(s.events, {});
}

session_events server_session::answer(std::uint64_t handle, const hook_response& response) {
  auto& s = *impl_;
  s.events.clear();
  if (s.closed() || handle == 0 || handle != s.pending) return std::exchange(s.events, {});
  s.pending = 0;
  s.resolve(s.pending_hook, response);
  s.pump();
  return std::exchange(s.events, {});
}

session_events server_session::tls_established(std::string_view cipher) {
  auto& s = *impl_;
  s.events.clear();
  if (s.st != session_state::tls_pending) return std::exchange(s.events, {});
  // RFC 3207 §4.2: the client's knowledge from before the handshake is discarded.
  s.reset_tx();
  s.conn.tls = true;
  s.conn.tls_cipher = std::string(cipher);
  s.conn.helo.clear();
  s.conn.esmtp = false;
  s.conn.authenticated_user.reset();
  s.injection_diag = false;
  s.st = session_state::command;
  s.pump();
  return std::exchange(s.events, {});
}

session_events server_session::eof() {
  auto& s = *impl_;
  s.events.clear();
  if (s.closed()) return std::exchange(s.events, {});
  if (s.in_message && !s.aborted) {
    s.diag(session_diagnostic_id::eof_in_data, s.fed);
    s.close("eof", session_diagnostic_id::eof_in_data);
  } else {
    s.diag(session_diagnostic_id::eof_without_quit, s.fed);
    s.close("eof", std::nullopt);
  }
  return std::exchange(s.events, {});
}

session_events server_session::timeout() {
  auto& s = *impl_;
  s.events.clear();
  if (s.closed()) return std::exchange(s.events, {});
  s.diag(session_diagnostic_id::timeout, s.fed);
  s.abort_message(session_diagnostic_id::timeout, s.consumed);
  // No reply in the middle of a TLS handshake (it would be plaintext inside it) or before a PROXY
  // header (no greeting was sent either).
  if (s.st != session_state::tls_pending && s.st != session_state::proxy_header)
    s.send({421, es(4, 4, 2), s.host() + " Error: timeout exceeded"});
  s.close("timeout", std::nullopt);
  return std::exchange(s.events, {});
}

std::string server_session::take_output() { return std::exchange(impl_->out, std::string()); }
std::size_t server_session::output_size() const noexcept { return impl_->out.size(); }
std::uint32_t server_session::timeout_seconds() const noexcept {
  const auto st = impl_->st;
  return st == session_state::data || st == session_state::bdat ? impl_->cfg.limits.data_timeout
                                                                : impl_->cfg.limits.command_timeout;
}
bool server_session::wants_input() const noexcept {
  const auto& s = *impl_;
  if (s.closed()) return false;
  return !(s.pending != 0 && s.buf.size() - s.pos >= s.cfg.limits.input_buffer);
}
bool server_session::closed() const noexcept { return impl_->closed(); }
session_state server_session::state() const noexcept { return impl_->st; }
const session_config& server_session::config() const noexcept { return impl_->cfg; }
const connection_info& server_session::connection() const noexcept { return impl_->conn; }
connection_info& server_session::connection() noexcept { return impl_->conn; }
const smtpspec::transaction* server_session::transaction() const noexcept {
  return impl_->tx ? &*impl_->tx : nullptr;
}
smtpspec::transaction* server_session::transaction() noexcept { return impl_->tx ? &*impl_->tx : nullptr; }
std::size_t server_session::offset() const noexcept { return impl_->fed; }

}  // namespace smtpspec
