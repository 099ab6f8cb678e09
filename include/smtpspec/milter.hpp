// smtpspec — the sendmail milter protocol, versions 2 to 6, for both sides (../shared/milter/PROTOCOL.md;
// there is no RFC: the protocol is what sendmail, libmilter and Postfix do).
//
//   codec     decoder (bytes in, packets out, any split gives the same packets) and encode()
//   values    packet: one struct for every SMFIC_* command and SMFIR_* reply, its kind saying which
//             fields are meaningful (catalogue/milter_packets.inc: byte, direction, version, shape)
//   options   negotiate_as_filter / check_negotiation: versions 2, 3, 4, 6, SMFIF_* / SMFIP_* subset
//             rules, symbol lists, the negotiated maximum packet size
//   sessions  filter_session (a filter's side: state, which commands take no reply, verdicts to
//             packets) and mta_session (an MTA's side: drives a filter, macros only as pairs,
//             modifications as typed values). Both are sans-IO: feed() bytes, next_event(),
//             take_output() bytes. A protocol violation by the peer ends the session: an error
//             event, state closed, nothing more is written — the host closes the socket.
//
// Errors are values (milter::error); nothing here throws on bad input, and the decoder checks a
// packet's length against the limit before it allocates anything for it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/enhanced_status.hpp"

