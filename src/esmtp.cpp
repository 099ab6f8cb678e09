// Typed ESMTP parameters: the parameter table, xtext, each value's grammar and the semantic
// checks (wrong command, extension not offered, unknown keyword, duplicates, cross-parameter
// rules), and parse_esmtp_params.
#include <algorithm>
#include <array>
#include <charconv>

#include "esmtp_internal.hpp"
#include "parse_common.hpp"
#include "smtpspec/grammar/rfc1870.hpp"
#include "smtpspec/grammar/rfc2852.hpp"
#include "smtpspec/grammar/rfc3030.hpp"
#include "smtpspec/grammar/rfc3461.hpp"
#include "smtpspec/grammar/rfc4865.hpp"
#include "smtpspec/grammar/rfc4954.hpp"
#include "smtpspec/grammar/rfc6533.hpp"
#include "smtpspec/grammar/rfc6710.hpp"
#include "smtpspec/grammar/rfc7293.hpp"
#include "unicode.hpp"

namespace smtpspec {
namespace {
using namespace detail;

constexpr param_info params_table[] = {
#define SMTPSPEC_PARAM(id, keyword, ext, cmd, val, rfc) \
  {param_kind::id, keyword, extension::ext, param_command::cmd, param_value::val, rfc},
#include "smtpspec/catalogue/params.inc"
#undef SMTPSPEC_PARAM
};
static_assert(std::size(params_table) < 32, "type_params keeps the kinds seen in a 32-bit mask");

struct growth_row {
  extension ext;
  std::size_t mail, rcpt;
};
constexpr growth_row growth_table[] = {
#define SMTPSPEC_LINE_GROWTH(ext, mail, rcpt, rfc) {extension::ext, mail, rcpt},
#include "smtpspec/catalogue/line_growth.inc"
#undef SMTPSPEC_LINE_GROWTH
};

constexpr char upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }
bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (upper(a[i]) != upper(b[i])) return false;
  return true;
}
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
void append_utf8(std::string& o, std::uint32_t cp) {
  if (cp < 0x80) {
    o.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    o.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    o.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    o.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    o.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    o.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    o.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}
// RFC 6533 §3: "\x{HEXPOINT}" becomes the code point in UTF-8; everything else is copied. The
// input is assumed to have matched utf-8-addr-unitext.
std::string unitext_decode(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && s[i + 2] == '{') {
      const auto close = s.find('}', i + 3);
      if (close != std::string_view::npos && close - i - 3 <= 6) {
        std::uint32_t cp = 0;
        for (std::size_t k = i + 3; k < close; ++k) cp = cp * 16 + static_cast<std::uint32_t>(hex_value(s[k]));
        append_utf8(o, cp);
        i = close;
        continue;
      }
    }
    o.push_back(s[i]);
  }
  return o;
}

// The source offset (in the xtext) of decoded octet `d`.
std::size_t xtext_source_offset(std::string_view xtext, std::size_t d) noexcept {
  std::size_t i = 0;
  for (std::size_t n = 0; n < d && i < xtext.size(); ++n) i += xtext[i] == '+' ? 3 : 1;
  return std::min(i, xtext.size());
}

// --- the value grammars --------------------------------------------------------------------
namespace g1870 = grammar::rfc1870;
namespace g2852 = grammar::rfc2852;
namespace g3030 = grammar::rfc3030;
namespace g3461 = grammar::rfc3461;
namespace g4865 = grammar::rfc4865;
namespace g4954 = grammar::rfc4954;
namespace g6533 = grammar::rfc6533;
namespace g6710 = grammar::rfc6710;
namespace g7293 = grammar::rfc7293;

// ORCPT of the UTF-8 address type (RFC 6533 §3): "utf-8;" utf-8-addr-xtext / utf-8-addr-unitext.
struct orcpt_utf8 : pegtl::seq<g3461::addr_type, pegtl::one<';'>, g6533::utf_8_addr_unitext> {};

