// smtpspec — enhanced mail system status codes: RFC 3463 §2 syntax, the RFC 5248 IANA registry.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "smtpspec/result.hpp"

namespace smtpspec {

// status-code = class "." subject "." detail (RFC 3463 §2). A plain value: the text is
// to_string(), which is exactly what was parsed (the syntax allows no leading zeros and no
// white space, so every valid code has one spelling).
struct enhanced_status {
  unsigned cls = 2;      // class: 2, 4 or 5 ("class" is a C++ keyword)
  unsigned subject = 0;  // 0..999
  unsigned detail = 0;   // 0..999

  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const enhanced_status&, const enhanced_status&) = default;
};

// The whole input must be one status-code; errors are invalid_enhanced_status with the offset of
// the first offending octet and what was expected there ("class", "\".\"", "subject",
// "detail", "no leading zero", "end of input").
[[nodiscard]] result<enhanced_status> parse_enhanced_status(std::string_view text) noexcept;
[[nodiscard]] inline result<enhanced_status> parse_enhanced_status(const char* text) noexcept {
  return parse_enhanced_status(std::string_view(text));
}

// -1 Class Sub-Codes (2, 4, 5).
struct status_class_info {
  unsigned cls;
  std::string_view summary;  // "Success", "Persistent Transient Failure", "Permanent Failure"
  std::string_view rfc;
  std::string_view description;
};
// -2 Subject Sub-Codes (0..7).
struct status_subject_info {
  unsigned subject;
  std::string_view summary;  // "Addressing Status", …
  std::string_view rfc;
  std::string_view description;
};
// -3 Enumerated Status Codes: X.subject.detail.
struct enhanced_status_info {
  unsigned subject;
  unsigned detail;
  std::string_view code;         // "X.1.1"
  std::string_view text;         // the registry's sample text ("" for the deprecated X.6.10)
  std::string_view basic_codes;  // the registry's "Associated basic status code", verbatim
  std::string_view rfc;          // "RFC 3463", "RFC 7505; RFC 7504", …
  std::string_view description;
  // The three-digit codes named in basic_codes, in registry order (none for "Any", "5XX", …).
  std::uint16_t basic[16];
  std::uint8_t basic_count;
  [[nodiscard]] std::span<const std::uint16_t> basic_list() const noexcept { return {basic, basic_count}; }
};

[[nodiscard]] std::span<const status_class_info> status_class_catalogue() noexcept;
[[nodiscard]] std::span<const status_subject_info> status_subject_catalogue() noexcept;
// Every code of the registry, X.0.0 … X.7.30, in registry order.
[[nodiscard]] std::span<const enhanced_status_info> enhanced_status_catalogue() noexcept;

[[nodiscard]] const status_class_info* lookup_status_class(unsigned cls) noexcept;
[[nodiscard]] const status_subject_info* lookup_status_subject(unsigned subject) noexcept;
// nullptr when X.subject.detail is not registered.
[[nodiscard]] const enhanced_status_info* lookup_enhanced_status(unsigned subject, unsigned detail) noexcept;
[[nodiscard]] inline const enhanced_status_info* lookup_enhanced_status(const enhanced_status& s) noexcept {
  return lookup_enhanced_status(s.subject, s.detail);
}

// The basic reply code to send with `s`: the first code the registry associates with it whose
// first digit is the class; otherwise 250, 450 or 550 by class (haraka-dsn's defaults).
[[nodiscard]] int default_reply_code(const enhanced_status& s) noexcept;

// {"text":"5.1.1","class":5,"subject":1,"detail":1} (conformance/README.md, STATUS).
[[nodiscard]] std::string to_json(const enhanced_status& s);
[[nodiscard]] std::string to_json(const result<enhanced_status>& r);
// {"classes":[…],"subjects":[…],"codes":[…]}: the three registry tables.
[[nodiscard]] std::string enhanced_status_catalogue_json();

}  // namespace smtpspec
