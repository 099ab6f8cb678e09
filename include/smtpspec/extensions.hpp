// smtpspec — SMTP service extensions (EHLO keywords), from the IANA registry.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace smtpspec {

enum class extension : unsigned char {
#define SMTPSPEC_EXTENSION(id, keyword, rfc, status, description, ehlo, mail_params, rcpt_params) id,
#include "smtpspec/catalogue/extensions.inc"
#undef SMTPSPEC_EXTENSION
};

enum class extension_status : unsigned char { standard, legacy, deprecated };

// The syntax of an EHLO keyword's parameters (catalogue/extensions.inc explains each).
enum class ehlo_syntax : unsigned char {
  none, unspecified, size, auth, burl, deliverby, futurerelease, mt_priority, no_soliciting, limits
};

struct extension_info {
  smtpspec::extension id;
  std::string_view keyword;  // as registered, upper case
  std::string_view rfc;
  extension_status status;
  std::string_view description;
  ehlo_syntax ehlo;              // what may follow the keyword in an EHLO reply
  std::string_view mail_params;  // the MAIL parameters it defines, space-separated ("" for none)
  std::string_view rcpt_params;  // the RCPT parameters it defines
};

// The IANA "SMTP Server Limits" registry (RFC 9422), catalogue/server_limits.inc: the names a
// LIMITS EHLO keyword may carry with a value of %x31-39 0*5DIGIT.
enum class server_limit : unsigned char {
#define SMTPSPEC_SERVER_LIMIT(id, name, rfc, description) id,
#include "smtpspec/catalogue/server_limits.inc"
#undef SMTPSPEC_SERVER_LIMIT
};
struct server_limit_info {
  server_limit id;
  std::string_view name;
  std::string_view rfc;
  std::string_view description;
};

// A set of extensions, e.g. the ones a server advertises. Parsers refuse parameters of an
// extension that is not in the set (RFC 5321 §4.1.1.11: 555).
class extension_set {
 public:
  constexpr extension_set() noexcept = default;
  static constexpr extension_set all() noexcept { return extension_set(~std::uint64_t{0}); }
  static constexpr extension_set none() noexcept { return extension_set(0); }
  constexpr bool has(extension e) const noexcept { return (bits_ >> static_cast<unsigned>(e)) & 1U; }
  constexpr extension_set& add(extension e) noexcept { bits_ |= bit(e); return *this; }
  constexpr extension_set& remove(extension e) noexcept { bits_ &= ~bit(e); return *this; }
  constexpr std::uint64_t bits() const noexcept { return bits_; }
  static constexpr extension_set from_bits(std::uint64_t b) noexcept { return extension_set(b); }
  friend constexpr bool operator==(extension_set, extension_set) noexcept = default;

 private:
  constexpr explicit extension_set(std::uint64_t b) noexcept : bits_(b) {}
  static constexpr std::uint64_t bit(extension e) noexcept { return std::uint64_t{1} << static_cast<unsigned>(e); }
  std::uint64_t bits_ = ~std::uint64_t{0};
};

[[nodiscard]] std::span<const extension_info> extension_catalogue() noexcept;
[[nodiscard]] const extension_info& info(extension e) noexcept;
// Case-insensitive look-up of an EHLO keyword.
[[nodiscard]] std::optional<extension> find_extension(std::string_view keyword) noexcept;
[[nodiscard]] std::string_view to_string(extension e) noexcept;  // the keyword
[[nodiscard]] std::string_view to_string(ehlo_syntax s) noexcept;  // "none", "size", "mt_priority", …

[[nodiscard]] std::span<const server_limit_info> server_limit_catalogue() noexcept;
// Case-insensitive look-up of a LIMITS name (MAILMAX, RCPTMAX, RCPTDOMAINMAX).
[[nodiscard]] std::optional<server_limit> find_server_limit(std::string_view name) noexcept;

enum class verb : unsigned char;  // command.hpp
// Whether a session offering `extensions` accepts the MAIL (verb::mail) or RCPT (verb::rcpt)
// parameter `keyword` (case-insensitive): some extension in the set defines it. Private
// X-parameters (RFC 5321 §2.2.2) and other verbs are never accepted.
[[nodiscard]] bool accepts_parameter(const extension_set& extensions, verb v, std::string_view keyword) noexcept;
// Every MAIL or RCPT parameter keyword that a session offering `extensions` accepts, in catalogue
// order, each once.
[[nodiscard]] std::vector<std::string_view> accepted_parameters(const extension_set& extensions, verb v);

// The catalogue for the bindings: {"extensions":[{"keyword", "rfc", "status", "description",
// "ehlo", "mail_params":[S…], "rcpt_params":[S…]}…], "server_limits":[{"name", "rfc",
// "description"}…]} (conformance/README.md).
[[nodiscard]] std::string extension_catalogue_json();

}  // namespace smtpspec
