// smtpspec serve — milters (--milter inet:HOST:PORT) through smtpspec::milter::mta_session. Each
// SMTP connection gets its own milter connections; the calls block the connection's thread while
// the filter answers (with a timeout), as Postfix's smtpd process does. A filter that cannot be
// reached or breaks the protocol makes the rest of the connection temporarily fail (Postfix's
// milter_default_action = tempfail). Header edits (ADDHEADER, INSHEADER, CHGHEADER) are applied
// to the delivered message; the other modifications are logged and ignored.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/milter.hpp"
#include "smtpspec/session.hpp"

#include "maildir.hpp"

namespace smtpspec::serve {

class logger;

struct milter_target {
  std::string spec;  // as given
  std::string host;
  std::uint16_t port = 0;
};
[[nodiscard]] std::optional<milter_target> parse_milter_target(std::string_view spec);

class milter_chain {
 public:
  milter_chain(const std::vector<milter_target>& targets, logger& log, std::uint64_t conn_id,
               std::string hostname);
  ~milter_chain();
  milter_chain(const milter_chain&) = delete;
  milter_chain& operator=(const milter_chain&) = delete;

  // Each returns the verdict for the hook: CONT when every filter continues.
  hook_response connect(const connection_info& c);
  hook_response helo(std::string_view name);
  hook_response mail(std::string_view address, const std::vector<session_param>& params, const connection_info& c);
  hook_response rcpt(std::string_view address, const std::vector<session_param>& params);
  hook_response data();
  void message_data(std::string_view octets);  // headers and body are split from the stream
  hook_response end_of_message(std::string_view queue_id);
  void abort();  // the message will not be queued
  void quit();

  // A filter said DISCARD: accept the message, deliver nothing.
  [[nodiscard]] bool discard() const noexcept { return discard_; }
  [[nodiscard]] bool has_modifications() const noexcept { return modified_; }
  // Rewrites the message's header section (which starts at `header_offset` of the file).
  [[nodiscard]] std::optional<std::string> apply(maildir::delivery& d, std::uint64_t header_offset);

 private:
  struct link;
  struct header {
    std::string name;
    std::string raw;  // the whole header as received, CRLFs included
  };
  hook_response call(link& l, const std::function<milter::outcome<milter::send_status>(milter::mta_session&)>& send);
  hook_response each(const std::function<milter::outcome<milter::send_status>(milter::mta_session&)>& send);
  void end_headers();
  void flush_body();
  void reset_message();

  std::vector<link*> links_;
  logger& log_;
  std::uint64_t conn_id_;
  std::string hostname_;
  // The message being received.
  bool in_body_ = false, eoh_sent_ = false, discard_ = false, modified_ = false;
  std::string head_;                 // the header section until its end is seen (bounded)
  std::uint64_t header_length_ = 0;  // octets of the header section in the file (without the blank line)
  std::vector<header> headers_;
  std::string body_;                 // body octets not yet sent
  std::optional<hook_response> message_verdict_;  // a rejection during the headers or body
};

}  // namespace smtpspec::serve