namespace smtpspec::milter {

// ---- Sizes -----------------------------------------------------------------------------------

// libmilter's MILTER_MAX_DATA_SIZE: the largest payload (length field - 1) it accepts. Postfix and
// sendmail send body chunks of at most this size (MILTER_CHUNK_SIZE).
inline constexpr std::uint32_t default_max_payload = 65535;
inline constexpr std::uint32_t body_chunk_size = 65535;
// SMFIP_MDS_256K / SMFIP_MDS_1M (libmilter built with _FFR_MDS_NEGOTIATE).
inline constexpr std::uint32_t max_payload_256k = 262143;
inline constexpr std::uint32_t max_payload_1m = 1048575;

// ---- Flags (catalogue/milter_flags.inc) ------------------------------------------------------

#define SMTPSPEC_MILTER_ACTION(name, bit, since) inline constexpr std::uint32_t SMFIF_##name = bit;
#define SMTPSPEC_MILTER_PROTOCOL(name, bit, since, kind) inline constexpr std::uint32_t SMFIP_##name = bit;
#include "smtpspec/catalogue/milter_flags.inc"
#undef SMTPSPEC_MILTER_ACTION
#undef SMTPSPEC_MILTER_PROTOCOL
inline constexpr std::uint32_t SMFI_V1_ACTS = 0x0F, SMFI_V2_ACTS = 0x3F, SMFI_CURR_ACTS = 0x1FF;
inline constexpr std::uint32_t SMFI_V1_PROT = 0x3F, SMFI_V2_PROT = 0x7F, SMFI_CURR_PROT = 0x1FFFFF;

enum class flag_kind : std::uint8_t { action, skip, no_reply, capability, format, internal };
struct flag_info {
  std::string_view name;  // "ADDHDRS", "NR_HDR", … (without SMFIF_/SMFIP_)
  std::uint32_t bit;
  std::uint32_t since;    // first protocol version
  flag_kind kind;
};
[[nodiscard]] std::span<const flag_info> action_flags() noexcept;
[[nodiscard]] std::span<const flag_info> protocol_flags() noexcept;
// The action (or protocol) bits a protocol version defines (v5 is treated as v4).
[[nodiscard]] std::uint32_t actions_for_version(std::uint32_t version) noexcept;
[[nodiscard]] std::uint32_t protocol_for_version(std::uint32_t version) noexcept;

// Macro stages of symbol lists (SMFIM_*) and the command byte each precedes.
inline constexpr std::uint32_t SMFIM_CONNECT = 0, SMFIM_HELO = 1, SMFIM_ENVFROM = 2, SMFIM_ENVRCPT = 3,
                               SMFIM_DATA = 4, SMFIM_EOM = 5, SMFIM_EOH = 6;
// The SMFIM_* stage of a command byte (C H M R T E N), or nullopt.
[[nodiscard]] std::optional<std::uint32_t> symbol_stage(char command) noexcept;

// ---- Packets (catalogue/milter_packets.inc) ----------------------------------------------------

enum class direction : std::uint8_t {
  to_filter,  // SMFIC_* commands, sent by the MTA
  to_mta,     // SMFIR_* replies and modifications, sent by the filter
};

enum class payload_shape : std::uint8_t {
  empty,         // no payload
  optneg,        // uint32 version, actions, protocol [+ symbol lists]
  macro,         // stage byte, name/value string pairs
  connect,       // hostname, family, [port, address]
  text,          // one NUL-terminated string (packet::text)
  args,          // string array: address, then ESMTP parameters (packet::args)
  header,        // name, value
  index_header,  // uint32 index, name, value
  text_args,     // string, [string esmtp-args] (packet::text, packet::esmtp_args)
  bytes,         // raw octets, not NUL-terminated (packet::data)
};

// Append-only: the numeric values are stable.
enum class packet_kind : std::uint8_t {
#define SMTPSPEC_MILTER_PACKET(id, byte, dir, since, shape, text_key, action) id,
#include "smtpspec/catalogue/milter_packets.inc"
#undef SMTPSPEC_MILTER_PACKET
};

struct packet_info {
  packet_kind kind;
  std::string_view name;      // "SMFIC_OPTNEG", "SMFIR_ADDHEADER", …
  char byte;                  // the wire command byte
  milter::direction direction;
  std::uint32_t since;        // first protocol version
  payload_shape shape;
  std::string_view text_key;  // JSON key of packet::text ("helo", "line", "text", "reason", "rcpt", "sender")
  std::uint32_t action;       // SMFIF_* bit needed to send it (0: none)
};
[[nodiscard]] std::span<const packet_info> packet_catalogue() noexcept;
[[nodiscard]] const packet_info& info(packet_kind k) noexcept;
[[nodiscard]] std::string_view to_string(packet_kind k) noexcept;
[[nodiscard]] std::optional<packet_kind> find_kind(char byte, direction d) noexcept;

struct macro_pair {
  std::string name;   // "j", "{daemon_name}" (no "$")
  std::string value;  // may be empty
  friend bool operator==(const macro_pair&, const macro_pair&) = default;
};

// One entry of an OPTNEG reply's trailer: the macros the MTA should send at a stage.
struct symbol_list {
  std::uint32_t stage = 0;  // SMFIM_*
  std::string macros;       // space-separated names; empty: send none
  friend bool operator==(const symbol_list&, const symbol_list&) = default;
};

// Every milter packet. `kind` decides which fields carry meaning (by its payload_shape); the others
// stay default. Strings own their octets (8-bit clean; NUL is impossible inside them on the wire).
struct packet {
  packet_kind kind = packet_kind::smfir_continue;
  // optneg (both directions): version, SMFIF_* actions, SMFIP_* protocol; symbol lists (only
  // meaningful in the filter's reply; decoded in both directions so round trips are exact).
  std::uint32_t version = 0, actions = 0, protocol = 0;
  std::vector<symbol_list> symbol_lists;
  // macro: the command byte the macros belong to ('C', 'H', …) and the name/value pairs.
  char stage = 0;
  std::vector<macro_pair> macros;
  // connect: family '4', '6', 'L' (Unix socket), 'U' (unknown: no port, no address).
  std::string hostname;
  char family = 0;
  std::uint16_t port = 0;
  std::string address;  // as sent ("192.0.2.1", "2001:db8::1" or "IPv6:2001:db8::1", a path for 'L')
  // args (MAIL, RCPT): args[0] is the address with its angle brackets, then one string per ESMTP
  // parameter as the client wrote it ("SIZE=1234").
  std::vector<std::string> args;
  // text: HELO name, UNKNOWN command line, REPLYCODE text, QUARANTINE reason, ADDRCPT /
  // ADDRCPT_PAR / DELRCPT recipient, CHGFROM sender (addresses with angle brackets).
  std::string text;
  // text_args (ADDRCPT_PAR, CHGFROM): the ESMTP arguments, one space-separated string, if sent.
  std::optional<std::string> esmtp_args;
  // header, index_header: for INSHEADER the 0-based insert position, for CHGHEADER the 1-based
  // index among headers of that name; an empty CHGHEADER value deletes the header.
  std::uint32_t index = 0;
  std::string name, value;
  // bytes: BODY chunk, BODYEOB data (MTAs send none), REPLBODY chunk.
  std::string data;

