// The linter's reference server: a server_session (the library's own state machine) that offers what
// the recorded server advertised and is fed the recorded client octets. Where the session decides a
// reply by itself -- no host hook involved -- that reply is what any correct server must send in that
// state (503 for RCPT without MAIL, 250 for RSET, 221 for QUIT, 504 for an unlisted mechanism, …);
// the lint rules that judge the server's sequencing compare the recorded reply with it, so sequencing
// is written once, in src/session.cpp. Where a host hook decides (MAIL, RCPT, DATA, AUTH credentials:
// policy), the recorded reply is mirrored into the hook's answer, so the session's state follows the
// recorded server's decisions.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "smtpspec/extensions.hpp"
#include "smtpspec/reply.hpp"
#include "smtpspec/session.hpp"

namespace smtpspec::lint::detail {

// What the recorded server offered: its EHLO reply (or a HELO, which offers nothing).
struct offer {
  bool esmtp = false;
  extension_set extensions = extension_set::none();
  std::uint64_t size = 0;  // SIZE's value (0: no fixed limit)
  std::vector<std::string> mechanisms;
};

// The reference server's reply to the command a recorded reply answers.
struct model_reply {
  int code = 0;
  bool own = false;           // decided by the session itself, not by a (mirrored) host hook
  bool bad_sequence = false;  // the session refused the command as out of sequence (RFC 5321 §4.1.4)
  bool declared_size = false; // the session refused MAIL's SIZE= as above the limit (RFC 1870 §6.2)
  bool excerpt = false;       // the session did not see the conversation's start: state may be missing
  std::string text;           // the first line's text
};

class reference_server {
 public:
  explicit reference_server(bool lmtp = false) : lmtp_(lmtp) {}

  // A new connection.
  void connect();
  // The transcript starts after the greeting: the session is brought to "after an EHLO that offered
  // everything", and refusals that depend on what came before are marked `excerpt`.
  void excerpt();
  // The recorded greeting's code.
  void greeting(int code);
  // Client octets at client stream offset `at` (contiguous).
  void client(std::string_view octets, std::uint64_t at);
  // Message content at `at`, framed by the linter's data reader: kept for a replay, not read again.
  // end_data() then ends the session's DATA.
  void skip(std::string_view octets, std::uint64_t at);
  // The recorded server accepted a HELO/EHLO/LHLO whose line starts at client offset `hello_at`:
  // a new session offering `o`, fed the client octets from that line on (RFC 5321 §4.1.4: EHLO
  // resets the state, so nothing before it matters). `tls`: the TLS layer is up.
  void restart(const offer& o, bool tls, std::uint64_t hello_at);
  // The recorded reply `r` (code `code`) answers the next command, whose line starts at client offset
  // `command_at`: the reference reply to it.
  std::optional<model_reply> answer(const reply& r, int code, std::uint64_t command_at);
  // The end of the message (or, data_kept::absent, of the message the transcript leaves out).
  void end_data();
  // Stop judging until the next restart: the recorded server's state left the session's.
  void lose() {
    s_.reset();
    in_.clear();
  }
  bool active() const noexcept { return s_ != nullptr; }

 private:
  void take(session_events ev, bool from_hook);
  void flush();
  void keep(std::string_view octets, std::uint64_t at);
  void respond(const reply& r, int code);
  std::uint64_t lint_offset(std::size_t model_off) const noexcept { return base_ + model_off; }

  bool lmtp_ = false;  // RFC 2033: LHLO, one reply per accepted recipient after the data
  bool excerpt_ = false;
  std::unique_ptr<server_session> s_;
  std::uint64_t base_ = 0;  // client stream offset of the session's first octet
  std::deque<model_reply> replies_;
  std::optional<session_event> hook_;  // the hook waiting for the recorded server's decision
  std::deque<std::pair<std::uint64_t, session_diagnostic_id>> diags_;  // by client stream offset
  // The recent client octets, to replay from a HELO/EHLO line on restart.
  std::string in_;  // client octets not yet fed to the session
  std::string recent_;
  std::uint64_t recent_base_ = 0;
  std::uint64_t fed_end_ = 0;  // client stream offset after the last octet seen
  static constexpr std::size_t recent_cap = 1 << 18;
};

}  // namespace smtpspec::lint::detail
