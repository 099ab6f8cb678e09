// smtpspec — a sans-IO SMTP/LMTP server session (RFC 5321, RFC 2033) with Haraka-style hooks.
//
// The session takes the client's bytes and returns events; it never reads or writes a socket, never
// starts a timer and never blocks. The host (smtpspec serve, the Node and Python adapters, your
// server) does the I/O:
//
//   server_session s(config, peer);
//   handle(s.start());                         // connect hook (or wait for a PROXY header)
//   on bytes from the socket:  handle(s.feed(bytes));
//   on a hook event:           … now or later (DNS, database): handle(s.answer(ev.handle, response));
//   after every call:          write(s.take_output());  if (s.closed()) close the socket;
//   on start_tls:              flush output, do the TLS handshake, then handle(s.tls_established(…)).
//
// Hooks follow Haraka's names, order and verdicts (CONT, OK, DENY, DENYSOFT, DENYDISCONNECT,
// DISCONNECT). A hook the host did not subscribe to (session_config::hooks) is answered CONT at once.
// While a hook that needs an answer is pending, the session reads no further input (it keeps what
// was fed, bounded by limits::input_buffer); output never depends on how the input was split.
//
// Messages stream to the host as message_data events (DATA dot-unstuffed, BDAT chunks verbatim);
// the session never holds a whole message unless session_config::buffer_message asks it to. A
// message that is rejected or cut off (bare LF under newline_policy::reject, size exceeded, the
// client vanishing) ends with a message_aborted event: the host discards what it got.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/dsn.hpp"
#include "smtpspec/enhanced_status.hpp"
#include "smtpspec/options.hpp"
#include "smtpspec/result.hpp"

namespace smtpspec {

// ---- Hooks and verdicts (Haraka) ----------------------------------------------------------------

// Haraka's hook names, in Haraka's order; then smtpspec's own (xclient, xforward). Append-only.
enum class hook : std::uint8_t {
  connect, helo, ehlo, capabilities, mail, rcpt, rcpt_ok, data, data_post, queue, rset, quit, vrfy,
  noop, help, unrecognized_command, auth, starttls, disconnect, deny, xclient, xforward,
};
inline constexpr std::size_t hook_count = 22;
[[nodiscard]] std::string_view to_string(hook h) noexcept;  // "connect", …, "unrecognized_command"
[[nodiscard]] std::optional<hook> hook_from_string(std::string_view name) noexcept;
[[nodiscard]] std::span<const hook> all_hooks() noexcept;

// Informational hooks (rcpt_ok, disconnect, deny) never hold the session: their answer is ignored.
[[nodiscard]] bool hook_needs_answer(hook h) noexcept;

// Haraka's verdicts. CONT: no opinion (the session's default applies); OK: accept (for rcpt: the
// recipient is accepted, for queue: the message is safely stored); DENY: 5xx; DENYSOFT: 4xx;
// DENYDISCONNECT: 5xx then close; DISCONNECT: close (421 unless a message is given).
enum class verdict : std::uint8_t { cont, ok, deny, denysoft, denydisconnect, disconnect };
[[nodiscard]] std::string_view to_string(verdict v) noexcept;  // "CONT", "OK", "DENY", …
[[nodiscard]] std::optional<verdict> verdict_from_string(std::string_view name) noexcept;  // any case

// The host's answer to a hook.
struct hook_response {
  smtpspec::verdict verdict = verdict::cont;
  // A custom reply: code and/or enhanced code and/or text lines. Absent parts come from the
  // session's default reply for this hook and verdict. The code must agree with the verdict's
  // class (DENY: 5xx, DENYSOFT: 4xx); a mismatch is replaced by the default and reported as a
  // session diagnostic (host_reply_mismatch).
  std::optional<int> code;
  std::optional<enhanced_status> status;
  std::vector<std::string> message;
  // auth with verdict CONT: send "334 " + base64(challenge) and continue the SASL exchange.
  std::optional<std::string> challenge;
  // auth with verdict OK: the authenticated identity (defaults to the username the client gave).
  std::optional<std::string> user;
  // capabilities: further EHLO keyword lines to advertise (each is checked like format_ehlo_reply).
  std::vector<std::string> capabilities;
  // queue in LMTP mode: one response per accepted recipient, in order; empty: this one for all.
  std::vector<hook_response> per_recipient;

