// smtpspec — readers for recorded SMTP conversations (the linter's input).
//
// A transcript is an ordered list of events: octets the client sent, octets the server sent, the
// point where TLS started, a new connection, or a note the transcript itself carries. Each event
// says where it came from (source line and octet offset), whether a TCP write (or pipelined group)
// starts with it, and whether its octets are exactly what was on the wire. What a format keeps and
// loses is one row of catalogue/transcript_formats.inc, so a rule that needs lost information can
// say "cannot decide". Lines a reader skips become notes; lines it cannot read become errors that
// name the line. Nothing here throws on bad input.
//
// Two ways in: `read(text)` for a whole input, and `reader` for a stream fed in chunks with
// bounded memory (at most about max_line + sniff_bytes octets are buffered, plus max_held for an
// interleaved Postfix log; the caller drains the events and messages after each feed()).
//
// A Postfix maillog interleaves several smtpd (or smtp) processes: the reader follows one process's
// conversation at a time, holds the other processes' lines back and replays each as its own
// connection (a `connect` event first) after the one before it ends ("disconnect from", or the end
// of the input). Events then keep their source line and offset but are no longer in source order.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec::transcript {

// Append-only: the numeric values are stable.
enum class format : std::uint8_t {
#define SMTPSPEC_TRANSCRIPT_FORMAT(id, name, octets, boundaries, replies, data, tls, keeps, loses) id,
#include "smtpspec/catalogue/transcript_formats.inc"
#undef SMTPSPEC_TRANSCRIPT_FORMAT
};

// What a format keeps (the columns of transcript_formats.inc; meanings there).
enum class octets_kept : std::uint8_t { exact, line_ends_kept, lines };
enum class boundaries_kept : std::uint8_t { known, convention, client_writes, none };
enum class replies_kept : std::uint8_t { lines, chunks, absent };
enum class data_kept : std::uint8_t { kept, absent };
enum class tls_kept : std::uint8_t { marked, encrypted, unmarked };

struct format_info {
  format id;
  std::string_view name;  // stable id, e.g. "rfc", "tshark_hex"
  std::string_view title;
  octets_kept octets;
  boundaries_kept boundaries;
  replies_kept replies;
  data_kept data;
  tls_kept tls;
  std::string_view keeps;  // one line of English each
  std::string_view loses;
};

[[nodiscard]] std::span<const format_info> format_catalogue() noexcept;
[[nodiscard]] const format_info& info(format f) noexcept;
[[nodiscard]] std::optional<format> format_from_name(std::string_view name) noexcept;
[[nodiscard]] std::string_view to_string(format f) noexcept;
[[nodiscard]] std::string_view to_string(octets_kept v) noexcept;
[[nodiscard]] std::string_view to_string(boundaries_kept v) noexcept;
[[nodiscard]] std::string_view to_string(replies_kept v) noexcept;
[[nodiscard]] std::string_view to_string(data_kept v) noexcept;
[[nodiscard]] std::string_view to_string(tls_kept v) noexcept;

enum class direction : std::uint8_t {
  client,     // octets the client sent
  server,     // octets the server sent
  tls_start,  // TLS took effect here: later octets were sent inside TLS (no octets)
  connect,    // a new connection starts here; earlier events belong to another one (no octets)
  note,       // a note the transcript itself carries (RFC-style '#' lines); octets = its text
};
[[nodiscard]] std::string_view to_string(direction d) noexcept;

// Whether a TCP write (client) / read (server) starts with this event.
enum class boundary : std::uint8_t {
  unknown,     // the format does not say
  write,       // a new write (or, by the RFC-style convention, a new pipelined group) starts here
  same_write,  // continues the previous event's write
};
[[nodiscard]] std::string_view to_string(boundary b) noexcept;

struct event {
  direction dir = direction::note;
  boundary before = boundary::unknown;
  bool exact = false;       // octets are the wire's (false: rebuilt, e.g. a CRLF assumed)
  bool tls = false;         // after a tls_start event of this connection
  std::size_t line = 0;     // 1-based source line where the event starts
  std::size_t offset = 0;   // octet offset of that line in the source
  std::string octets;
};

// Notes and errors (catalogue/transcript_messages.inc).
enum class message_id : std::uint16_t {
#define SMTPSPEC_TRANSCRIPT_MESSAGE(id, kind, message) id,
#include "smtpspec/catalogue/transcript_messages.inc"
#undef SMTPSPEC_TRANSCRIPT_MESSAGE
};
enum class message_kind : std::uint8_t { note, error };
struct message_info {
  message_id id;
  std::string_view name;
  message_kind kind;
  std::string_view text;
};
[[nodiscard]] std::span<const message_info> message_catalogue() noexcept;
[[nodiscard]] const message_info& info(message_id m) noexcept;
[[nodiscard]] std::string_view to_string(message_id m) noexcept;