  friend bool operator==(const packet&, const packet&) = default;
};

// Convenience constructors.
[[nodiscard]] packet make(packet_kind k);  // empty payload
[[nodiscard]] packet make_optneg(direction d, std::uint32_t version, std::uint32_t actions, std::uint32_t protocol,
                                 std::vector<symbol_list> symbol_lists = {});
[[nodiscard]] packet make_macro(char stage, std::vector<macro_pair> macros);
[[nodiscard]] packet make_connect(std::string hostname, char family, std::uint16_t port = 0, std::string address = {});
[[nodiscard]] packet make_text(packet_kind k, std::string text, std::optional<std::string> esmtp_args = std::nullopt);
[[nodiscard]] packet make_args(packet_kind k, std::vector<std::string> args);  // smfic_mail, smfic_rcpt
[[nodiscard]] packet make_header(packet_kind k, std::string name, std::string value, std::uint32_t index = 0);
[[nodiscard]] packet make_data(packet_kind k, std::string data);  // smfic_body, smfic_bodyeob, smfir_replbody

// ---- Errors (catalogue/milter_errors.inc) ------------------------------------------------------

enum class error_code : std::uint16_t {
#define SMTPSPEC_MILTER_ERROR(name, message) name,
#include "smtpspec/catalogue/milter_errors.inc"
#undef SMTPSPEC_MILTER_ERROR
};
struct error_info {
  error_code code;
  std::string_view name;
  std::string_view message;
};
[[nodiscard]] std::span<const error_info> error_catalogue() noexcept;
[[nodiscard]] std::string_view to_string(error_code c) noexcept;

struct error {
  error_code code = error_code::truncated_packet;
  // Octets from the start of the stream given to the decoder: the packet's first octet (its
  // length field) for framing and payload errors. For an encoder or session call: 0.
  std::size_t offset = 0;
  char byte = 0;  // the packet's command byte when known, else 0
  friend bool operator==(const error&, const error&) = default;
};

template <class T>
struct outcome {
  std::optional<T> value;
  std::optional<milter::error> error;
  [[nodiscard]] bool ok() const noexcept { return value.has_value(); }
};

// ---- REPLYCODE text (catalogue/milter_replycode.inc) -------------------------------------------

enum class replycode_problem_id : std::uint8_t {
#define SMTPSPEC_MILTER_REPLYCODE_PROBLEM(id, message) id,
#include "smtpspec/catalogue/milter_replycode.inc"
#undef SMTPSPEC_MILTER_REPLYCODE_PROBLEM
};
struct replycode_problem {
  replycode_problem_id id;
  std::size_t offset = 0;  // octet in the text
  friend bool operator==(const replycode_problem&, const replycode_problem&) = default;
};
struct replycode_problem_info {
  replycode_problem_id id;
  std::string_view name;
  std::string_view message;
};
[[nodiscard]] std::span<const replycode_problem_info> replycode_problem_catalogue() noexcept;
[[nodiscard]] std::string_view to_string(replycode_problem_id p) noexcept;
// Every deviation of a REPLYCODE text from the strict form (Postfix 3.12's per-line checks, the
// enhanced class rule, doubled `%`), ordered by offset; empty when the text is valid.
[[nodiscard]] std::vector<replycode_problem> check_replycode(std::string_view text);
// Builds REPLYCODE text with the reply formatter: code 4xx or 5xx, optional enhanced code of the
// same class, lines joined by CRLF with "ddd-" on all but the last, every `%` doubled.
// Errors: invalid_replycode (code not 4xx/5xx, class mismatch, CR/LF/NUL in a line).
[[nodiscard]] outcome<std::string> format_replycode(int code, const std::optional<enhanced_status>& enhanced,
                                                    std::span<const std::string_view> lines);

// ---- Framing ------------------------------------------------------------------------------------

struct decoder_options {
  // The largest payload accepted (length field - 1); a larger length is an error before any
  // allocation. Default: libmilter's 65535. Sessions raise it after SMFIP_MDS_* negotiation.
  std::uint32_t max_payload = default_max_payload;
};

// Sans-IO, incremental. Memory: one payload of at most max_payload octets plus the decoded
// packets not yet taken. Errors are sticky: after one, feed() ignores its input.
class decoder {
 public:
  explicit decoder(direction d, decoder_options o = {});
  void feed(std::string_view bytes);
  // End of stream: a partial packet becomes a truncated_packet error.
  void finish();
  void reset();
  void set_max_payload(std::uint32_t m) noexcept { opts_.max_payload = m; }