  // haraka's next(verdict, DSN.<name>(…)): code, enhanced code and text from the DSN catalogue.
  [[nodiscard]] static hook_response from_dsn(smtpspec::verdict v, const dsn::dsn_reply& d);
};

// ---- Configuration ------------------------------------------------------------------------------

// What the session does with a bare LF or a bare CR (one not part of CRLF), with Postfix's names
// (smtpd_forbid_bare_newline). In commands and in DATA.
enum class newline_policy : std::uint8_t {
  reject,     // the command, or the whole message, is refused (550 5.5.2 / the configured code)
  normalize,  // a bare LF (or CR) ends a line as CRLF would, except that only CRLF "." CRLF ends DATA
  accept,     // kept as a content octet (go-smtp); only CRLF "." CRLF ends DATA
};

enum class proxy_protocol : std::uint8_t { none, v1, v2, any };

// RELIABILITY.md §3 defaults; every one configurable. 0 never means "unlimited" unless said.
struct session_limits {
  std::size_t command_line = 512;         // accepted command line, CRLF included (RFC 5321 §4.5.3.1.4);
                                          // MAIL/RCPT grow by the enabled extensions (line_growth.inc)
  std::size_t command_line_hard = 2048;   // beyond: 500 5.5.2 and the rest of the line is skipped unread
  std::size_t auth_line = 12288;          // a SASL response line (RFC 4954 §4)
  std::size_t data_line = 1000;           // RFC 5321 §4.5.3.1.6; longer lines stream on, with a diagnostic
  std::uint64_t message_size = 10485760;  // advertised in SIZE, enforced while streaming (552 5.3.4)
  std::size_t recipients = 1000;          // per transaction; beyond: 452 4.5.3
  std::size_t transactions = 100;         // per connection; beyond: 421 4.7.0 and close
  std::size_t errors_soft = 10;           // after this many error replies the host is told to slow down
  std::size_t errors_hard = 20;           // 421 4.7.0 and close
  std::size_t unknown_commands = 3;       // unrecognised commands before AUTH; beyond: 421 and close
  std::size_t auth_failures = 3;          // failed AUTH attempts; beyond: 421 4.7.0 and close
  std::size_t pipelined_commands = 100;   // commands queued behind a pending hook
  std::size_t input_buffer = 262144;      // octets held while a hook is pending; beyond: 421 and close
  std::uint32_t command_timeout = 300;    // seconds (RFC 5321 §4.5.3.2.7), enforced by the host
  std::uint32_t data_timeout = 180;       // seconds per DATA block (§4.5.3.2.5 … .6: 3 and 10 min)
  std::uint32_t min_data_rate = 500;      // octets/s during DATA (Postfix smtpd_min_data_rate); 0: off
                                          // (data_timeout between two reads). Enforced by the host.
};

struct session_config {
  std::string hostname = "localhost";         // in the greeting, EHLO reply and 221/421 texts
  std::string greeting = "ESMTP smtpspec";    // after the hostname in the 220
  bool lmtp = false;                          // RFC 2033: LHLO, one reply per recipient after DATA
  smtpspec::profile profile = profile::lenient;  // how commands are parsed (diagnostics either way)
  // Extensions, each advertised only when enabled.
  bool pipelining = true;           // RFC 2920
  bool size = true;                 // RFC 1870, with limits.message_size
  bool eightbitmime = true;         // RFC 6152
  bool smtputf8 = true;             // RFC 6531
  bool dsn = true;                  // RFC 3461: RET/ENVID/NOTIFY/ORCPT carried to the queue hook
  bool chunking = true;             // RFC 3030 BDAT
  bool binarymime = true;           // RFC 3030 (needs chunking)
  bool starttls = false;            // RFC 3207: the host must be able to do TLS
  bool auth = false;                // RFC 4954
  std::vector<std::string> auth_mechanisms{"PLAIN", "LOGIN"};  // PLAIN/LOGIN decoded by the session
  bool auth_requires_tls = true;    // offer AUTH only inside TLS (RFC 4954 §4 for PLAIN/LOGIN)
  bool enhancedstatuscodes = true;  // RFC 2034
  bool requiretls = false;          // RFC 8689 (advertised only inside TLS)
  bool xclient = false;             // Postfix XCLIENT (the xclient hook authorises each use)
  bool xforward = false;            // Postfix XFORWARD
  proxy_protocol proxy = proxy_protocol::none;  // a PROXY header must precede the greeting
  bool relaying = false;            // a recipient the rcpt hooks do not OK is accepted (Haraka)
  newline_policy bare_lf = newline_policy::reject;
  newline_policy bare_cr = newline_policy::reject;
  int bare_newline_reject_code = 550;  // Postfix smtpd_forbid_bare_newline_reject_code (521: close)
  bool reject_unauth_pipelining = false;  // Postfix smtpd_forbid_unauth_pipelining: 554 5.5.0 + close
  bool buffer_message = false;      // hand the whole message to data_post (bounded by message_size)
  session_limits limits{};
  // Hooks the host answers; the others are answered CONT at once. Default: rcpt and queue, so a
  // host that does nothing refuses every recipient as Haraka does.
  std::vector<hook> hooks{hook::rcpt, hook::queue};
};

// ---- What the session knows ---------------------------------------------------------------------

struct session_param {
  std::string keyword;  // as written
  std::optional<std::string> value;  // as written (xtext not decoded)
  friend bool operator==(const session_param&, const session_param&) = default;
};

struct recipient {
  std::string address;  // the forward-path's mailbox as written ("Postmaster" for <Postmaster>)
  std::vector<session_param> params;
  std::optional<std::string> notify;  // RFC 3461 NOTIFY, ORCPT as written
  std::optional<std::string> orcpt;
};

struct transaction {
  std::string mail_from;  // "" for the null reverse-path <>
  std::vector<session_param> params;
  std::optional<std::uint64_t> declared_size;  // SIZE=
  std::string body = "7BIT";                   // BODY= value, upper case: 7BIT, 8BITMIME, BINARYMIME
  bool smtputf8 = false;
  bool requiretls = false;
  std::optional<std::string> ret, envid;       // RFC 3461
  std::vector<smtpspec::recipient> recipients;  // accepted ones, in order
  std::uint64_t message_size = 0;               // octets of message data so far (after unstuffing)
  std::uint64_t id = 0;                         // 1, 2, … within the connection
  std::map<std::string, std::string> notes;     // the host's
};

struct proxy_header {
  int version = 1;                 // 1 (text) or 2 (binary)
  bool local = false;              // v2 LOCAL / v1 UNKNOWN: use the real connection's addresses
  std::string family;              // "TCP4", "TCP6", "UNIX", "UNKNOWN"
  std::string source_address, destination_address;
  std::uint16_t source_port = 0, destination_port = 0;
  std::vector<std::pair<std::uint8_t, std::string>> tlvs;  // v2 type-length-values
};

struct connection_info {
  std::string remote_address, local_address;  // set by the host (PROXY / XCLIENT may change them)
  std::uint16_t remote_port = 0, local_port = 0;
  std::string remote_name;                    // rDNS name if the host knows it (XCLIENT NAME)
  std::string helo;                           // the last HELO/EHLO/LHLO argument
  bool esmtp = false;                         // EHLO/LHLO (not HELO)
  bool tls = false;
  std::string tls_cipher;
  std::optional<std::string> authenticated_user;
  std::optional<smtpspec::proxy_header> proxy;
  std::map<std::string, std::string> xclient;   // XCLIENT attributes as given (upper-case names)
  std::map<std::string, std::string> xforward;  // XFORWARD attributes of the current transaction
  std::size_t transactions = 0, errors = 0, unknown_commands = 0, auth_failures = 0;
  std::map<std::string, std::string> notes;     // the host's
};

// ---- Session diagnostics (catalogue/session_diagnostics.inc) --------------------------------------

// What the client (or the host) did that the RFCs do not allow or advise against; each row names
// its RFC section. Append-only: the numeric values are stable.
enum class session_diagnostic_id : std::uint16_t {
#define SMTPSPEC_SESSION_DIAGNOSTIC(id, sev, rfc, message) id,
#include "smtpspec/catalogue/session_diagnostics.inc"
#undef SMTPSPEC_SESSION_DIAGNOSTIC
};

struct session_diagnostic_info {
  session_diagnostic_id id;
  std::string_view name;
  severity level;
  std::string_view rfc;
  std::string_view message;
};

[[nodiscard]] std::span<const session_diagnostic_info> session_diagnostic_catalogue() noexcept;
[[nodiscard]] const session_diagnostic_info& info(session_diagnostic_id d) noexcept;
[[nodiscard]] std::string_view to_string(session_diagnostic_id d) noexcept;

// ---- Events -------------------------------------------------------------------------------------

enum class event_kind : std::uint8_t {
  hook,             // answer with answer(handle, …) when needs_answer
  message_data,     // the next piece of the message (data)
  message_aborted,  // the message being received will not be queued: discard its data
  start_tls,        // the 220 is in the output: flush it, handshake, then tls_established()
  close,            // flush the output, then close the connection
  diagnostic,       // the client deviated from the RFC (diagnostic, offset); nothing to do
  slow_down,        // errors_soft reached: the host may delay further replies (Postfix smtpd_soft_error_limit)
};
[[nodiscard]] std::string_view to_string(event_kind k) noexcept;

struct session_event {
  event_kind kind = event_kind::hook;
  smtpspec::hook hook = hook::connect;  // kind == hook
  std::uint64_t handle = 0;             // kind == hook && needs_answer; unique within the session
  bool needs_answer = false;
  // hook payloads:
  //   helo/ehlo: the domain as written; mail/rcpt: the mailbox ("" for <>); vrfy/expn/help/noop:
  //   the argument; unrecognized_command: the whole line (without CRLF, at most command_line_hard);
  //   auth: the mechanism; xclient/xforward: the attribute list; deny: the denied hook's name;
  //   disconnect: the reason ("quit", "eof", "timeout", "limit", "verdict", "protocol").
  std::string argument;
  std::vector<session_param> params;    // mail/rcpt ESMTP parameters; xclient/xforward attributes
  // auth: PLAIN/LOGIN are decoded by the session (authzid, username, password); any other
  // mechanism's exchange is framed for the host: sasl_response is the client's decoded response
  // (has_sasl_response false for an empty initial exchange).
  std::string authzid, username, password, sasl_response;
  bool has_sasl_response = false;
  // message_data: the octets; data_post with buffer_message: the whole message.
  std::string data;
  // diagnostic / message_aborted: what happened, and where (octets from the start of the stream).
  std::optional<session_diagnostic_id> diagnostic;
  std::size_t offset = 0;
  // deny: the verdict given and the reply sent.
  smtpspec::verdict verdict = verdict::cont;
  std::string reply;
};

using session_events = std::vector<session_event>;

// ---- The session --------------------------------------------------------------------------------

enum class session_state : std::uint8_t {
  proxy_header,  // waiting for the PROXY header
  connecting,    // the connect hook is pending
  command,       // reading commands
  data,          // reading DATA
  bdat,          // reading a BDAT chunk
  auth,          // reading SASL responses
  tls_pending,   // STARTTLS accepted: waiting for tls_established()
  closed,        // nothing more: close after the output is written
};
[[nodiscard]] std::string_view to_string(session_state s) noexcept;

class server_session {
 public:
  explicit server_session(session_config config = {}, connection_info peer = {});
  ~server_session();
  server_session(server_session&&) noexcept;
  server_session& operator=(server_session&&) noexcept;

