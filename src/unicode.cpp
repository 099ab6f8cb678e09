// SMTPUTF8 value checks with ICU: UTF-8 error classes (RFC 3629), IDNA2008 domains (RFC 5890-5893)
// through UTS #46, NFC (RFC 6532 §3.1). Only ICU's common/ library and its compiled-in NFC data
// plus the uts46.nrm data item are used: the WASM build has exactly those (TOOLCHAIN.md).
#include "unicode.hpp"

#include "internal.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/utf8.h>

#include "smtpspec/idna.hpp"

namespace smtpspec {
namespace detail {

error_code utf8_error_at(std::string_view s, std::size_t at) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + at;
  const std::size_t left = s.size() - at;
  const unsigned c = p[0];
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;
  error_code narrow = error_code::invalid_utf8;  // the error when octet 2 is a tail outside lo..hi
  if (c == 0xC0 || c == 0xC1) return error_code::utf8_overlong;  // U+0000..U+007F in two octets
  if (c >= 0xF5 && c <= 0xF7) return error_code::utf8_too_large;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0, narrow = error_code::utf8_overlong;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F, narrow = error_code::utf8_surrogate;
  else if (c == 0xF0) n = 4, lo = 0x90, narrow = error_code::utf8_overlong;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F, narrow = error_code::utf8_too_large;
  else return error_code::invalid_utf8;  // a tail octet, or F8-FF
  for (std::size_t i = 1; i < n; ++i) {
    if (i >= left || p[i] < 0x80 || p[i] > 0xBF) return error_code::utf8_truncated;
    if (i == 1 && (p[1] < lo || p[1] > hi)) return narrow;
  }
  return error_code::invalid_utf8;  // not reached for ill-formed input
}

bool needs_idna(std::string_view name) noexcept {
  for (const char c : name) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  // "xn--" at the start of a label (memchr-based search: most names have no "--" at all).
  for (std::size_t i = name.find("--"); i != std::string_view::npos; i = name.find("--", i + 1)) {
    if (i >= 2 && (i == 2 || name[i - 3] == '.') && (name[i - 2] | 0x20) == 'x' && (name[i - 1] | 0x20) == 'n') {
      return true;
    }
  }
  return false;
}

namespace {

constexpr uint32_t uts46_options = UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE |
                                   UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                   UIDNA_CHECK_CONTEXTO;

// One UTS #46 instance for the process (ICU's UIDNA is thread-safe for concurrent use).
const UIDNA* uts46() noexcept {
  static const UIDNA* const u = [] {
    UErrorCode ec = U_ZERO_ERROR;
    UIDNA* x = uidna_openUTS46(uts46_options, &ec);
    return U_SUCCESS(ec) ? x : nullptr;
  }();
  return u;
}

using idna_fn = int32_t (*)(const UIDNA*, const char*, int32_t, char*, int32_t, UIDNAInfo*, UErrorCode*);

// Runs one ICU conversion into `out`; returns UIDNAInfo.errors, or ~0 when ICU itself failed
// (UTS #46 failures come back in the errors with U_ZERO_ERROR).
uint32_t run_idna(idna_fn f, std::string_view in, std::string& out) {
  const UIDNA* u = uts46();
  if (u == nullptr) return ~0u;
  out.resize(in.size() * 4 + 64);
  for (int attempt = 0; attempt < 2; ++attempt) {
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    UErrorCode ec = U_ZERO_ERROR;
    const int32_t n = f(u, in.data(), static_cast<int32_t>(in.size()), out.data(), static_cast<int32_t>(out.size()),
                        &info, &ec);
    if (ec == U_BUFFER_OVERFLOW_ERROR && attempt == 0) {
      out.resize(static_cast<std::size_t>(n) + 1);
      continue;
    }
    if (U_FAILURE(ec) || n < 0) return ~0u;
    out.resize(static_cast<std::size_t>(n));
    return info.errors;
  }
  return ~0u;
}

// ICU's own length checks use DNS's 63/253; smtpspec applies its configurable limits itself.
constexpr uint32_t length_errors = UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG;

error_code map_uts46_errors(uint32_t e) noexcept {
  if (e & UIDNA_ERROR_PUNYCODE) return error_code::idna_punycode;
  if (e & (UIDNA_ERROR_INVALID_ACE_LABEL | UIDNA_ERROR_LABEL_HAS_DOT)) return error_code::idna_invalid_a_label;
  if (e & UIDNA_ERROR_DISALLOWED) return error_code::idna_disallowed;
  if (e & (UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4)) {
    return error_code::idna_hyphen;
  }
  if (e & UIDNA_ERROR_LEADING_COMBINING_MARK) return error_code::idna_leading_combining_mark;
  if (e & UIDNA_ERROR_CONTEXTJ) return error_code::idna_contextj;
  if (e & (UIDNA_ERROR_CONTEXTO_PUNCTUATION | UIDNA_ERROR_CONTEXTO_DIGITS)) return error_code::idna_contexto;
  if (e & UIDNA_ERROR_BIDI) return error_code::idna_bidi;
  if (e & UIDNA_ERROR_EMPTY_LABEL) return error_code::idna_empty_label;
  return error_code::idna_disallowed;
}

// RFC 5892 §3 for a code point that UTS #46 left valid and unmapped: is it DISALLOWED in
// IDNA2008? UTS #46 accepts some (emoji and other symbols: "valid, NV8"). Unstable (B) needs
// NFKC, which the WASM build does not carry; a code point UTS #46 leaves unmapped is stable.
bool idna2008_disallowed(UChar32 c) noexcept {
  switch (c) {  // Exceptions (F), RFC 5892 §2.6
    case 0x00DF: case 0x03C2: case 0x06FD: case 0x06FE: case 0x0F0B: case 0x3007:  // PVALID
    case 0x00B7: case 0x0375: case 0x05F3: case 0x05F4: case 0x30FB:               // CONTEXTO
      return false;
    case 0x0640: case 0x07FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033:
    case 0x3034: case 0x3035: case 0x303B:  // DISALLOWED
      return true;
    default:
      break;
  }
  if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9)) return false;  // CONTEXTO
  if (c < 0x80) return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');  // LDH (E)
  if (c == 0x200C || c == 0x200D) return false;                                           // JoinControl (H)
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || u_hasBinaryProperty(c, UCHAR_WHITE_SPACE) ||
      u_hasBinaryProperty(c, UCHAR_NONCHARACTER_CODE_POINT)) {
    return true;  // IgnorableProperties (C)
  }
  if ((c >= 0x20D0 && c <= 0x20FF) || (c >= 0x1D100 && c <= 0x1D24F)) return true;  // IgnorableBlocks (D)
  const int32_t hst = u_getIntPropertyValue(c, UCHAR_HANGUL_SYLLABLE_TYPE);
  if (hst == U_HST_LEADING_JAMO || hst == U_HST_VOWEL_JAMO || hst == U_HST_TRAILING_JAMO) return true;  // (I)
  switch (u_charType(c)) {  // LetterDigits (A)
    case U_LOWERCASE_LETTER: case U_UPPERCASE_LETTER: case U_OTHER_LETTER: case U_DECIMAL_DIGIT_NUMBER:
    case U_MODIFIER_LETTER: case U_NON_SPACING_MARK: case U_COMBINING_SPACING_MARK:
      return false;
    default:
      return true;
  }
}

