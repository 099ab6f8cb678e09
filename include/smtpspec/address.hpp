// smtpspec — RFC 5321 §4.1.2 / §4.1.3 addresses: Domain, Mailbox, Path.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/options.hpp"
#include "smtpspec/result.hpp"

namespace smtpspec {

enum class domain_kind : unsigned char {
  name,     // Domain = sub-domain *("." sub-domain)
  ipv4,     // "[" IPv4-address-literal "]"
  ipv6,     // "[IPv6:" IPv6-addr "]"
  general,  // "[" Standardized-tag ":" 1*dcontent "]"
};

// All views point into the caller's input.
struct domain {
  std::string_view text;     // as written, brackets included for literals
  domain_kind kind = domain_kind::name;
  std::string_view tag;      // "IPv6" or the Standardized-tag; empty for name and ipv4
  std::string_view address;  // literal content after the tag; empty for name
  // Canonical forms of a name (computed on request, allocate; empty for address literals): the
  // A-label form, lower-cased (RFC 5890 §2.3.2.1), and the U-label form (RFC 5891 §5.2). For an
  // ASCII name without "xn--" labels both are the lower-cased text. See idna.hpp.
  [[nodiscard]] std::string ascii() const;
  [[nodiscard]] std::string unicode() const;
};

enum class local_part_kind : unsigned char { dot_string, quoted_string };

struct mailbox {
  std::string_view text;        // Local-part "@" (Domain / address-literal)
  std::string_view local_part;  // as written, quotes included
  local_part_kind local_kind = local_part_kind::dot_string;
  smtpspec::domain domain;
  // The local part with quoting removed (RFC 5321 §4.1.2: quoted forms MUST be treated as
  // equivalent to their unquoted form). Allocates.
  [[nodiscard]] std::string local_part_value() const;
};

enum class path_kind : unsigned char {
  null,                  // "<>" (Reverse-path only)
  postmaster,            // "<Postmaster>" (Forward-path only, §4.1.1.3)
  postmaster_at_domain,  // "<Postmaster@" Domain ">" (§4.1.1.3, case-insensitive)
  mailbox,               // "<" [A-d-l ":"] Mailbox ">"
};

struct path {
  std::string_view text;  // as written, brackets included when present
  path_kind kind = path_kind::mailbox;
  std::vector<smtpspec::domain> source_route;  // A-d-l, parsed and reported, then ignored
  smtpspec::mailbox mailbox;                   // valid for mailbox and postmaster_at_domain
};

// Which forms parse_path accepts.
enum class path_role : unsigned char {
  any,      // Path, "<>" and "<Postmaster>"
  reverse,  // Reverse-path = Path / "<>"
  forward,  // RCPT: "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path
};

// Input views must outlive the results; overloads taking temporaries are deleted.
[[nodiscard]] result<domain> parse_domain(std::string_view input, const parse_options& = {}) noexcept;
[[nodiscard]] result<mailbox> parse_mailbox(std::string_view input, const parse_options& = {}) noexcept;
[[nodiscard]] result<path> parse_path(std::string_view input, const parse_options& = {},
                                      path_role role = path_role::any) noexcept;
result<domain> parse_domain(std::string&&, const parse_options& = {}) = delete;
result<mailbox> parse_mailbox(std::string&&, const parse_options& = {}) = delete;
result<path> parse_path(std::string&&, const parse_options& = {}, path_role = path_role::any) = delete;
// C strings (string literals live for the whole program).
[[nodiscard]] inline result<domain> parse_domain(const char* s, const parse_options& o = {}) noexcept {
  return parse_domain(std::string_view(s), o);
}
[[nodiscard]] inline result<mailbox> parse_mailbox(const char* s, const parse_options& o = {}) noexcept {
  return parse_mailbox(std::string_view(s), o);
}
[[nodiscard]] inline result<path> parse_path(const char* s, const parse_options& o = {},
                                             path_role role = path_role::any) noexcept {
  return parse_path(std::string_view(s), o, role);
}

[[nodiscard]] std::string_view to_string(domain_kind k) noexcept;
[[nodiscard]] std::string_view to_string(local_part_kind k) noexcept;
[[nodiscard]] std::string_view to_string(path_kind k) noexcept;

}  // namespace smtpspec