  [[nodiscard]] std::optional<packet> next();  // the oldest decoded packet
  // The stream offset of the packet next() returns (its length field); consumed() when none.
  [[nodiscard]] std::size_t next_offset() const noexcept { return starts_.empty() ? pos_ : starts_.front(); }
  [[nodiscard]] std::size_t pending() const noexcept { return ready_.size(); }
  [[nodiscard]] const std::optional<milter::error>& error() const noexcept { return error_; }
  [[nodiscard]] bool failed() const noexcept { return error_.has_value(); }
  [[nodiscard]] std::size_t consumed() const noexcept { return pos_; }
  [[nodiscard]] milter::direction dir() const noexcept { return dir_; }

 private:
  void complete();
  milter::direction dir_;
  decoder_options opts_;
  std::deque<packet> ready_;
  std::deque<std::size_t> starts_;
  std::optional<milter::error> error_;
  unsigned char head_[5] = {};
  std::size_t head_len_ = 0;
  std::uint32_t need_ = 0;  // payload octets of the current packet
  std::string payload_;
  std::size_t packet_start_ = 0;
  std::size_t pos_ = 0;
  bool finished_ = false;
};

// One packet's payload (without length and command byte). `offset` is put in errors.
[[nodiscard]] outcome<packet> decode_payload(direction d, char byte, std::string_view payload, std::size_t offset = 0);

struct decoded_stream {
  std::vector<packet> packets;
  std::optional<milter::error> error;  // the first error; packets holds those before it
};
[[nodiscard]] decoded_stream decode_all(direction d, std::string_view bytes, decoder_options o = {});
// Both directions of a conversation in time order: who speaks next follows from the protocol
// (a command that takes a reply hands the turn to the filter until its final reply; the NR_* bits
// of the OPTNEG exchange are honoured). Packets to the filter and to the MTA are interleaved.
[[nodiscard]] decoded_stream decode_conversation(std::string_view bytes, decoder_options o = {});

struct encoder_options {
  std::uint32_t max_payload = default_max_payload;
};
// The packet's wire form appended to `out`. Errors (nothing appended): nul_in_string,
// packet_too_large, empty_body_chunk, invalid_field (a family other than 4/6/L/U, a MACRO stage
// 0), missing_address (MAIL/RCPT without args).
[[nodiscard]] std::optional<milter::error> encode(const packet& p, std::string& out, encoder_options o = {});
[[nodiscard]] outcome<std::string> encode(const packet& p, encoder_options o = {});

// ---- Negotiation --------------------------------------------------------------------------------

struct negotiated {
  std::uint32_t version = 0;
  std::uint32_t actions = 0;   // what the filter may do
  std::uint32_t protocol = 0;  // what was agreed (skip, no-reply, capability, format bits)
  std::uint32_t offered_protocol = 0;  // the MTA's offer (SMFIP_SKIP is judged against it)
  std::uint32_t max_payload = default_max_payload;
  std::vector<symbol_list> symbol_lists;

  // Whether the MTA sends this command at all (version, NO* bits).
  [[nodiscard]] bool sends(packet_kind command) const noexcept;
  // Whether the filter answers it (NR_* bits; MACRO, ABORT, QUIT, QUIT_NC never take a reply).
  [[nodiscard]] bool expects_reply(packet_kind command) const noexcept;
  friend bool operator==(const negotiated&, const negotiated&) = default;
};

struct filter_options {
  std::uint32_t version = 6;
  std::uint32_t actions = 0;   // SMFIF_* the filter needs
  std::uint32_t protocol = 0;  // SMFIP_* the filter asks for (NO*, NR_*, SKIP, HDR_LEADSPC, …)
  std::vector<symbol_list> symbol_lists;  // sent when not empty (SETSYMLIST is requested with them)
  // libmilter's rule: an MTA that does not offer every action (or non-skip protocol bit) the filter
  // needs is refused. Unoffered NODATA/NOUNKNOWN are dropped quietly, as libmilter does; unoffered
  // NR_* bits are dropped and filter_session replies CONTINUE itself (libmilter "fakes" them).
  std::uint32_t max_payload = default_max_payload;
};

// The filter's side: the OPTNEG reply values for an MTA offer. Errors: unsupported_version (offer
// below 2), action_not_offered, protocol_not_offered.
[[nodiscard]] outcome<negotiated> negotiate_as_filter(const packet& offer, const filter_options& o);
// The MTA's side: checks a filter's OPTNEG reply against the offer. Errors: unsupported_version
// (reply below 2 or above the offer), action_not_offered, protocol_not_offered.
[[nodiscard]] outcome<negotiated> check_negotiation(const packet& offer, const packet& reply);

// ---- Filter session -------------------------------------------------------------------------------

enum class filter_state : std::uint8_t {
  init, options, connect, helo, mail, rcpt, data, header, eoh, body, end_of_message, unknown, quit_nc, closed,
};
[[nodiscard]] std::string_view to_string(filter_state s) noexcept;

struct filter_event {
  enum class type : std::uint8_t {
    negotiated,  // OPTNEG answered (session.agreed())
    command,     // a command for the filter: `command`; reply when reply_expected
    closed,      // QUIT, or the end of the stream
    error,       // the MTA broke the protocol; the session is closed, close the connection
  };
  type kind = type::command;
  packet command;                    // never MACRO or OPTNEG
  std::vector<macro_pair> macros;    // the MACRO packet the MTA sent for this command, if any
  bool reply_expected = false;
  std::optional<milter::error> error;
};

class filter_session {
 public:
  explicit filter_session(filter_options o = {});
  void feed(std::string_view bytes);
  void finish();  // the MTA closed the connection
  [[nodiscard]] std::optional<filter_event> next_event();
  [[nodiscard]] std::string take_output();