// Offset in s of the first code point IDNA2008 disallows, or npos.
std::size_t first_idna2008_disallowed(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    const int32_t at = i;
    UChar32 c = 0;
    U8_NEXT(p, i, n, c);
    if (c < 0 || idna2008_disallowed(c)) return static_cast<std::size_t>(at);
  }
  return std::string_view::npos;
}

bool is_ascii(std::string_view s) noexcept {
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  }
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch | 0x20);
  }
  return out;
}

// Length of a label separator at s[i] other than "." (U+3002, U+FF0E, U+FF61), else 0.
std::size_t wide_dot_at(std::string_view s, std::size_t i) noexcept {
  if (i + 3 > s.size()) return 0;
  const auto b0 = static_cast<unsigned char>(s[i]), b1 = static_cast<unsigned char>(s[i + 1]),
             b2 = static_cast<unsigned char>(s[i + 2]);
  if (b0 == 0xE3 && b1 == 0x80 && b2 == 0x82) return 3;  // U+3002 IDEOGRAPHIC FULL STOP
  if (b0 == 0xEF && b1 == 0xBC && b2 == 0x8E) return 3;  // U+FF0E FULLWIDTH FULL STOP
  if (b0 == 0xEF && b1 == 0xBD && b2 == 0xA1) return 3;  // U+FF61 HALFWIDTH IDEOGRAPHIC FULL STOP
  return 0;
}