error value_error(const param_info& row, std::size_t offset, std::string expected) {
  error e = make_error(error_code::invalid_parameter_value, offset, std::move(expected));
  e.rfc = row.rfc;
  return e;
}

// Whether `v` matches Rule as a whole; if not, `err` names the furthest failure in the line.
template <typename Rule>
bool value_matches(std::string_view v, const param_info& row, const state& st, error& err) {
  input_t in(v.data(), v.size(), "");
  if (pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in)) return true;
  state track;  // the error pass, on a state of its own (it resets diagnostics)
  track.base = st.base;
  track.opts = st.opts;
  track_failure<Rule>(v, track);
  err = value_error(row, std::min(track.max_pos, st.off(v.data() + v.size())), track.expected_text());
  return false;
}

// RFC 3461 §4.2 / §4.4: the text before xtext encoding MUST be printable US-ASCII (graphic and
// white space). xchars are; a hexchar may not be.
bool xtext_printable(std::string_view xtext, const param_info& row, const state& st, error& err) {
  for (std::size_t i = 0; i + 2 < xtext.size(); ++i) {
    if (xtext[i] != '+') continue;
    const int c = hex_value(xtext[i + 1]) * 16 + hex_value(xtext[i + 2]);
    if (!(c == '\t' || (c >= 0x20 && c <= 0x7E))) {
      err = value_error(row, st.off(xtext.data() + i), "hexchar of a printable US-ASCII character");
      return false;
    }
    i += 2;
  }
  return true;
}

int two_digits(const char* p) noexcept { return (p[0] - '0') * 10 + (p[1] - '0'); }