  // The reply to the command in progress. `decision`: smfir_accept, smfir_continue, smfir_discard,
  // smfir_reject, smfir_tempfail or smfir_skip. Errors: no_reply_due, skip_not_allowed,
  // unexpected_packet (not a decision), session_closed. A misuse never closes the session.
  [[nodiscard]] std::optional<milter::error> reply(packet_kind decision);
  // REJECT/TEMPFAIL with text (REPLYCODE): the code's class is the decision. Errors as reply() and
  // format_replycode().
  [[nodiscard]] std::optional<milter::error> reply_code(int code, const std::optional<enhanced_status>& enhanced,
                                                        std::span<const std::string_view> lines);
  // SMFIR_PROGRESS while a reply is due.
  [[nodiscard]] std::optional<milter::error> progress();
  // An end-of-message modification (ADDHEADER … REPLBODY, QUARANTINE). REPLBODY data longer than a
  // packet is split. Errors: not_at_end_of_message, action_not_negotiated, unexpected_packet, and
  // the encoder's.
  [[nodiscard]] std::optional<milter::error> modify(const packet& modification);

  [[nodiscard]] filter_state state() const noexcept { return state_; }
  [[nodiscard]] bool closed() const noexcept { return state_ == filter_state::closed; }
  [[nodiscard]] bool reply_due() const noexcept { return pending_.has_value(); }
  [[nodiscard]] const negotiated& agreed() const noexcept { return agreed_; }
  [[nodiscard]] const std::optional<milter::error>& failure() const noexcept { return failure_; }
  // The latest value of a macro sent at any stage of this connection; "x" and "{x}" are the same.
  [[nodiscard]] std::optional<std::string> macro(std::string_view name) const;

 private:
  void on_packet(packet&& p, std::size_t offset);
  void fail(milter::error e);
  std::optional<milter::error> send(const packet& p);
  std::optional<milter::error> finish_reply(packet_kind decision);

  filter_options opts_;
  decoder dec_;
  negotiated agreed_;
  std::uint32_t wanted_no_reply_ = 0;  // NR_* the filter wanted but the MTA did not offer
  filter_state state_ = filter_state::init;
  std::optional<packet_kind> pending_;  // the command whose reply is due
  std::vector<std::pair<char, std::vector<macro_pair>>> macros_;  // latest per stage byte
  std::optional<std::vector<macro_pair>> next_macros_;
  char next_macros_stage_ = 0;
  std::deque<filter_event> events_;
  std::string out_;
  std::optional<milter::error> failure_;
};

// ---- MTA session -----------------------------------------------------------------------------------

struct mta_options {
  std::uint32_t version = 6;
  std::uint32_t actions = SMFI_CURR_ACTS;   // offered
  std::uint32_t protocol = SMFI_CURR_PROT;  // offered
  // Replies larger than this are refused before allocation (Postfix allows more; libmilter's
  // filters never send more than 65535).
  std::uint32_t max_payload = default_max_payload;
};

enum class mta_state : std::uint8_t {
  init, negotiating, ready, connected, helo, mail, rcpt, data, header, eoh, body, end_of_message, closed,
};
[[nodiscard]] std::string_view to_string(mta_state s) noexcept;

// What happened to a command the MTA side was asked to send.
enum class send_status : std::uint8_t {
  awaiting_reply,  // sent; a reply event will follow
  no_reply,        // sent; the filter does not answer it (NR_*, MACRO, ABORT, QUIT)
  skipped,         // not sent: the filter asked not to get it (NO*) or the version lacks it
};

struct mta_event {
  enum class type : std::uint8_t {
    negotiated,    // the filter's OPTNEG reply was accepted (session.agreed())
    progress,      // SMFIR_PROGRESS: reset the timer, keep waiting
    modification,  // an end-of-message edit: `reply`
    reply,         // the final reply to `answers`: `reply` (accept, continue, … replycode, skip)
    shutdown,      // SMFIR_SHUTDOWN: answer 421 and disconnect; the session is closed
    error,         // the filter broke the protocol; the session is closed
  };
  type kind = type::reply;
  packet reply;  // the packet for every type but error
  packet_kind answers = packet_kind::smfic_optneg;
  std::vector<replycode_problem> problems;  // for a REPLYCODE reply: check_replycode's findings
  std::optional<milter::error> error;
};

class mta_session {
 public:
  explicit mta_session(mta_options o = {});

