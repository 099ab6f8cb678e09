// smtpspec — SMTP service extensions (EHLO keywords), from the IANA registry.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace smtpspec {

enum class extension : unsigned char {
#define SMTPSPEC_EXTENSION(id, keyword, rfc, status, description) id,
#include "smtpspec/catalogue/extensions.inc"
#undef SMTPSPEC_EXTENSION
};

enum class extension_status : unsigned char { standard, legacy, deprecated };

struct extension_info {
  smtpspec::extension id;
  std::string_view keyword;  // as registered, upper case
  std::string_view rfc;
  extension_status status;
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

}  // namespace smtpspec