bool fail(error& err, error_code c, std::size_t offset) {
  err = make_error(c, offset);
  return false;
}

}  // namespace

bool is_nfc_utf8(std::string_view s) noexcept {
  if (is_ascii(s)) return true;  // ASCII is always NFC: no ICU call on the common path
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(ec);
  if (U_FAILURE(ec)) return true;
  const bool r = nfc->isNormalizedUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), ec);
  return U_FAILURE(ec) ? true : r;
}

bool idna_to_ascii(std::string_view name, std::string& out) {
  if (!needs_idna(name)) {
    out = ascii_lower(name);
    return true;
  }
  return (run_idna(uidna_nameToASCII_UTF8, name, out) & ~length_errors) == 0;
}

bool idna_forms(std::string_view name, std::string& ascii, std::string& unicode) {
  if (!needs_idna(name)) {
    ascii = ascii_lower(name);
    unicode = ascii;
    return true;
  }
  return (run_idna(uidna_nameToASCII_UTF8, name, ascii) & ~length_errors) == 0 &&
         (run_idna(uidna_nameToUnicodeUTF8, name, unicode) & ~length_errors) == 0;
}

bool idna_to_unicode(std::string_view name, std::string& out) {
  if (!needs_idna(name)) {
    out = ascii_lower(name);
    return true;
  }
  return (run_idna(uidna_nameToUnicodeUTF8, name, out) & ~length_errors) == 0;
}