struct message {
  message_id id = message_id::skipped_lines;
  std::size_t line = 0;    // 1-based source line (the first one, for a run of skipped lines)
  std::size_t offset = 0;  // its octet offset in the source
  std::size_t count = 1;   // lines it covers (runs of skipped lines are one note)
  std::string excerpt;     // the (first) line, at most 120 octets
};

struct detection {
  std::optional<format> fmt;   // nullopt: nothing matched
  unsigned confidence = 0;     // 0..100
};

// Guesses the format from the start of an input (the first 64 KiB are plenty). Heuristics:
// shared/transcripts/formats/README.md; each format's score is the share of its protocol lines
// among the non-blank lines, and a signature line (tshark's "Follow: tcp,", "#smtpspec-raw",
// swaks' "=== Trying") gives 100.
[[nodiscard]] detection detect_format(std::string_view head) noexcept;

struct options {
  std::optional<format> fmt;         // nullopt: detect from the first sniff_bytes
  std::size_t max_line = 1 << 20;    // longer source lines are an error and skipped
  std::size_t sniff_bytes = 1 << 16; // how much is buffered to detect the format
  std::size_t max_messages = 1000;   // read(): notes and errors kept; the rest are counted
  // postfix_debug: octets of other processes' lines held back while one process's conversation is
  // read (a maillog interleaves smtpd processes), 64 octets per line counted on top, of at most
  // 1024 processes; beyond either, a process's conversation is dropped with the error
  // held_lines_overflow.
  std::size_t max_held = 16 << 20;
};

struct transcript {
  std::optional<format> fmt;    // nullopt: not given and not detected (see errors)
  bool detected = false;        // the format was detected (not given)
  unsigned confidence = 0;      // detection confidence, 100 when given
  std::vector<event> events;
  std::vector<message> notes;
  std::vector<message> errors;
  std::size_t lines = 0;        // source lines read
  std::size_t octets = 0;       // source octets read
  std::size_t dropped_messages = 0;
  [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
  // What the format keeps; nullptr when there is no format.
  [[nodiscard]] const format_info* capabilities() const noexcept { return fmt ? &info(*fmt) : nullptr; }
};

struct transcript;
class reader;
[[nodiscard]] transcript read(std::string_view text, const options& opt);

class reader {
 public:
  explicit reader(options opt = {});
  ~reader();
  reader(reader&&) noexcept;
  reader& operator=(reader&&) noexcept;
  reader(const reader&) = delete;
  reader& operator=(const reader&) = delete;

  // Feeds the next octets; any split of the input gives the same events.
  void feed(std::string_view chunk);
  // The input ended.
  void finish();

  // What the reader produced since the last clear(), in source order within each list (except for
  // the held-back processes of an interleaved Postfix log, see above).
  [[nodiscard]] std::span<const event> events() const noexcept;
  [[nodiscard]] std::span<const message> notes() const noexcept;
  [[nodiscard]] std::span<const message> errors() const noexcept;
  void clear() noexcept;
  // The events, notes and errors since the last clear()/take() as a transcript (format, detection,
  // lines and octets so far), and clear(): what the JS and Python streaming readers return per feed.
  // Nothing is read before the first sniff_bytes are in (or finish()); a detected format is null
  // until then.
  [[nodiscard]] transcript take();

  // Known once detection ran (after sniff_bytes, a signature line, or finish()).
  [[nodiscard]] std::optional<format> current_format() const noexcept;
  [[nodiscard]] detection detected() const noexcept;
  [[nodiscard]] std::size_t lines() const noexcept;
  [[nodiscard]] std::size_t octets() const noexcept;

  struct impl;

 private:
  friend transcript read(std::string_view text, const options& opt);
  impl* p_;
};

// The whole input at once.
[[nodiscard]] inline transcript read(std::string_view text) { return read(text, options{}); }

// Canonical JSON (conformance/README.md, "Transcripts").
[[nodiscard]] std::string to_json(const transcript& t);
[[nodiscard]] std::string to_json(const event& e);
// {"format":NAME|null,"confidence":N}
[[nodiscard]] std::string to_json(const detection& d);
// {"formats":[…], "messages":[…]}: the two catalogues.
[[nodiscard]] std::string catalogue_json();
// The raw capture format (conformance/README.md): one line per event.
[[nodiscard]] std::string to_raw(std::span<const event> events);

}  // namespace smtpspec::transcript