  // The connection is up: the connect hook (or, with proxy, nothing until the header arrives).
  [[nodiscard]] session_events start();
  // Octets from the client; all are taken (held while a hook is pending).
  [[nodiscard]] session_events feed(std::string_view bytes);
  // The host's answer to a hook event. Unknown or already answered handles are ignored.
  [[nodiscard]] session_events answer(std::uint64_t handle, const hook_response& response);
  // The TLS handshake after start_tls succeeded: everything about the session is forgotten (RFC
  // 3207 §4.2) except the connection's addresses. A failed handshake: call eof().
  [[nodiscard]] session_events tls_established(std::string_view cipher = {});
  // The client closed the connection (a message being received is aborted: nothing partial is
  // queued).
  [[nodiscard]] session_events eof();
  // The host's timer (timeout_seconds()) fired: 421 4.4.2 and close.
  [[nodiscard]] session_events timeout();

  // Octets to write to the client, in order; taking them empties the buffer.
  [[nodiscard]] std::string take_output();
  [[nodiscard]] std::size_t output_size() const noexcept;
  // The timeout the host should enforce now (command or data), in seconds.
  [[nodiscard]] std::uint32_t timeout_seconds() const noexcept;
  // False while a hook is pending and the held input is at its bound: stop reading the socket.
  [[nodiscard]] bool wants_input() const noexcept;
  [[nodiscard]] bool closed() const noexcept;
  [[nodiscard]] session_state state() const noexcept;