// The ranges RFC 3339 §5.6 states in comments, on a matched date-time at `p`.
bool date_time_ranges(std::string_view v, const param_info& row, const state& st, error& err) {
  const char* p = v.data();
  const int year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + two_digits(p + 2);
  const int month = two_digits(p + 5), mday = two_digits(p + 8);
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr std::array<int, 12> days{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const auto bad = [&](std::size_t at, const char* what) {
    err = value_error(row, st.off(p + at), what);
    return false;
  };
  if (month < 1 || month > 12) return bad(5, "date-month (01-12)");
  if (mday < 1 || mday > days[static_cast<std::size_t>(month - 1)] || (month == 2 && mday == 29 && !leap)) {
    return bad(8, "date-mday (01-28, 01-29, 01-30, 01-31 based on month/year)");
  }
  if (two_digits(p + 11) > 23) return bad(11, "time-hour (00-23)");
  if (two_digits(p + 14) > 59) return bad(14, "time-minute (00-59)");
  if (two_digits(p + 17) > 60) return bad(17, "time-second (00-60)");
  // time-numoffset: the last "+" or "-" after the seconds.
  std::size_t i = 19;
  while (i < v.size() && v[i] != '+' && v[i] != '-') ++i;
  if (i + 6 <= v.size() && (v[i] == '+' || v[i] == '-')) {
    if (two_digits(p + i + 1) > 23) return bad(i + 1, "time-hour (00-23)");
    if (two_digits(p + i + 4) > 59) return bad(i + 4, "time-minute (00-59)");
  }
  return true;
}

constexpr std::string_view registered_addr_types[] = {"rfc822", "x400", "utf-8"};  // IANA dsn-types

// Parses p's value by its kind and fills the typed fields. False with `err` on a bad value.
bool type_value(esmtp_param& p, const param_info& row, const parse_options& o, state& st, error& err) {
  const std::string_view v = p.value;
  switch (p.kind) {
    case param_kind::size: {
      std::size_t digits = 0;
      while (digits < v.size() && v[digits] >= '0' && v[digits] <= '9') ++digits;
      if (digits == v.size() && digits > 20) {  // the 21st digit is the offending octet
        err = value_error(row, st.off(v.data() + 20), "end of size-value (1*20DIGIT)");
        return false;
      }
      if (!value_matches<g1870::size_value>(v, row, st, err)) return false;
      // JSON numbers (and JavaScript's) are exact up to 2^53-1; no message comes near it.
      constexpr std::uint64_t max_exact = (std::uint64_t{1} << 53) - 1;
      std::uint64_t n = 0;
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc{} || ptr != v.data() + v.size() || n > max_exact) {
        err = make_error(error_code::size_out_of_range, st.off(v.data()));
        return false;
      }
      p.number = n;
      return true;
    }
    case param_kind::body:
      if (!value_matches<g3030::body_value>(v, row, st, err)) return false;
      p.body = v[0] == '7' ? body_type::seven_bit : v[0] == '8' ? body_type::eight_bit_mime : body_type::binary_mime;
      if (p.body == body_type::binary_mime && !o.extensions.has(extension::binarymime)) {
        err = make_error(error_code::extension_not_enabled, st.off(v.data()));
        return false;
      }
      if (p.body != body_type::binary_mime && !o.extensions.has(row.extension)) {
        // Only BINARYMIME offered: 7BIT/8BITMIME are 8BITMIME's, refused at the keyword as before.
        err = make_error(error_code::extension_not_enabled, st.off(p.keyword.data()));
        return false;
      }
      return true;
    case param_kind::ret:
      if (!value_matches<g3461::ret_value>(v, row, st, err)) return false;
      p.ret = upper(v[0]) == 'F' ? ret_type::full : ret_type::hdrs;
      return true;
    case param_kind::envid:
      if (!value_matches<g3461::envid_value>(v, row, st, err) || !xtext_printable(v, row, st, err)) return false;
      p.text = v;
      p.has_text = true;
      return true;
    case param_kind::notify: {
      // NEVER MUST appear by itself (§4.1 note a): its own error, at the second element.
      bool never = false;
      std::size_t elements = 0;
      for (std::size_t b = 0; b <= v.size();) {
        std::size_t e = v.find(',', b);
        if (e == std::string_view::npos) e = v.size();
        if (e > b) {
          ++elements;
          never = never || iequal(v.substr(b, e - b), "NEVER");
          if (never && elements > 1) {
            err = make_error(error_code::notify_never_with_others, st.off(v.data() + b));
            return false;
          }
        }
        b = e + 1;
      }
      if (!value_matches<g3461::notify_esmtp_value>(v, row, st, err)) return false;
      std::uint8_t bits = 0;
      for (std::size_t b = 0; b <= v.size();) {
        std::size_t e = v.find(',', b);
        if (e == std::string_view::npos) e = v.size();
        if (e > b) {
          switch (upper(v[b])) {
            case 'N': bits |= notify_never; break;
            case 'S': bits |= notify_success; break;
            case 'F': bits |= notify_failure; break;
            default: bits |= notify_delay; break;
          }
        }
        b = e + 1;
      }
      p.notify = bits;
      return true;
    }
    case param_kind::orcpt: {
      const std::size_t semi = v.find(';');
      const std::string_view type = v.substr(0, semi == std::string_view::npos ? v.size() : semi);
      const bool utf8_type = iequal(type, "utf-8");
      if (utf8_type && !value_matches<orcpt_utf8>(v, row, st, err)) {
        err.rfc = "RFC 6533 §3";
        return false;
      }
      if (!utf8_type && !value_matches<g3461::original_recipient_address>(v, row, st, err)) return false;
      p.addr_type = type;
      p.text = v.substr(semi + 1);
      p.has_text = true;
      if (utf8_type) {
        p.encoding = std::all_of(p.text.begin(), p.text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })
                         ? orcpt_encoding::utf8_addr_xtext
                         : orcpt_encoding::utf8_addr_unitext;
      } else if (!xtext_printable(p.text, row, st, err)) {
        return false;
      }
      const bool registered = std::any_of(std::begin(registered_addr_types), std::end(registered_addr_types),
                                          [&](std::string_view t) { return iequal(t, type); });
      if (!registered) {
        if (o.profile == profile::strict) {
          err = make_error(error_code::unregistered_addr_type, st.off(type.data()));
          return false;
        }
        st.diag(diagnostic_id::unregistered_addr_type, type.data());
      }
      return true;
    }
    case param_kind::auth: {
      if (!value_matches<g4954::auth_param_value>(v, row, st, err)) return false;
      if (v == "<>") return true;
      p.text = v;
      p.has_text = true;
      // RFC 4954 §5: the xtext encodes a <mailbox> (RFC 5321 §4.1.2).
      const std::string mbox = xtext_decode(v);
      const auto m = parse_mailbox(std::string_view(mbox), o);
      if (!m.ok()) {
        err = value_error(row, st.off(v.data() + xtext_source_offset(v, m.error().offset)), "Mailbox (xtext-encoded)");
        return false;
      }
      return true;
    }
    case param_kind::mt_priority:
      if (!value_matches<g6710::priority_value>(v, row, st, err)) return false;
      p.integer = v[0] == '-' ? -(v[1] - '0') : v[0] - '0';
      return true;
    case param_kind::by: {
      if (!value_matches<g2852::by_value>(v, row, st, err)) return false;
      const std::size_t semi = v.find(';');
      std::size_t i = (v[0] == '-' || v[0] == '+') ? 1 : 0;
      std::int32_t t = 0;
      for (; i < semi; ++i) t = t * 10 + (v[i] - '0');  // at most 9 digits: fits
      p.integer = v[0] == '-' ? -t : t;
      p.mode = upper(v[semi + 1]) == 'R' ? by_mode::ret : by_mode::notify;
      p.trace = semi + 2 < v.size();
      // §4: "a negative or zero value is not allowed with a by-mode of R".
      if (p.mode == by_mode::ret && p.integer <= 0) {
        err = make_error(error_code::by_time_not_positive, st.off(v.data()));
        return false;
      }
      return true;
    }
    case param_kind::holdfor: {
      if (!value_matches<g4865::future_release_interval>(v, row, st, err)) return false;
      std::uint64_t n = 0;
      for (char c : v) n = n * 10 + static_cast<std::uint64_t>(c - '0');
      p.number = n;
      return true;
    }
    case param_kind::holduntil:
      if (!value_matches<g4865::future_release_date_time>(v, row, st, err) || !date_time_ranges(v, row, st, err)) {
        return false;
      }
      p.text = v;
      p.has_text = true;
      return true;
    case param_kind::rrvs: {
      if (!value_matches<g7293::rrvs_value>(v, row, st, err)) return false;
      // §3.1: time-secfrac MUST NOT be used.
      if (const auto dot = v.find('.'); dot != std::string_view::npos) {
        err = value_error(row, st.off(v.data() + dot), "time-offset (no time-secfrac, RFC 7293 §3.1)");
        return false;
      }
      const std::size_t semi = v.find(';');
      const std::string_view dt = v.substr(0, semi);
      if (!date_time_ranges(dt, row, st, err)) return false;
      p.text = dt;
      p.has_text = true;
      p.rrvs = semi == std::string_view::npos ? rrvs_action::none
               : upper(v[semi + 1]) == 'C'    ? rrvs_action::cont
                                              : rrvs_action::reject;
      return true;
    }
    case param_kind::smtputf8:
    case param_kind::requiretls:
    case param_kind::other:
      return true;
  }
  return true;
}

}  // namespace

