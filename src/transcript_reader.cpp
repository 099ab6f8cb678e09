// The streaming transcript reader and format detection (see transcript.cpp for the overview).
#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <map>
#include <utility>

#include "smtpspec/transcript.hpp"
#include "transcript_internal.hpp"

namespace smtpspec::transcript {

using detail::starts;

namespace {

constexpr std::size_t k_excerpt = 120;
constexpr unsigned k_min_confidence = 25;
constexpr std::size_t k_format_count = 0
#define SMTPSPEC_TRANSCRIPT_FORMAT(...) +1
#include "smtpspec/catalogue/transcript_formats.inc"
#undef SMTPSPEC_TRANSCRIPT_FORMAT
    ;

std::string_view strip_cr(std::string_view s) noexcept {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

// "HH:MM:SS.ffffff " (smtplib debuglevel 2): its length, or 0.
std::size_t smtplib_timestamp(std::string_view s) noexcept {
  if (s.size() < 10 || s[2] != ':' || s[5] != ':' || s[8] != '.') return 0;
  for (std::size_t i : {0u, 1u, 3u, 4u, 6u, 7u})
    if (s[i] < '0' || s[i] > '9') return 0;
  std::size_t i = 9;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 9 || i >= s.size() || s[i] != ' ') return 0;
  return i + 1;
}

struct swaks_prefix {
  std::string_view text;
  direction dir;
  bool tls;
};
// swaks(1) "transaction hints": 3 characters and a space, then the line.
constexpr std::array<swaks_prefix, 8> k_swaks = {{{" ->", direction::client, false},
                                                  {" ~>", direction::client, true},
                                                  {"**>", direction::client, false},
                                                  {"*~>", direction::client, true},
                                                  {"<- ", direction::server, false},
                                                  {"<~ ", direction::server, true},
                                                  {"<**", direction::server, false},
                                                  {"<~*", direction::server, true}}};

const swaks_prefix* swaks_line(std::string_view s) noexcept {
  if (s.size() < 4 || s[3] != ' ') return nullptr;
  for (const auto& p : k_swaks)
    if (s.substr(0, 3) == p.text) return &p;
  return nullptr;
}

// swaks --show-raw-text: "<   0016: " (received) or "  > 0016: " (sent).
bool swaks_hex_line(std::string_view s, direction& d, std::size_t& offset, std::size_t& data) noexcept {
  if (starts(s, "<   ")) {
    d = direction::server;
  } else if (starts(s, "  > ")) {
    d = direction::client;
  } else {
    return false;
  }
  std::size_t i = 4;
  std::size_t v = 0;
  const std::size_t b = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - b < 12) v = v * 10 + static_cast<std::size_t>(s[i++] - '0');
  if (i == b || i + 1 >= s.size() || s[i] != ':' || s[i + 1] != ' ') return false;
  offset = v;
  data = i + 2;
  return true;
}

// RFC-style markers.
struct rfc_marker {
  std::string_view text;
  char who;  // 'C', 'S', 'R', '>' (client), '<' (server)
  bool tls;
};
constexpr std::array<rfc_marker, 7> k_rfc = {{{"C~:", 'C', true},
                                             {"S~:", 'S', true},
                                             {"C:", 'C', false},
                                             {"S:", 'S', false},
                                             {"R:", 'R', false},
                                             {">>>", '>', false},
                                             {"<<<", '<', false}}};

// The marker and the payload (after the marker and one space), or nullptr.
const rfc_marker* rfc_line(std::string_view s, std::string_view& payload) noexcept {
  for (const auto& m : k_rfc) {
    if (!starts(s, m.text)) continue;
    std::string_view rest = s.substr(m.text.size());
    if (rest.empty()) {
      payload = rest;
      return &m;
    }
    if (rest[0] != ' ') return nullptr;
    payload = rest.substr(1);
    return &m;
  }
  return nullptr;
}

// "<proc>[pid]: " of a Postfix smtpd/smtp/lmtp syslog line: the message after it, whether the
// process is the client side (smtp, lmtp) whose '>' means "sent to the server", and the process
// ("postfix-out/smtpd[123]", the syslog tag) whose lines are one conversation at a time.
bool postfix_line(std::string_view s, std::string_view& msg, bool& client_side,
                  std::string_view* process = nullptr) noexcept {
  for (std::string_view proc : {"/smtpd[", "/smtp[", "/lmtp["}) {
    const auto p = s.find(proc);
    if (p == std::string_view::npos) continue;
    const auto q = s.find("]: ", p);
    if (q == std::string_view::npos) return false;
    if (!detail::all_digits(s.substr(p + proc.size(), q - p - proc.size()))) return false;
    msg = s.substr(q + 3);
    client_side = proc != "/smtpd[";
    if (process != nullptr) {
      const auto sp = s.rfind(' ', p);
      const std::size_t b = sp == std::string_view::npos ? 0 : sp + 1;
      *process = s.substr(b, q + 1 - b);
    }
    return true;
  }
  return false;
}

// "2026-11-22 09:55:51,737 mail.log DEBUG <message>": the message of aiosmtpd's logger.
bool aiosmtpd_line(std::string_view s, std::string_view& msg) noexcept {
  if (s.size() < 24 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[19] != ',') return false;
  const auto p = s.find(" mail.log ", 19);
  if (p == std::string_view::npos || p > 30) return false;
  const auto level = s.find(' ', p + 10);
  if (level == std::string_view::npos) return false;
  msg = s.substr(level + 1);
  return true;
}

// "[2026-11-22 09:57:27] DEBUG [id] message" (nodemailer's and smtp-server's logger): the level and
// the message after the optional "[id] ".
bool nodemailer_line(std::string_view s, std::string_view& level, std::string_view& msg) noexcept {
  if (s.size() < 23 || s[0] != '[' || s[5] != '-' || s[8] != '-' || s[11] != ' ' || s[14] != ':' || s[20] != ']' ||
      s[21] != ' ')
    return false;
  std::string_view r = s.substr(22);
  const auto sp = r.find(' ');
  level = r.substr(0, sp);
  if (level != "DEBUG" && level != "INFO" && level != "WARN" && level != "ERROR" && level != "TRACE") return false;
  r = sp == std::string_view::npos ? std::string_view() : r.substr(sp);
  while (!r.empty() && r[0] == ' ') r.remove_prefix(1);
  if (!r.empty() && r[0] == '[') {
    const auto c = r.find("] ");
    if (c != std::string_view::npos) r = r.substr(c + 2);
    else if (r.back() == ']') r = {};
  }
  msg = r;
  return true;
}

// "[PROTOCOL] [uuid(.txn)] [core] S: …" (Haraka, after an optional timestamp): the message.
bool haraka_line(std::string_view s, std::string_view& msg) noexcept {
  const auto p = s.find("[PROTOCOL] [");
  if (p == std::string_view::npos || p > 40) return false;
  const auto a = s.find("] [", p + 12);
  if (a == std::string_view::npos) return false;
  const auto b = s.find("] ", a + 3);
  if (b == std::string_view::npos) return false;
  msg = s.substr(b + 2);
  return true;
}

bool tshark_header(std::string_view s) noexcept {
  return starts(s, "=====") || starts(s, "Follow: ") || starts(s, "Filter: ") || starts(s, "Node 0: ") ||
         starts(s, "Node 1: ");
}

// Which formats a line belongs to (a bit per format; 0 for blank and '#' lines, which are neutral).
unsigned line_formats(std::string_view s) noexcept {
  s = strip_cr(s);
  unsigned bits = 0;
  auto set = [&](format f) { bits |= 1u << static_cast<unsigned>(f); };
  if (s.empty() || s[0] == '#') return 0;
  std::string_view payload;
  if (rfc_line(s, payload) != nullptr) set(format::rfc);
  direction d{};
  std::size_t o = 0, dp = 0;
  if (swaks_line(s) != nullptr || starts(s, "=== ") || starts(s, "*** ") || swaks_hex_line(s, d, o, dp))
    set(format::swaks);
  const auto t = s.substr(smtplib_timestamp(s));
  if (starts(t, "send: ") || starts(t, "reply: ") || starts(t, "data: (")) set(format::smtplib);
  std::string_view msg;
  bool cs = false;
  if (postfix_line(s, msg, cs) && s.find("postfix") != std::string_view::npos) set(format::postfix_debug);
  if (starts(s, "smtp-sink: ") || s.find("\rsmtp-sink: ") != std::string_view::npos || starts(s, "sess="))
    set(format::smtp_sink);
  if (starts(s, "C ") || starts(s, "S ") || s == "T" || s == "O" || starts(s, "O ")) set(format::raw);
  std::string_view am, lv;
  if (aiosmtpd_line(s, am)) set(format::aiosmtpd);
  if (nodemailer_line(s, lv, am)) set(format::nodemailer);
  if (haraka_line(s, am)) set(format::haraka);
  return bits;
}

// A line of another format that cannot be noise of this one (mixed formats).
bool foreign(format f, std::string_view s) noexcept {
  const unsigned bits = line_formats(s);
  const unsigned mine = 1u << static_cast<unsigned>(f);
  const unsigned strong = (1u << static_cast<unsigned>(format::rfc)) | (1u << static_cast<unsigned>(format::swaks)) |
                          (1u << static_cast<unsigned>(format::smtplib)) |
                          (1u << static_cast<unsigned>(format::postfix_debug));
  return (bits & mine) == 0 && (bits & strong) != 0;
}

}  // namespace