bool check_idna(std::string_view name, const parse_options& o, const char* base, error& err, diagnostics& dg) {
  const auto at = [&](std::size_t i) { return static_cast<std::size_t>(name.data() + i - base); };
  const bool strict = o.profile == profile::strict;
  // Bounded work before ICU: no UTF-8 character is longer than 4 octets, and an A-label has at
  // least one octet per code point, so longer input cannot fit the limits after conversion.
  if (name.size() > 4 * o.limits.domain) return fail(err, error_code::idna_domain_too_long, at(0));
  std::size_t ascii_total = 0;
  bool first_label = true;
  std::string a, u;
  for (std::size_t start = 0; start <= name.size();) {
    // The label runs to the next "." (or, lenient, a U+3002/FF0E/FF61 used as one).
    std::size_t end = start, sep = 0;
    while (end < name.size()) {
      if (name[end] == '.') {
        sep = 1;
        break;
      }
      if (const std::size_t w = wide_dot_at(name, end); w != 0) {
        if (strict) return fail(err, error_code::ideographic_full_stop, at(end));
        dg.push_back({diagnostic_id::ideographic_full_stop, at(end)});
        sep = w;
        break;
      }
      ++end;
    }
    const std::string_view label = name.substr(start, end - start);
    const bool last = end >= name.size();
    if (label.empty()) {
      // A trailing separator ends a fully-qualified name (lenient; the grammar decides which).
      if (!(last && !first_label)) return fail(err, error_code::idna_empty_label, at(start));
    } else if (label.size() > 4 * o.limits.label) {
      return fail(err, error_code::idna_label_too_long, at(start));
    } else {
      const bool non_ascii = !is_ascii(label);
      const bool a_label = !non_ascii && label.size() >= 4 && (label[0] | 0x20) == 'x' && (label[1] | 0x20) == 'n' &&
                           label[2] == '-' && label[3] == '-';
      std::size_t a_len = label.size();
      // An ASCII label with "--" in positions 3-4 that is not an A-label is reserved (R-LDH,
      // RFC 5890 §2.3.1): alone it is an RFC 5321 label, but not in a name that uses IDNA.
      if (!non_ascii && !a_label && label.size() >= 4 && label[2] == '-' && label[3] == '-') {
        return fail(err, error_code::idna_hyphen, at(start));
      }
      if (non_ascii || a_label) {
        const uint32_t ea = run_idna(uidna_labelToASCII_UTF8, label, a);
        const uint32_t eu = run_idna(uidna_labelToUnicodeUTF8, label, u);
        if (ea == ~0u || eu == ~0u) return fail(err, error_code::idna_disallowed, at(start));
        // Bidi is a property of the whole name (RFC 5893 §2): checked below.
        const uint32_t e = (ea | eu) & ~(length_errors | UIDNA_ERROR_BIDI);
        if (e != 0) {
          std::size_t off = start;
          if (e & UIDNA_ERROR_CONTEXTJ) {  // point at the joiner when it is in the label as written
            if (const auto z = label.find("\xE2\x80\x8C"); z != std::string_view::npos) off = start + z;
            else if (const auto j = label.find("\xE2\x80\x8D"); j != std::string_view::npos) off = start + j;
          }
          return fail(err, map_uts46_errors(e), at(off));
        }
        if (a_label && a != ascii_lower(label)) return fail(err, error_code::idna_invalid_a_label, at(start));
        if (non_ascii && u != label) {
          // Not in its IDNA2008 form: strict refuses (RFC 5891 §5.3), lenient takes UTS #46's map.
          const bool nfc = is_nfc_utf8(label);
          if (strict) return fail(err, nfc ? error_code::u_label_not_mapped : error_code::u_label_not_nfc, at(start));
          dg.push_back({nfc ? diagnostic_id::u_label_not_mapped : diagnostic_id::u_label_not_nfc, at(start)});
        }
        if (const std::size_t d = first_idna2008_disallowed(u); d != std::string_view::npos) {
          const std::size_t off = u == label ? start + d : start;
          if (strict) return fail(err, error_code::idna_disallowed, at(off));
          dg.push_back({diagnostic_id::uts46_only_code_point, at(off)});
        }
        a_len = a.size();
      }
      if (a_len > o.limits.label) return fail(err, error_code::idna_label_too_long, at(start));
      ascii_total += a_len + (first_label ? 0 : 1);
    }
    first_label = false;
    if (last) break;
    start = end + sep;
  }
  if (ascii_total > o.limits.domain) return fail(err, error_code::idna_domain_too_long, at(0));
  // RFC 5893 §2: in a name with a right-to-left label, every label must satisfy the Bidi rule.
  const uint32_t whole = run_idna(uidna_nameToUnicodeUTF8, name, u);
  if (whole == ~0u) return fail(err, error_code::idna_disallowed, at(0));
  if (whole & UIDNA_ERROR_BIDI) return fail(err, error_code::idna_bidi, at(0));
  return true;
}

}  // namespace detail

bool is_nfc(std::string_view s) noexcept {
  return detail::utf8_invalid_at(s) == std::string_view::npos && detail::is_nfc_utf8(s);
}

namespace {
result<std::string> convert(std::string_view input, const parse_options& opts, bool to_ascii) {
  parse_options o = opts;
  o.smtputf8 = true;  // converting U-labels is the point
  auto r = parse_domain(input, o);
  if (!r.ok()) return result<std::string>(r.error(), r.diags());
  if (r->kind != domain_kind::name) {
    return result<std::string>(detail::make_error(error_code::syntax_error, 0, "Domain"), r.diags());
  }
  std::string out;
  const bool ok = to_ascii ? detail::idna_to_ascii(r->text, out) : detail::idna_to_unicode(r->text, out);
  if (!ok) return result<std::string>(detail::make_error(error_code::idna_disallowed, 0), r.diags());
  return result<std::string>(std::move(out), r.diags());
}
}  // namespace

result<std::string> domain_to_ascii(std::string_view input, const parse_options& o) {
  return convert(input, o, true);
}
result<std::string> domain_to_unicode(std::string_view input, const parse_options& o) {
  return convert(input, o, false);
}

std::string domain::ascii() const {
  std::string out;
  if (kind != domain_kind::name || !detail::idna_to_ascii(text, out)) return {};
  return out;
}
std::string domain::unicode() const {
  std::string out;
  if (kind != domain_kind::name || !detail::idna_to_unicode(text, out)) return {};
  return out;
}

}  // namespace smtpspec