// --- the table ---------------------------------------------------------------------------------
std::span<const param_info> param_catalogue() noexcept { return params_table; }
const param_info& info(param_kind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return params_table[i == 0 ? 0 : i - 1];
}
param_kind find_param(std::string_view keyword) noexcept {
  for (const auto& row : params_table)
    if (iequal(row.keyword, keyword)) return row.kind;
  return param_kind::other;
}
std::string_view to_string(body_type b) noexcept {
  switch (b) {
    case body_type::seven_bit: return "7BIT";
    case body_type::eight_bit_mime: return "8BITMIME";
    case body_type::binary_mime: return "BINARYMIME";
  }
  return "7BIT";
}
std::string_view to_string(ret_type r) noexcept { return r == ret_type::full ? "FULL" : "HDRS"; }
std::string_view to_string(by_mode m) noexcept { return m == by_mode::notify ? "N" : "R"; }
std::string_view to_string(orcpt_encoding e) noexcept {
  switch (e) {
    case orcpt_encoding::xtext: return "xtext";
    case orcpt_encoding::utf8_addr_xtext: return "utf-8-addr-xtext";
    case orcpt_encoding::utf8_addr_unitext: return "utf-8-addr-unitext";
  }
  return "xtext";
}

std::optional<extension> esmtp_param::extension() const noexcept {
  if (kind == param_kind::other) return std::nullopt;
  if (kind == param_kind::body && body == body_type::binary_mime) return extension::binarymime;
  return info(kind).extension;
}