  [[nodiscard]] const session_config& config() const noexcept;
  [[nodiscard]] const connection_info& connection() const noexcept;
  [[nodiscard]] connection_info& connection() noexcept;  // for notes
  // The transaction after MAIL was accepted; nullptr outside one.
  [[nodiscard]] const smtpspec::transaction* transaction() const noexcept;
  [[nodiscard]] smtpspec::transaction* transaction() noexcept;  // for notes
  // Octets fed so far.
  [[nodiscard]] std::size_t offset() const noexcept;

 private:
  struct impl;
  impl* impl_;  // owned; a pointer keeps the header free of the implementation's types
};

// ---- Building blocks, usable on their own ---------------------------------------------------------

// RFC 5321 §4.1.1.4 end of data and §4.5.2 transparency, sans-IO. feed() takes octets until the
// end-of-data line (CRLF "." CRLF, the CRLF before it being the DATA command's or the previous
// line's) and appends the un-stuffed message (CRLF line ends, the final CRLF included) to `out`.
struct data_reader_options {
  newline_policy bare_lf = newline_policy::reject;
  newline_policy bare_cr = newline_policy::reject;
  std::size_t max_line = 1000;  // longer lines are kept (diagnosed once per line)
};

class data_reader {
 public:
  explicit data_reader(const data_reader_options& options = {});
  struct step {
    std::size_t consumed = 0;  // octets of the input taken (the end-of-data line included)
    bool done = false;         // the end-of-data line was consumed
  };
  // Appends message octets to `out`; the input after the end-of-data line is not consumed.
  step feed(std::string_view in, std::string& out);
  // Findings so far (offsets from the first octet after the DATA command's CRLF; in offset order;
  // at most 100 per message, the first found). reject_reason() is set when the policy rejects the
  // message (the reader still reads to the real end of data).
  [[nodiscard]] const std::vector<std::pair<session_diagnostic_id, std::size_t>>& diagnostics() const noexcept;
  [[nodiscard]] std::optional<session_diagnostic_id> reject_reason() const noexcept;
  [[nodiscard]] std::uint64_t octets_in() const noexcept;   // consumed so far
  [[nodiscard]] std::uint64_t octets_out() const noexcept;  // appended so far
  void reset();

