// smtpspec — internationalised domain names (IDNA2008, RFC 5890-5893) and NFC, for SMTPUTF8
// (RFC 6531). Computed on request with ICU's UTS #46 (non-transitional, STD3 rules, CheckBidi,
// CheckJoiners, CONTEXTO) plus the RFC 5892 code point categories; the same answers natively and
// in WebAssembly. domain::ascii() / domain::unicode() (address.hpp) give a parsed domain's forms.
#pragma once
#include <string>
#include <string_view>

#include "smtpspec/address.hpp"

namespace smtpspec {

// A domain name (Domain with U-labels allowed; no address literal) validated as parse_domain
// does with smtputf8 on, converted to its A-label form (lower-cased, "xn--…") or its U-label
// form. Strict wants U-labels already in IDNA2008 form; lenient maps them as UTS #46 does
// (NFC, lower case, U+3002 as ".") and reports each mapping as a diagnostic.
[[nodiscard]] result<std::string> domain_to_ascii(std::string_view domain, const parse_options& = {});
[[nodiscard]] result<std::string> domain_to_unicode(std::string_view domain, const parse_options& = {});

// True when s is well-formed UTF-8 in Unicode Normalization Form C (RFC 6532 §3.1).
[[nodiscard]] bool is_nfc(std::string_view s) noexcept;

}  // namespace smtpspec