std::string esmtp_param::decoded() const {
  switch (kind) {
    case param_kind::envid:
    case param_kind::auth:
      return has_text ? xtext_decode(text) : std::string();
    case param_kind::orcpt:
      return encoding == orcpt_encoding::xtext ? xtext_decode(text) : unitext_decode(text);
    default:
      return {};
  }
}

// --- xtext (RFC 3461 §4) -------------------------------------------------------------------------
std::string xtext_decode(std::string_view x) {
  std::string o;
  o.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == '+' && i + 2 < x.size() && hex_value(x[i + 1]) >= 0 && hex_value(x[i + 2]) >= 0) {
      o.push_back(static_cast<char>(hex_value(x[i + 1]) * 16 + hex_value(x[i + 2])));
      i += 2;
    } else {
      o.push_back(x[i]);
    }
  }
  return o;
}
std::string xtext_encode(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string o;
  o.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (grammar::rfc3461::xchar_chars[c]) {
      o.push_back(ch);
    } else {
      o.push_back('+');
      o.push_back(hex[c >> 4]);
      o.push_back(hex[c & 15]);
    }
  }
  return o;
}
bool is_xtext(std::string_view s) noexcept {
  detail::input_t in(s.data(), s.size(), "");
  return pegtl::parse<pegtl::seq<grammar::rfc3461::xtext, pegtl::eof>>(in);
}

std::size_t line_growth(verb v, const extension_set& exts) noexcept {
  if (v != verb::mail && v != verb::rcpt) return 0;
  const bool mail = v == verb::mail;
  if (exts == extension_set::all()) return line_growth_all(mail);
  std::size_t n = 0;
  for (const auto& g : growth_table)
    if (exts.has(g.ext)) n += mail ? g.mail : g.rcpt;
  return n;
}