detection detect_format(std::string_view head) noexcept {
  if (starts(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  std::array<std::size_t, k_format_count> hits{};
  std::size_t counted = 0;
  // RFC 3461's ">>>" (client) is also Exim's ACL trace and sendmail -v's prefix: it counts for the
  // RFC style only when "<<<" (server) lines are there too.
  std::size_t client_arrows = 0;
  bool server_arrows = false;
  std::size_t pos = 0;
  for (int n = 0; n < 400 && pos < head.size(); ++n) {
    auto e = head.find('\n', pos);
    const bool last = e == std::string_view::npos;
    const std::string_view line = strip_cr(head.substr(pos, last ? head.size() - pos : e - pos));
    pos = last ? head.size() : e + 1;
    if (starts(line, "#smtpspec-raw")) return {format::raw, 100};
    if (starts(line, "Follow: tcp,ascii")) return {format::tshark_ascii, 100};
    if (starts(line, "Follow: tcp,hex")) return {format::tshark_hex, 100};
    if (starts(line, "=== Trying ")) return {format::swaks, 100};
    unsigned bits = line_formats(line);
    if (line.empty() || line[0] == '#') continue;
    ++counted;
    if (starts(line, ">>>")) {
      bits &= ~(1u << static_cast<unsigned>(format::rfc));
      ++client_arrows;
    }
    if (starts(line, "<<<")) server_arrows = true;
    for (std::size_t f = 0; f < hits.size(); ++f)
      if (bits & (1u << f)) ++hits[f];
  }
  if (server_arrows) hits[static_cast<std::size_t>(format::rfc)] += client_arrows;
  detection d;
  std::size_t best = 0;
  for (std::size_t f = 0; f < hits.size(); ++f) {
    if (hits[f] > best) {
      best = hits[f];
      d.fmt = static_cast<format>(f);
    }
  }
  if (d.fmt) d.confidence = static_cast<unsigned>(best * 100 / counted);
  // The same logger on the server side (smtp-server) says so in its own lines.
  if (d.fmt == format::nodemailer &&
      (head.find("] Connection from ") != std::string_view::npos ||
       head.find(" SMTP Server listening on ") != std::string_view::npos ||
       (head.find("] C: <") != std::string_view::npos && head.find(" bytes of DATA>") != std::string_view::npos)))
    d.fmt = format::nodemailer_server;
  // Below a quarter of the lines, a few look-alike lines in some other text.
  if (d.confidence < k_min_confidence) d = {};
  return d;
}

struct reader::impl {
  options opt;
  // sniffing
  bool sniffing = true;
  std::string sniff;
  std::optional<format> fmt;
  detection det;
  bool discard = false;  // no format: count lines only
  // line assembly
  std::string cur;
  bool overflow = false;
  std::size_t line_no = 1;     // the line being assembled
  std::size_t line_start = 0;  // its offset
  std::size_t total = 0;       // octets consumed by the line splitter
  std::size_t fed = 0;         // octets fed
  bool first_line = true;
  bool crlf_file = false;
  // outputs
  std::vector<event> events;
  std::vector<message> notes;
  std::vector<message> errors;
  std::size_t dropped = 0;
  std::optional<message> run;  // a run of skipped lines not yet closed
  std::size_t run_last = 0;
  // per connection
  bool in_tls = false;
  // rfc
  bool sr_markers = false;
  int last_proto = 0;  // 0 none / note, 1 client, 2 server
  bool have_cont = false;
  std::string cont;
  std::size_t cont_line = 0, cont_offset = 0;
  // swaks
  bool swaks_hex = false;
  struct hex_chunk {
    bool open = false;
    direction dir = direction::client;
    std::size_t line = 0, offset = 0, next = 0;
    std::string octets;
  } hx;
  std::array<std::vector<event>, 2> pending;  // displayed lines not (yet) covered by a hex dump
  std::array<std::size_t, 2> credit{};         // hex-dumped lines not yet displayed
  // tshark
  bool swap_nodes = false;
  bool seen_chunk = false;
  bool encrypted = false;
  std::size_t need = 0;  // octets of the segment still to read
  bool in_segment = false;
  bool seg_skip = false;
  std::size_t seg_count_line = 0, seg_count_offset = 0;
  bool eat_lf = false;
  event seg;
  std::size_t seg_lf = 0;
  std::array<std::size_t, 2> hex_next{};  // tshark hex: next offset per node
  bool hex_last_full = false;
  int hex_node = -1;

  explicit impl(options o) : opt(std::move(o)) {}

  // ---- outputs ----
  void add_message(std::vector<message>& to, message m) {
    if (notes.size() + errors.size() >= opt.max_messages) {
      ++dropped;
      return;
    }
    to.push_back(std::move(m));
  }
  static std::string excerpt(std::string_view s) { return std::string(s.substr(0, k_excerpt)); }
  void note(message_id id, std::size_t line, std::size_t offset, std::string_view text) {
    close_run();
    add_message(notes, message{id, line, offset, 1, excerpt(text)});
  }
  void error(message_id id, std::size_t line, std::size_t offset, std::string_view text) {
    close_run();
    add_message(errors, message{id, line, offset, 1, excerpt(text)});
  }
  // Consecutive skipped lines with the same id are one note.
  void skip(message_id id, std::size_t line, std::size_t offset, std::string_view text) {
    if (run && run->id == id && run_last + 1 == line) {
      ++run->count;
      run_last = line;
      return;
    }
    close_run();
    run = message{id, line, offset, 1, excerpt(text)};
    run_last = line;
  }
  void close_run() {
    if (!run) return;
    auto m = std::move(*run);
    run.reset();
    add_message(notes, std::move(m));
  }
  void emit(direction d, boundary b, bool exact, std::string octets, std::size_t line, std::size_t offset) {
    close_run();
    if (d == direction::connect) in_tls = false;
    event e;
    e.dir = d;
    e.before = b;
    e.exact = exact;
    e.tls = in_tls && (d == direction::client || d == direction::server);
    e.line = line;
    e.offset = offset;
    e.octets = std::move(octets);
    if (d == direction::tls_start) in_tls = true;
    events.push_back(std::move(e));
  }
  void tls_start(std::size_t line, std::size_t offset) {
    if (!in_tls) emit(direction::tls_start, boundary::unknown, true, {}, line, offset);
  }

  // ---- driver ----
  void feed(std::string_view chunk) {
    fed += chunk.size();
    if (sniffing) {
      const std::size_t room = opt.sniff_bytes > sniff.size() ? opt.sniff_bytes - sniff.size() : 0;
      sniff.append(chunk.substr(0, room));
      chunk.remove_prefix(std::min(room, chunk.size()));
      if (sniff.size() < opt.sniff_bytes) return;
      decide();
    }
    consume(chunk);
  }

  void decide() {
    sniffing = false;
    std::string buf = std::move(sniff);
    sniff.clear();
    sniff.shrink_to_fit();
    std::string_view head = buf;
    if (starts(head, "\xEF\xBB\xBF")) {
      note(message_id::bom_skipped, 1, 0, "\xEF\xBB\xBF");
      total = 3;
      line_start = 3;
      head.remove_prefix(3);
    }
    if (opt.fmt) {
      fmt = opt.fmt;
      det = {opt.fmt, 100};
    } else {
      det = detect_format(head);
      fmt = det.fmt;
      if (!fmt) {
        error(message_id::format_not_detected, 1, total, head.substr(0, head.find('\n')));
        discard = true;
      }
    }
    if (fmt == format::rfc) look_ahead_rfc(head);
    if (fmt == format::swaks) look_ahead_swaks(head);
    // aiosmtpd at DEBUG logs each line read with its line end; at INFO only ">>" without it.
    if (fmt == format::aiosmtpd) aio_readline = head.find(" readline: b") != std::string_view::npos;
    consume(head);
  }

  void look_ahead_rfc(std::string_view head) {
    // RFC 3030 writes S: (sender) and R: (receiver); the first R: or C: line decides.
    for (std::size_t pos = 0; pos < head.size();) {
      auto e = head.find('\n', pos);
      const auto line = head.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
      if (starts(line, "R:")) {
        sr_markers = true;
        note(message_id::sender_receiver_markers, 1, 0, line);
        return;
      }
      if (starts(line, "C:") || starts(line, "C~:")) return;
      if (e == std::string_view::npos) return;
      pos = e + 1;
    }
  }
  void look_ahead_swaks(std::string_view head) {
    for (std::size_t pos = 0; pos < head.size();) {
      auto e = head.find('\n', pos);
      const auto line = head.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos);
      direction d{};
      std::size_t o = 0, dp = 0;
      if (swaks_hex_line(line, d, o, dp)) {
        swaks_hex = true;
        return;
      }
      if (e == std::string_view::npos) return;
      pos = e + 1;
    }
  }

  void consume(std::string_view in) {
    while (!in.empty()) {
      if (in_segment) {
        const std::size_t n = std::min(need, in.size());
        const auto part = in.substr(0, n);
        if (!seg_skip) seg.octets.append(part);
        seg_lf += static_cast<std::size_t>(std::count(part.begin(), part.end(), '\n'));
        need -= n;
        total += n;
        in.remove_prefix(n);
        if (need == 0) end_segment();
        continue;
      }
      if (eat_lf) {
        eat_lf = false;
        if (in[0] == '\n') {
          ++total;
          ++line_no;
          line_start = total;
          in.remove_prefix(1);
          continue;
        }
      }
      const auto* nl = static_cast<const char*>(std::memchr(in.data(), '\n', in.size()));
      const std::size_t n = nl == nullptr ? in.size() : static_cast<std::size_t>(nl - in.data());
      if (nl != nullptr && cur.empty() && !overflow && n <= opt.max_line) {
        // The whole line is in this chunk: read it in place.
        total += n + 1;
        const std::string_view line = in.substr(0, n);
        in.remove_prefix(n + 1);
        end_line(line, false);
        continue;
      }
      if (!overflow) {
        if (cur.size() + n > opt.max_line) {
          overflow = true;
          cur.append(in.substr(0, std::min(k_excerpt, n)));
        } else {
          cur.append(in.substr(0, n));
        }
      }
      total += n;
      in.remove_prefix(n);
      if (nl == nullptr) break;
      ++total;
      in.remove_prefix(1);
      end_buffered_line();
    }
  }

  void end_buffered_line() {
    const bool over = overflow;
    overflow = false;
    end_line(cur, over);
    cur.clear();
  }

  void end_line(std::string_view text, bool over) {
    const std::size_t line = line_no, offset = line_start;
    ++line_no;
    line_start = total;
    if (first_line) {
      first_line = false;
      if (!text.empty() && text.back() == '\r') {
        crlf_file = true;
        note(message_id::crlf_file, line, offset, {});
      }
    }
    if (discard) return;
    if (over) {
      error(message_id::line_too_long, line, offset, text);
      return;
    }
    on_line(text, line, offset);
  }

  void finish() {
    if (sniffing) decide();
    if (in_segment) {
      // Named at the length line: the segment's own first line may not exist.
      error(message_id::truncated_chunk, seg_count_line, seg_count_offset, seg.octets);
      in_segment = false;
      line_no += seg_lf;
    }
    if (!cur.empty() || overflow) {
      if (!discard) note(message_id::no_final_newline, line_no, line_start, {});
      end_buffered_line();
    }
    if (!discard && fmt) finish_format();
    close_run();
    if (dropped > 0) {
      notes.push_back(message{message_id::messages_dropped, line_no, total, dropped, {}});
      dropped = 0;
    }
  }

  // ---- per format ----
  void on_line(std::string_view raw, std::size_t line, std::size_t offset) {
    switch (*fmt) {
      case format::rfc: return rfc(strip_cr(raw), line, offset);
      case format::swaks: return swaks(crlf_file ? strip_cr(raw) : raw, line, offset);
      case format::smtplib: return smtplib(strip_cr(raw), line, offset);
      case format::postfix_debug: return postfix(strip_cr(raw), line, offset);
      case format::smtp_sink: return sink(raw, line, offset);
      case format::tshark_ascii: return tshark_ascii(strip_cr(raw), line, offset);
      case format::tshark_hex: return tshark_hex(strip_cr(raw), line, offset);
      case format::raw: return raw_line(strip_cr(raw), line, offset);
      case format::aiosmtpd: return aiosmtpd(strip_cr(raw), line, offset);
      case format::nodemailer:
      case format::nodemailer_server: return nodemailer(strip_cr(raw), line, offset);
      case format::haraka: return haraka(strip_cr(raw), line, offset);
    }
  }

  void finish_format() {
    if (fmt == format::swaks) {
      swaks_close_hex();
      flush_pending(0);
      flush_pending(1);
    }
    if (fmt == format::tshark_hex) hex_close();
    if (fmt == format::postfix_debug) postfix_finish();
    if (fmt == format::rfc && have_cont) {
      have_cont = false;
      rfc_payload(cont, false, cont_line, cont_offset, false);
    }
  }

  void not_protocol(std::string_view s, std::size_t line, std::size_t offset) {
    if (foreign(*fmt, s)) {
      error(message_id::foreign_line, line, offset, s);
    } else if (std::any_of(s.begin(), s.end(), [](char c) { return c == '\0'; })) {
      error(message_id::binary_input, line, offset, s);
    } else {
      skip(message_id::skipped_lines, line, offset, s);
    }
  }

  // RFC style --------------------------------------------------------------------------------
  void rfc(std::string_view s, std::size_t line, std::size_t offset) {
    if (have_cont) {
      // RFC 3461 §10: the line after one ending in "\" continues the command.
      have_cont = false;
      std::string_view payload;
      const rfc_marker* m = rfc_line(s, payload);
      std::string_view rest = m != nullptr ? payload : s;
      while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t')) rest.remove_prefix(1);
      std::string joined = std::move(cont);
      joined.append(rest);
      note(message_id::continuation_joined, line, offset, s);
      rfc_payload(joined, cont_client, cont_line, cont_offset, cont_tls);
      return;
    }
    if (s.empty()) return skip(message_id::skipped_lines, line, offset, s);
    if (s[0] == '#') {
      std::string_view t = s.substr(1);
      if (!t.empty() && t[0] == ' ') t.remove_prefix(1);
      last_proto = 0;
      return emit(direction::note, boundary::unknown, true, std::string(t), line, offset);
    }
    std::string_view payload;
    const rfc_marker* m = rfc_line(s, payload);
    if (m == nullptr) return not_protocol(s, line, offset);
    bool client = m->who == 'C' || m->who == '>';
    if (m->who == 'S') client = sr_markers;
    if (m->who == 'R') client = false;
    // An unescaped line ending in a single "\" continues on the next line.
    if (!payload.empty() && payload.find('\\') == payload.size() - 1) {
      have_cont = true;
      cont.assign(payload.substr(0, payload.size() - 1));
      cont_line = line;
      cont_offset = offset;
      cont_client = client;
      cont_tls = m->tls;
      return;
    }
    if (m->tls) tls_start(line, offset);
    if (payload.find('\\') != std::string_view::npos) {
      auto d = detail::decode_escapes(payload);
      if (!d) return error(message_id::bad_escape, line, offset, s);
      return rfc_event(client, std::move(*d), true, line, offset);
    }
    rfc_payload(payload, client, line, offset, m->tls);
  }
  bool cont_client = false, cont_tls = false;

  void rfc_payload(std::string_view p, bool client, std::size_t line, std::size_t offset, bool tls) {
    if (tls) tls_start(line, offset);
    // Pseudo-lines: "<wait for open connection>", "(message content, 1234 octets)", "...".
    const bool angle = p.size() > 2 && p.front() == '<' && p.back() == '>' &&
                       p.find_first_of("<>", 1) == p.size() - 1 && p.find(' ') != std::string_view::npos;
    const bool paren = p.size() > 1 && p.front() == '(' && p.back() == ')';
    if (angle || paren || p == "..." || p == "…") {
      return note(message_id::placeholder_line, line, offset, p);
    }
    std::string octets(p);
    auto spelled = [&](std::string_view suffix) {
      if (octets.size() >= suffix.size() && std::string_view(octets).substr(octets.size() - suffix.size()) == suffix) {
        octets.resize(octets.size() - suffix.size());
        note(message_id::crlf_spelled_out, line, offset, p);
        return true;
      }
      return false;
    };
    // Only a client's: a server's "<CRLF>" is usually reply text ("354 Start mail input; end
    // with <CRLF>.<CRLF>", RFC 5321 §D.1).
    if (client && !spelled("<CRLF>")) spelled("<CR><LF>");
    octets += "\r\n";
    rfc_event(client, std::move(octets), false, line, offset);
  }

  void rfc_event(bool client, std::string octets, bool exact, std::size_t line, std::size_t offset) {
    boundary b = boundary::unknown;
    if (client) b = last_proto == 1 ? boundary::same_write : boundary::write;
    last_proto = client ? 1 : 2;
    emit(client ? direction::client : direction::server, b, exact, std::move(octets), line, offset);
  }

  // swaks -----------------------------------------------------------------------------------
  static std::size_t side(direction d) { return d == direction::client ? 0 : 1; }

  void flush_pending(std::size_t d) {
    for (auto& e : pending[d]) {
      close_run();
      e.tls = in_tls;
      events.push_back(std::move(e));
    }
    pending[d].clear();
  }

  void swaks_close_hex() {
    if (!hx.open) return;
    hx.open = false;
    const std::size_t d = side(hx.dir);
    std::size_t lfs = static_cast<std::size_t>(std::count(hx.octets.begin(), hx.octets.end(), '\n'));
    // Lines displayed before their dump (what swaks sent) are covered by it; older ones are not.
    const std::size_t covered = std::min(lfs, pending[d].size());
    std::vector<event> keep(std::make_move_iterator(pending[d].begin()),
                            std::make_move_iterator(pending[d].end() - static_cast<std::ptrdiff_t>(covered)));
    pending[d] = std::move(keep);
    flush_pending(d);
    credit[d] += lfs - covered;
    emit(hx.dir, boundary::write, true, std::move(hx.octets), hx.line, hx.offset);
    hx.octets.clear();
  }

  void swaks(std::string_view s, std::size_t line, std::size_t offset) {
    direction hd{};
    std::size_t hoff = 0, data = 0;
    if (swaks_hex_line(s, hd, hoff, data)) {
      if (hx.open && (hd != hx.dir || hoff == 0 || hoff != hx.next)) swaks_close_hex();
      if (!hx.open) {
        if (hoff != 0) return error(message_id::hex_offset_mismatch, line, offset, s);
        flush_pending(1 - side(hd));
        hx.open = true;
        hx.dir = hd;
        hx.line = line;
        hx.offset = offset;
        hx.next = 0;
      }
      // Up to 16 "HH" separated by one or two spaces; three or more spaces start the text column.
      std::size_t i = data, got = 0;
      while (got < 16 && detail::is_hex_pair(s, i)) {
        hx.octets.push_back(static_cast<char>(detail::hex_value(s[i]) * 16 + detail::hex_value(s[i + 1])));
        ++got;
        i += 2;
        std::size_t sp = 0;
        while (i < s.size() && s[i] == ' ' && sp < 3) ++i, ++sp;
        if (sp == 0 || sp >= 3) break;
      }
      if (got == 0) return error(message_id::bad_hex, line, offset, s);
      hx.next = hoff + got;
      if (hx.octets.size() >= opt.max_line) {  // bounded: a longer dump becomes several events
        const std::size_t next = hx.next;
        swaks_close_hex();
        hx = hex_chunk{true, hd, line, offset, next, {}};
      }
      return;
    }
    swaks_close_hex();
    if (const swaks_prefix* p = swaks_line(s)) {
      // "<**"/"<~*" mark what swaks did not expect (formats/README.md: swaks' expectation, not RFC):
      // usually a server reply with an unexpected code, but swaks also prints its own
      // "Timeout (N secs) waiting for server response" there -- no octet of the server's.
      if (s.substr(0, 3) == "<**" || s.substr(0, 3) == "<~*") {
        if (starts(s.substr(4), "Timeout (") && s.find("waiting for server response") != std::string_view::npos) {
          skip(message_id::tool_message, line, offset, s);
          return;
        }
      }
      if (p->tls) tls_start(line, offset);
      std::string_view text = s.substr(4);
      std::string octets(text);
      // swaks prints a DATA line with its CR when it has one; a command line without.
      octets += !text.empty() && text.back() == '\r' ? "\n" : "\r\n";
      event e;
      e.dir = p->dir;
      e.line = line;
      e.offset = offset;
      e.octets = std::move(octets);
      if (!swaks_hex) {
        e.tls = in_tls;
        close_run();
        events.push_back(std::move(e));
        return;
      }
      const std::size_t d = side(p->dir);
      flush_pending(1 - d);
      if (credit[d] > 0) {
        --credit[d];  // shown in the hex dump already
        return;
      }
      if (pending[d].size() >= 4096) flush_pending(d);  // bounded: a dump covers recent lines only
      pending[d].push_back(std::move(e));
      return;
    }
    if (starts(s, "=== TLS started")) {
      flush_pending(0);
      flush_pending(1);
      skip(message_id::tool_message, line, offset, s);
      return tls_start(line, offset);
    }
    if (starts(s, "***")) return skip(message_id::tool_message, line, offset, s);
    if (starts(s, "===") || (!s.empty() && s[0] == '#') || s.empty())
      return skip(message_id::skipped_lines, line, offset, s);
    not_protocol(s, line, offset);
  }

  // smtplib ---------------------------------------------------------------------------------
  void smtplib(std::string_view s, std::size_t line, std::size_t offset) {
    const std::string_view t = s.substr(smtplib_timestamp(s));
    const bool send = starts(t, "send: ");
    const bool reply = starts(t, "reply: ") && !starts(t, "reply: retcode");
    if (send || reply) {
      const std::string_view lit = t.substr(send ? 6 : 7);
      std::size_t used = 0;
      auto d = detail::decode_python_repr(lit, used);
      if (!d || used != lit.size()) return error(message_id::bad_repr, line, offset, s);
      return emit(send ? direction::client : direction::server, send ? boundary::write : boundary::unknown, true,
                  std::move(*d), line, offset);
    }
    if (starts(t, "reply: retcode") || starts(t, "data: (")) return skip(message_id::summary_line, line, offset, s);
    not_protocol(s, line, offset);
  }

  // Postfix debug_peer ----------------------------------------------------------------------
  // A maillog interleaves processes: one process's lines flow out (pf_cur); the others' are held
  // (at most max_held octets, counted with a per-line overhead, of at most k_max_held_processes
  // processes) and replayed, oldest first, each as
  // its own connection once the current conversation ends ("disconnect from" or the end of input).
  struct held_line {
    std::size_t seq = 0, line = 0, offset = 0;
    std::string text;
  };
  struct held_process {
    std::vector<held_line> lines;  // lines[head..] are still held
    std::size_t head = 0;
    bool dropped = false;  // overflowed: its lines are dropped until its "disconnect from"
    [[nodiscard]] bool waiting() const { return !dropped && head < lines.size(); }
  };
  static constexpr std::size_t k_held_overhead = 64;
  // Postfix runs 100 smtpd processes at most by default; the cap keeps the replay's search linear.
  static constexpr std::size_t k_max_held_processes = 1024;
  std::string pf_cur;             // the process whose lines flow out; empty: none yet / it ended
  bool pf_started = false;        // a process was current before: the next one starts a connection
  bool pf_connect = false;        // a connect event is due before the current process's next event
  bool pf_noted = false;          // interleaved_processes was noted
  std::map<std::string, held_process, std::less<>> pf_held;  // processes with held (or dropped) lines
  std::size_t pf_bytes = 0, pf_seq = 0, pf_waiting = 0;     // pf_waiting: held lines not replayed

  void postfix(std::string_view s, std::size_t line, std::size_t offset) {
    std::string_view msg, proc;
    bool client_side = false;
    if (!postfix_line(s, msg, client_side, &proc)) return not_protocol(s, line, offset);
    if (auto d = pf_held.find(proc); d != pf_held.end() && d->second.dropped) {
      if (starts(msg, "disconnect from ")) pf_held.erase(d);
      return;
    }
    if (pf_cur.empty()) pf_start(proc);
    if (proc != pf_cur) return pf_hold(proc, msg, s, line, offset);
    postfix_event(msg, client_side, s, line, offset);
    if (pf_cur.empty()) pf_replay();
  }

  void pf_start(std::string_view proc) {
    pf_cur.assign(proc);
    pf_connect = pf_started;
    pf_started = true;
  }

  void pf_hold(std::string_view proc, std::string_view msg, std::string_view s, std::size_t line,
               std::size_t offset) {
    if (!pf_noted) {
      pf_noted = true;
      note(message_id::interleaved_processes, line, offset, s);
    }
    const std::size_t cost = s.size() + k_held_overhead;
    auto it = pf_held.find(proc);
    if (pf_bytes + cost > opt.max_held || (it == pf_held.end() && pf_held.size() >= k_max_held_processes)) {
      error(message_id::held_lines_overflow, line, offset, s);
      if (it == pf_held.end()) it = pf_held.try_emplace(std::string(proc)).first;
      auto& hp = it->second;
      for (std::size_t i = hp.head; i < hp.lines.size(); ++i)
        pf_bytes -= hp.lines[i].text.size() + k_held_overhead;
      pf_waiting -= hp.lines.size() - hp.head;
      hp = held_process{};
      hp.dropped = true;
      if (starts(msg, "disconnect from ")) pf_held.erase(it);  // the dropped conversation ends here
      return;
    }
    if (it == pf_held.end()) it = pf_held.try_emplace(std::string(proc)).first;
    it->second.lines.push_back(held_line{pf_seq++, line, offset, std::string(s)});
    pf_bytes += cost;
    ++pf_waiting;
  }

  // The current conversation ended: the held processes, oldest first line first, until one is
  // still going when its held lines run out (its later lines then flow out as they come).
  void pf_replay() {
    while (pf_cur.empty() && pf_waiting > 0) {
      auto it = pf_held.end();
      const auto oldest = [](const held_process& hp) { return hp.lines[hp.head].seq; };
      for (auto i = pf_held.begin(); i != pf_held.end(); ++i)
        if (i->second.waiting() && (it == pf_held.end() || oldest(i->second) < oldest(it->second))) it = i;
      pf_start(it->first);
      auto& hp = it->second;
      while (!pf_cur.empty() && hp.head < hp.lines.size()) {
        held_line h = std::move(hp.lines[hp.head++]);
        --pf_waiting;
        pf_bytes -= h.text.size() + k_held_overhead;
        std::string_view msg;
        bool client_side = false;
        postfix_line(h.text, msg, client_side);
        postfix_event(msg, client_side, h.text, h.line, h.offset);
      }
      if (hp.head == hp.lines.size()) pf_held.erase(it);
    }
  }

  void postfix_finish() {
    // The input ended: so did every conversation.
    while (pf_waiting > 0) {
      pf_cur.clear();
      pf_replay();
    }
  }

  void postfix_event(std::string_view msg, bool client_side, std::string_view s, std::size_t line,
                     std::size_t offset) {
    if (!client_side && starts(msg, "connect from ")) {
      pf_connect = false;
      return emit(direction::connect, boundary::unknown, true, {}, line, offset);
    }
    if (!client_side && starts(msg, "disconnect from ")) {
      pf_cur.clear();
      return skip(message_id::skipped_lines, line, offset, s);
    }
    if (msg.size() >= 2 && (msg[0] == '<' || msg[0] == '>') && msg[1] == ' ') {
      // "< host[addr]: text" (smtpd) / "> host[addr]:port: text" (smtp): text after the peer.
      const auto close = msg.find(']');
      const auto colon = msg.find(": ", close == std::string_view::npos ? 2 : close);
      if (colon != std::string_view::npos) {
        const bool from_client = (msg[0] == '<') != client_side;
        std::string octets(msg.substr(colon + 2));
        octets += "\r\n";
        if (pf_connect) {
          // A process's conversation seen from its middle (the log started later) is still a new one.
          pf_connect = false;
          emit(direction::connect, boundary::unknown, true, {}, line, offset);
        }
        return emit(from_client ? direction::client : direction::server, boundary::unknown, false, std::move(octets),
                    line, offset);
      }
    }
    skip(message_id::skipped_lines, line, offset, s);
  }

  // smtp-sink -v ----------------------------------------------------------------------------
  void sink(std::string_view s, std::size_t line, std::size_t offset) {
    // -c rewrites its counters in place with a bare CR: the log line follows the last CR.
    if (const auto cr = s.rfind('\r'); cr != std::string_view::npos) s = s.substr(cr + 1);
    if (!starts(s, "smtp-sink: ")) return s.empty() ? skip(message_id::skipped_lines, line, offset, s) : not_protocol(s, line, offset);
    const std::string_view m = s.substr(11);
    if (starts(m, "connect ") || starts(m, "connect from")) return emit(direction::connect, boundary::unknown, true, {}, line, offset);
    const std::string_view word = m.substr(0, m.find(' '));
    const bool noise = word.empty() || word == "disconnect" || word.back() == ':' ||
                       word.find_first_of("=_") != std::string_view::npos || word.find("...") != std::string_view::npos;
    if (noise) return skip(message_id::skipped_lines, line, offset, s);
    std::string octets(m);
    octets += "\r\n";
    emit(direction::client, boundary::unknown, false, std::move(octets), line, offset);
  }

  // tshark follow ---------------------------------------------------------------------------
  direction node_dir(int node) const {
    const bool server = (node == 1) != swap_nodes;
    return server ? direction::server : direction::client;
  }
  // A TLS record header (handshake / alert / application data, version 3.x) starts ciphertext.
  static bool tls_record(std::string_view b) {
    return b.size() >= 3 && (b[0] == '\x16' || b[0] == '\x15' || b[0] == '\x17') && b[1] == '\x03';
  }
  void segment_event(int node, std::string octets, bool exact, std::size_t line, std::size_t offset) {
    if (!seen_chunk) {
      seen_chunk = true;
      // tshark's node 0 is the first one seen; when it sends the greeting it is the server.
      if (node == 0 && octets.size() >= 4 && std::isdigit(static_cast<unsigned char>(octets[0])) &&
          std::isdigit(static_cast<unsigned char>(octets[1])) && std::isdigit(static_cast<unsigned char>(octets[2])) &&
          (octets[3] == ' ' || octets[3] == '-')) {
        swap_nodes = true;
        note(message_id::directions_swapped, line, offset, {});
      }
    }
    if (encrypted) return;
    if (tls_record(octets)) {
      encrypted = true;
      tls_start(line, offset);
      note(message_id::encrypted_skipped, line, offset, {});
      return;
    }
    emit(node_dir(node), boundary::write, exact, std::move(octets), line, offset);
  }

  void tshark_ascii(std::string_view s, std::size_t line, std::size_t offset) {
    if (tshark_header(s) || s.empty()) return skip(message_id::skipped_lines, line, offset, s);
    const int node = !s.empty() && s[0] == '\t' ? 1 : 0;
    const std::string_view n = s.substr(static_cast<std::size_t>(node));
    if (!detail::all_digits(n) || n.size() > 12) return error(message_id::bad_chunk_length, line, offset, s);
    std::size_t len = 0;
    for (char c : n) len = len * 10 + static_cast<std::size_t>(c - '0');
    seg = event{};
    seg.dir = node == 1 ? direction::server : direction::client;
    seg.line = line_no;  // the segment starts on the next line
    seg_count_line = line;
    seg_count_offset = offset;
    seg.offset = line_start;
    seg_lf = 0;
    need = len;
    in_segment = true;
    // A segment longer than max_line is read past, not kept (memory stays bounded).
    seg_skip = len > opt.max_line;
    if (seg_skip) error(message_id::bad_chunk_length, line, offset, s);
    if (need == 0) end_segment();
  }
  void end_segment() {
    in_segment = false;
    line_no += seg_lf;
    line_start = total;
    // tshark ends each segment with a LF of its own: it ends the source line the segment's last
    // octets are on (or an empty line when the segment ends in LF).
    eat_lf = true;
    const int node = seg.dir == direction::server ? 1 : 0;
    // tshark prints no empty segments; a "0" length carries nothing to report.
    if (!seg_skip && !seg.octets.empty()) segment_event(node, std::move(seg.octets), false, seg.line, seg.offset);
    seg_skip = false;
    seg.octets.clear();
  }

  void hex_close() {
    if (!hx.open) return;
    hx.open = false;
    segment_event(hex_node, std::move(hx.octets), true, hx.line, hx.offset);
    hx.octets.clear();
  }

  void tshark_hex(std::string_view s, std::size_t line, std::size_t offset) {
    if (tshark_header(s) || s.empty()) {
      hex_close();
      return skip(message_id::skipped_lines, line, offset, s);
    }
    const int node = s[0] == '\t' ? 1 : 0;
    const std::string_view l = s.substr(static_cast<std::size_t>(node));
    if (l.size() < 12 || l[8] != ' ' || l[9] != ' ') return error(message_id::bad_hex, line, offset, s);
    std::size_t off = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      const int h = detail::hex_value(l[i]);
      if (h < 0) return error(message_id::bad_hex, line, offset, s);
      off = off * 16 + static_cast<std::size_t>(h);
    }
    // Octet i sits at column 10 + 3i (+1 from the ninth on); the text column starts at 60.
    std::string octets;
    for (std::size_t i = 0; i < 16; ++i) {
      const std::size_t col = 10 + 3 * i + (i >= 8 ? 1 : 0);
      if (col + 1 >= l.size() || col + 1 >= 60 || !detail::is_hex_pair(l, col) || l[col - 1] != ' ') break;
      if (col + 2 < l.size() && l[col + 2] != ' ') break;
      octets.push_back(static_cast<char>(detail::hex_value(l[col]) * 16 + detail::hex_value(l[col + 1])));
    }
    if (octets.empty()) return error(message_id::bad_hex, line, offset, s);
    const auto ni = static_cast<std::size_t>(node);
    if (off != hex_next[ni]) {
      hex_close();
      hex_next[ni] = off + octets.size();
      return error(message_id::hex_offset_mismatch, line, offset, s);
    }
    hex_next[ni] = off + octets.size();
    // A new segment when the direction changes or the previous line was short.
    if (hx.open && (node != hex_node || !hex_last_full)) hex_close();
    if (!hx.open) {
      hx.open = true;
      hex_node = node;
      hx.line = line;
      hx.offset = offset;
    }
    hx.octets += octets;
    hex_last_full = octets.size() == 16;
    if (hx.octets.size() >= opt.max_line) hex_close();  // bounded: a longer segment becomes several events
  }

  // aiosmtpd ------------------------------------------------------------------------------------
  bool aio_readline = false;
  void aiosmtpd(std::string_view s, std::size_t line, std::size_t offset) {
    std::string_view m;
    if (!aiosmtpd_line(s, m)) return not_protocol(s, line, offset);
    auto literal = [&](std::string_view lit, direction d, bool add_crlf) {
      std::size_t used = 0;
      auto o = detail::decode_python_repr(lit, used);
      if (!o || used != lit.size()) return error(message_id::bad_repr, line, offset, s);
      if (add_crlf) *o += "\r\n";
      emit(d, boundary::unknown, !add_crlf, std::move(*o), line, offset);
    };
    for (std::string_view p : {"_handle_client readline: ", "DATA readline: "})
      if (starts(m, p)) return literal(m.substr(p.size()), direction::client, false);
    if (starts(m, "Peer: (")) return emit(direction::connect, boundary::unknown, true, {}, line, offset);
    if (starts(m, "(")) {
      // "('127.0.0.1', 49230) << b'250 OK'": sent (the line end is not logged); ">>" received.
      for (const auto& [arrow, d] : {std::pair{") << ", direction::server}, std::pair{") >> ", direction::client}}) {
        const auto a = m.find(arrow);
        if (a == std::string_view::npos) continue;
        if (d == direction::client && aio_readline) return skip(message_id::summary_line, line, offset, s);
        return literal(m.substr(a + 5), d, true);
      }
    }
    skip(message_id::skipped_lines, line, offset, s);
  }

  // nodemailer / smtp-server -----------------------------------------------------------------------
  bool nm_data = false;  // after a 354: unprefixed lines are DATA lines (the client's log)
  int nm_last = 0;       // the last protocol line: 1 client, 2 server
  static bool reply_line(std::string_view m) {
    return m.size() >= 3 && std::isdigit(static_cast<unsigned char>(m[0])) &&
           std::isdigit(static_cast<unsigned char>(m[1])) && std::isdigit(static_cast<unsigned char>(m[2])) &&
           (m.size() == 3 || m[3] == ' ' || m[3] == '-');
  }
  void nodemailer(std::string_view s, std::size_t line, std::size_t offset) {
    std::string_view level, m;
    if (!nodemailer_line(s, level, m)) return not_protocol(s, line, offset);
    auto event = [&](direction d, std::string_view text) {
      std::string o(text);
      o += "\r\n";
      emit(d, boundary::unknown, false, std::move(o), line, offset);
    };
    if (starts(m, "S: ")) {
      nm_last = 2;
      nm_data = starts(m.substr(3), "354");
      return event(direction::server, m.substr(3));
    }
    if (starts(m, "C: ")) {
      nm_last = 1;
      nm_data = false;
      const auto t = m.substr(3);
      if (starts(t, "<") && t.ends_with(" bytes of DATA>")) return note(message_id::placeholder_line, line, offset, s);
      return event(direction::client, t);
    }
    if (starts(m, "Connection established to ") || starts(m, "Connection from ")) {
      nm_data = false;
      nm_last = 0;
      return emit(direction::connect, boundary::unknown, true, {}, line, offset);
    }
    if (starts(m, "Connection upgraded with STARTTLS")) return tls_start(line, offset);
    if (level == "DEBUG" && nm_data) {
      if (m == ".") nm_data = false;
      return event(direction::client, m);
    }
    // smtp-server logs a multi-line reply as one entry: its continuation lines carry no "S: ".
    if (level == "DEBUG" && nm_last == 2 && reply_line(m)) return event(direction::server, m);
    skip(message_id::skipped_lines, line, offset, s);
  }

  // Haraka ---------------------------------------------------------------------------------------
  void haraka(std::string_view s, std::size_t line, std::size_t offset) {
    std::string_view m;
    if (!haraka_line(s, m)) return not_protocol(s, line, offset);
    const bool client = starts(m, "C: ");
    if (!client && !starts(m, "S: ")) return skip(message_id::skipped_lines, line, offset, s);
    std::string_view t = m.substr(3);
    // connection.js logs a command with its state object, rendered as " state=N " at the end.
    if (client) {
      while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
      const auto st = t.rfind(" state=");
      if (st != std::string_view::npos && detail::all_digits(t.substr(st + 7))) t = t.substr(0, st);
    }
    // PROTOCOL level writes a bare CR or LF inside the text as \r / \n.
    std::string o;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '\\' && i + 1 < t.size() && (t[i + 1] == 'r' || t[i + 1] == 'n')) {
        o.push_back(t[++i] == 'r' ? '\r' : '\n');
      } else {
        o.push_back(t[i]);
      }
    }
    o += "\r\n";
    emit(client ? direction::client : direction::server, boundary::unknown, false, std::move(o), line, offset);
  }

  // raw capture ------------------------------------------------------------------------------
  void raw_line(std::string_view s, std::size_t line, std::size_t offset) {
    if (starts(s, "#smtpspec-raw")) return;
    if (s.empty()) return skip(message_id::skipped_lines, line, offset, s);
    if (s[0] == '#') {
      std::string_view t = s.substr(1);
      if (!t.empty() && t[0] == ' ') t.remove_prefix(1);
      return emit(direction::note, boundary::unknown, true, std::string(t), line, offset);
    }
    if (s == "T") return emit(direction::tls_start, boundary::unknown, true, {}, line, offset);
    if (s == "O" || starts(s, "O ")) return emit(direction::connect, boundary::unknown, true, {}, line, offset);
    if ((s[0] == 'C' || s[0] == 'S') && s.size() >= 2 && s[1] == ' ') {
      const std::string_view h = s.substr(2);
      if (h.size() % 2 != 0) return error(message_id::bad_hex, line, offset, s);
      std::string octets;
      octets.reserve(h.size() / 2);
      for (std::size_t i = 0; i < h.size(); i += 2) {
        const int a = detail::hex_value(h[i]), b = detail::hex_value(h[i + 1]);
        if (a < 0 || b < 0) return error(message_id::bad_hex, line, offset, s);
        octets.push_back(static_cast<char>(a * 16 + b));
      }
      return emit(s[0] == 'C' ? direction::client : direction::server, boundary::write, true, std::move(octets), line,
                  offset);
    }
    if (foreign(format::raw, s)) return error(message_id::foreign_line, line, offset, s);
    error(message_id::unrecognised_line, line, offset, s);
  }
};