  // Commands. Each queues its packets in the output (MACRO first, when `macros` has pairs that the
  // filter's symbol list for the stage, if any, names). Errors (nothing queued): reply_pending,
  // unexpected_packet (out of order), not_negotiated, session_closed, the encoder's.
  [[nodiscard]] outcome<send_status> negotiate();
  [[nodiscard]] outcome<send_status> connect(std::string_view hostname, char family, std::uint16_t port,
                                             std::string_view address, std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> helo(std::string_view name, std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> mail(std::span<const std::string> args, std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> rcpt(std::span<const std::string> args, std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> data(std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> header(std::string_view name, std::string_view value,
                                            std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> end_of_headers(std::span<const macro_pair> macros = {});
  // Body octets: split into chunks of at most body_chunk_size; the next chunk goes out when the
  // filter answered the previous one with CONTINUE (a SKIP or a decision drops the rest).
  [[nodiscard]] outcome<send_status> body(std::string_view octets, std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> end_of_message(std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> unknown(std::string_view line, std::span<const macro_pair> macros = {});
  [[nodiscard]] outcome<send_status> abort();
  [[nodiscard]] outcome<send_status> quit();
  [[nodiscard]] outcome<send_status> quit_nc();

  void feed(std::string_view filter_bytes);
  void finish();  // the filter closed the connection
  [[nodiscard]] std::optional<mta_event> next_event();
  [[nodiscard]] std::string take_output();

  [[nodiscard]] mta_state state() const noexcept { return state_; }
  [[nodiscard]] bool closed() const noexcept { return state_ == mta_state::closed; }
  [[nodiscard]] bool awaiting_reply() const noexcept { return pending_.has_value(); }
  [[nodiscard]] const negotiated& agreed() const noexcept { return agreed_; }
  [[nodiscard]] const std::optional<milter::error>& failure() const noexcept { return failure_; }
  // The modifications of the current message, in arrival order (cleared by the next MAIL/ABORT).
  [[nodiscard]] const std::vector<packet>& modifications() const noexcept { return mods_; }

 private:
  outcome<send_status> command(packet&& p, mta_state next, std::span<const macro_pair> macros);
  outcome<send_status> checked(packet_kind k) const;
  void on_packet(packet&& p, std::size_t offset);
  void fail(milter::error e);
  void send_next_chunk();

  mta_options opts_;
  decoder dec_;
  negotiated agreed_;
  packet offer_;
  mta_state state_ = mta_state::init;
  std::optional<packet_kind> pending_;
  std::deque<std::string> chunks_;  // body chunks not sent yet
  std::vector<packet> mods_;
  bool replbody_open_ = false, replbody_closed_ = false;
  std::deque<mta_event> events_;
  std::string out_;
  std::optional<milter::error> failure_;
};

// ---- Canonical JSON (conformance/README.md, "Milter") ---------------------------------------------

[[nodiscard]] std::string to_json(const packet& p);
[[nodiscard]] std::string to_json(const milter::error& e);
// {"packets":[PACKET…], "error":ERROR|null}
[[nodiscard]] std::string to_json(const decoded_stream& s);
[[nodiscard]] std::string to_json(const filter_event& e);
[[nodiscard]] std::string to_json(const mta_event& e);
[[nodiscard]] std::string to_json(const negotiated& n);
// {"packets":[…], "flags":{"actions":[…], "protocol":[…]}, "errors":[…], "replycode_problems":[…]}
[[nodiscard]] std::string catalogue_json();

}  // namespace smtpspec::milter