 private:
  // At most this many diagnostics are kept per message (the rest are counted in octets_in only).
  static constexpr std::size_t max_diagnostics = 100;
  void diagnose(session_diagnostic_id id, std::uint64_t offset);
  data_reader_options opts_;
  std::uint8_t state_ = 0;        // where in a line the reader is (data_reader.cpp)
  std::uint8_t lax_ = 1;          // what a lax server makes of the current line: other, empty, "."
  bool line_long_ = false;        // data_line_too_long reported for the current line
  bool lax_pending_ = false;      // a "." line ended by CR: EOD if LF follows, smuggling otherwise
  std::size_t line_len_ = 0;      // content octets of the current line
  std::uint64_t lax_start_ = 0;   // offset of the current lax line's first octet
  std::uint64_t pending_start_ = 0;
  std::uint64_t in_ = 0, out_ = 0;
  std::vector<std::pair<session_diagnostic_id, std::size_t>> diags_;
  std::optional<session_diagnostic_id> reject_;
};

// The PROXY protocol header (HAProxy's proxy-protocol.txt, v1 text and v2 binary).
struct proxy_parse_result {
  enum class status : std::uint8_t { incomplete, done, invalid } state = status::incomplete;
  smtpspec::proxy_header header;
  std::size_t consumed = 0;   // octets of the header (done)
  std::string error;          // what was wrong (invalid)
};
// `accept`: which versions; v1 headers are at most 107 octets, v2 at most 16 + 65535.
[[nodiscard]] proxy_parse_result parse_proxy_header(std::string_view bytes, proxy_protocol accept = proxy_protocol::any);

// Canonical JSON (conformance/README.md) of an event, and of a whole events list.
[[nodiscard]] std::string to_json(const session_event& e);
[[nodiscard]] std::string to_json(const session_events& e);
// {"consumed":N,"done":B,"message":S,"octets_in":N,"octets_out":N,"diagnostics":[{"id":…,
//  "severity":…,"offset":N,"rfc":…,"message":…}…],"reject":ID|null}: a reader after feed().
[[nodiscard]] std::string to_json(const data_reader& r, const data_reader::step& s, std::string_view message);
// {"status":"incomplete"|"done"|"invalid","consumed":N,"error":S|null,"header":{…}|null}
[[nodiscard]] std::string to_json(const proxy_parse_result& r);
// The catalogue rows as JSON (for `smtpspec catalogue --session`, JS and Python).
[[nodiscard]] std::string session_diagnostic_catalogue_json();

}  // namespace smtpspec