reader::reader(options opt) : p_(new impl(std::move(opt))) {}
reader::~reader() { delete p_; }
reader::reader(reader&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
reader& reader::operator=(reader&& o) noexcept {
  if (this != &o) {
    delete p_;
    p_ = std::exchange(o.p_, nullptr);
  }
  return *this;
}
void reader::feed(std::string_view chunk) { p_->feed(chunk); }
void reader::finish() { p_->finish(); }
std::span<const event> reader::events() const noexcept { return p_->events; }
std::span<const message> reader::notes() const noexcept { return p_->notes; }
std::span<const message> reader::errors() const noexcept { return p_->errors; }
void reader::clear() noexcept {
  p_->events.clear();
  p_->notes.clear();
  p_->errors.clear();
}
transcript reader::take() {
  transcript t;
  // A given format is known before the first sniff_bytes are in (which the reader still buffers:
  // the RFC style and swaks look ahead in them); a detected one only after.
  t.fmt = p_->opt.fmt ? p_->opt.fmt : p_->fmt;
  t.detected = !p_->opt.fmt.has_value() && p_->fmt.has_value();
  t.confidence = p_->opt.fmt ? 100 : p_->det.confidence;
  t.events = std::move(p_->events);
  t.notes = std::move(p_->notes);
  t.errors = std::move(p_->errors);
  t.lines = lines();
  t.octets = p_->fed;
  for (const auto& n : t.notes)
    if (n.id == message_id::messages_dropped) t.dropped_messages = n.count;
  clear();
  return t;
}
std::optional<format> reader::current_format() const noexcept { return p_->fmt; }
detection reader::detected() const noexcept { return p_->det; }
std::size_t reader::lines() const noexcept {
  return p_->line_no - 1 + ((!p_->cur.empty() || p_->in_segment) ? 1 : 0);
}
std::size_t reader::octets() const noexcept { return p_->fed; }

transcript read(std::string_view text, const options& opt) {
  options o = opt;
  reader r(o);
  r.feed(text);
  r.finish();
  transcript t;
  auto& p = *r.p_;
  t.fmt = p.fmt;
  t.detected = !opt.fmt.has_value() && p.fmt.has_value();
  t.confidence = p.det.confidence;
  t.events = std::move(p.events);
  t.notes = std::move(p.notes);
  t.errors = std::move(p.errors);
  t.lines = p.line_no - 1;
  t.octets = text.size();
  for (const auto& n : t.notes)
    if (n.id == message_id::messages_dropped) t.dropped_messages = n.count;
  return t;
}

}  // namespace smtpspec::transcript