// --- the checks ----------------------------------------------------------------------------------
namespace detail {

bool type_params(std::vector<esmtp_param>& params, verb v, const parse_options& o, state& st, error& err) {
  const param_command cmd = v == verb::mail ? param_command::mail : param_command::rcpt;
  const bool strict = o.profile == profile::strict;
  std::uint32_t seen = 0;  // the kinds met so far, by bit
  bool any_other = false;
  for (std::size_t i = 0; i < params.size(); ++i) {
    esmtp_param& p = params[i];
    const auto at = st.off(p.keyword.data());
    p.kind = find_param(p.keyword);
    if (p.kind == param_kind::other) {
      // Duplicates among the untyped keywords (case-insensitive, §2.4).
      if (any_other) {
        for (std::size_t j = 0; j < i; ++j) {
          if (params[j].kind != param_kind::other || !iequal(params[j].keyword, p.keyword)) continue;
          if (strict) return err = make_error(error_code::duplicate_parameter, at), false;
          st.diag(diagnostic_id::duplicate_parameter, p.keyword.data());
          break;
        }
      }
      any_other = true;
      // §2.2.2: keywords starting with "X" are private extensions, by bilateral agreement.
      if (upper(p.keyword[0]) == 'X') {
        st.diag(diagnostic_id::private_parameter, p.keyword.data());
      } else if (strict) {
        return err = make_error(error_code::unknown_parameter, at), false;
      } else {
        st.diag(diagnostic_id::unknown_parameter, p.keyword.data());
      }
      // RFC 6531 §3.3: UTF-8 in an esmtp-value (when the grammar let it through) must be well formed.
      if (p.has_value && o.smtputf8) {
        if (const auto bad = utf8_invalid_at(p.value); bad != std::string_view::npos) {
          err = make_error(error_code::invalid_parameter_value, st.off(p.value.data() + bad), "UTF-8 (RFC 3629)");
          err.rfc = "RFC 6531 §3.3";
          return false;
        }
      }
      continue;
    }
    const param_info& row = info(p.kind);
    if (row.command != cmd) return err = make_error(error_code::parameter_not_allowed, at), false;
    // BODY belongs to 8BITMIME and, with the value BINARYMIME, to BINARYMIME (RFC 3030 §3); the value
    // is matched to its extension in type_value.
    const bool body_binary = p.kind == param_kind::body && o.extensions.has(extension::binarymime);
    if (!o.extensions.has(row.extension) && !body_binary)
      return err = make_error(error_code::extension_not_enabled, at), false;
    const std::uint32_t bit = std::uint32_t{1} << static_cast<unsigned>(p.kind);
    if ((seen & bit) != 0) {
      if (strict) return err = make_error(error_code::duplicate_parameter, at), false;
      st.diag(diagnostic_id::duplicate_parameter, p.keyword.data());
    }
    // RFC 4865 §4.2 (9): one hold-param only.
    constexpr std::uint32_t hold_bits = (std::uint32_t{1} << static_cast<unsigned>(param_kind::holdfor)) |
                                        (std::uint32_t{1} << static_cast<unsigned>(param_kind::holduntil));
    if ((bit & hold_bits) != 0 && (seen & hold_bits & ~bit) != 0) {
      return err = make_error(error_code::hold_conflict, at), false;
    }
    seen |= bit;
    if (row.value == param_value::required && !p.has_value) {
      err = make_error(error_code::parameter_value_required, at + p.keyword.size(), "\"=\" esmtp-value");
      err.rfc = row.rfc;
      return false;
    }
    if (row.value == param_value::none && p.has_value) {
      err = make_error(error_code::parameter_value_forbidden, at + p.keyword.size(), "SP or end of line");
      err.rfc = row.rfc;
      return false;
    }
    if (!type_value(p, row, o, st, err)) return false;
  }
  return true;
}

}  // namespace detail

result<std::vector<esmtp_param>> parse_esmtp_params(verb v, std::string_view params, const parse_options& o) noexcept {
  using result_t = result<std::vector<esmtp_param>>;
  if (params.empty()) return result_t(std::vector<esmtp_param>{});
  const std::size_t limit = command_line_limit(v, o);
  if (params.size() + 2 > limit) {
    return result_t(make_error(error_code::line_too_long, limit >= 2 ? limit - 2 : 0));
  }
  command holder;  // the grammar's actions append to a command's params
  state st;
  st.base = params.data();
  st.opts = &o;
  st.cmd = &holder;
  const bool lenient = o.profile == profile::lenient;
  const bool matched = lenient ? match_all<grammar::lenient::params_l>(params, st)
                               : match_all<grammar::rfc5321::Mail_parameters>(params, st);
  if (!matched) {
    holder.params.clear();
    if (lenient) track_failure<grammar::lenient::params_l>(params, st);
    else track_failure<grammar::rfc5321::Mail_parameters>(params, st);
    return result_t(syntax_failure(params, st, error_code::invalid_parameter));
  }
  error err;
  if (!type_params(holder.params, v, o, st, err)) return result_t(std::move(err));
  if (st.diags.size() > 1) {
    std::stable_sort(st.diags.begin(), st.diags.end(),
                     [](const diagnostic& a, const diagnostic& b) { return a.offset < b.offset; });
  }
  return result_t(std::move(holder.params), std::move(st.diags));
}

}  // namespace smtpspec
