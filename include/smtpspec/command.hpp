// smtpspec — SMTP commands: RFC 5321 §4.1.1, STARTTLS (RFC 3207), AUTH (RFC 4954),
// BDAT (RFC 3030), LHLO (RFC 2033).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/address.hpp"
#include "smtpspec/esmtp.hpp"

namespace smtpspec {

enum class verb : unsigned char {
  ehlo, helo, lhlo, mail, rcpt, data, rset, vrfy, expn, help, noop, quit, starttls, auth, bdat,
};

// esmtp_param (esmtp-param with its typed value) is in esmtp.hpp.

struct command {
  smtpspec::verb verb = verb::noop;
  std::string_view verb_text;  // as written (any case)
  // EHLO/HELO/LHLO
  smtpspec::domain domain;
  // MAIL/RCPT
  smtpspec::path path;
  std::vector<esmtp_param> params;
  // VRFY/EXPN (required), HELP/NOOP (optional): String = Atom / Quoted-string
  std::string_view argument;
  bool has_argument = false;
  // AUTH
  std::string_view mechanism;
  std::string_view initial_response;
  bool has_initial_response = false;
  // BDAT
  std::uint64_t chunk_size = 0;
  bool last = false;
};

// One command line, with or without its CRLF (a bare LF is an error in strict, a diagnostic in
// lenient). The line must not contain a second line.
[[nodiscard]] result<command> parse_command(std::string_view line, const parse_options& = {}) noexcept;
result<command> parse_command(std::string&&, const parse_options& = {}) = delete;
[[nodiscard]] inline result<command> parse_command(const char* line, const parse_options& o = {}) noexcept {
  return parse_command(std::string_view(line), o);
}

// The verb of a command line, also when it failed to parse (empty when not recognised).
[[nodiscard]] inline std::optional<verb> command_verb(const result<command>& r) noexcept {
  if (r.ok()) return r->verb;
  if (r.hint() < 0) return std::nullopt;
  return static_cast<verb>(r.hint());
}

// Upper-case name: "EHLO", …, "STARTTLS".
[[nodiscard]] std::string_view to_string(verb v) noexcept;
[[nodiscard]] std::span<const verb> all_verbs() noexcept;

}  // namespace smtpspec
