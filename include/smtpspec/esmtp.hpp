// smtpspec — typed ESMTP parameters of MAIL and RCPT (RFC 5321 §4.1.2 and the extensions' RFCs).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/extensions.hpp"
#include "smtpspec/options.hpp"
#include "smtpspec/result.hpp"

namespace smtpspec {

enum class verb : unsigned char;  // command.hpp

// The parameters smtpspec types (catalogue/params.inc); `other` is any other keyword.
enum class param_kind : unsigned char {
  other,
#define SMTPSPEC_PARAM(id, keyword, extension, command, value, rfc) id,
#include "smtpspec/catalogue/params.inc"
#undef SMTPSPEC_PARAM
};

enum class param_command : unsigned char { mail, rcpt };
enum class param_value : unsigned char { required, none };

struct param_info {
  param_kind kind;
  std::string_view keyword;  // upper case
  smtpspec::extension extension;
  param_command command;     // the only command that takes it
  param_value value;
  std::string_view rfc;      // where its value's syntax is
};

// The typed values.
enum class body_type : unsigned char { seven_bit, eight_bit_mime, binary_mime };  // "7BIT" …
enum class ret_type : unsigned char { full, hdrs };
enum class by_mode : unsigned char { notify, ret };  // "N", "R"
enum class orcpt_encoding : unsigned char { xtext, utf8_addr_xtext, utf8_addr_unitext };
enum class rrvs_action : unsigned char { none, cont, reject };  // absent, ";C", ";R"
// NOTIFY: NEVER, or a set of SUCCESS / FAILURE / DELAY.
inline constexpr std::uint8_t notify_never = 1, notify_success = 2, notify_failure = 4, notify_delay = 8;

// esmtp-param = esmtp-keyword ["=" esmtp-value] (§4.1.2), and what it means when smtpspec knows
// the keyword. Views point into the caller's input; nothing here allocates (decoded() does).
struct esmtp_param {
  std::string_view keyword;  // as written
  std::string_view value;    // as written
  bool has_value = false;
  param_kind kind = param_kind::other;

  // The typed value, by kind (fields another kind does not use keep their defaults):
  //   size: number (octets)        holdfor: number (seconds)      mt_priority: integer (-9..9)
  //   body: body                    ret: ret                       notify: notify (notify_* bits)
  //   by: integer (by-time seconds), mode, trace
  //   envid: text (xtext)           auth: text (xtext), has_text false for AUTH=<>
  //   orcpt: addr_type, text (the encoded address), encoding
  //   holduntil: text (date-time)   rrvs: text (date-time), rrvs
  //   smtputf8, requiretls: nothing
  std::uint64_t number = 0;
  std::int32_t integer = 0;
  body_type body = body_type::seven_bit;
  ret_type ret = ret_type::full;
  std::uint8_t notify = 0;
  by_mode mode = by_mode::notify;
  bool trace = false;
  orcpt_encoding encoding = orcpt_encoding::xtext;
  rrvs_action rrvs = rrvs_action::none;
  bool has_text = false;
  std::string_view text{};
  std::string_view addr_type{};

  // The extension this parameter belongs to (BODY=BINARYMIME: binarymime), none for `other`.
  [[nodiscard]] std::optional<smtpspec::extension> extension() const noexcept;
  // ENVID, AUTH and ORCPT: `text` with its encoding removed (xtext hexchars, RFC 6533
  // EmbeddedUnicodeChar as UTF-8); other kinds: empty. Allocates.
  [[nodiscard]] std::string decoded() const;
};

[[nodiscard]] std::span<const param_info> param_catalogue() noexcept;
[[nodiscard]] const param_info& info(param_kind k) noexcept;  // precondition: k != other
// Case-insensitive; param_kind::other for a keyword smtpspec does not type.
[[nodiscard]] param_kind find_param(std::string_view keyword) noexcept;
[[nodiscard]] std::string_view to_string(body_type b) noexcept;  // "7BIT", "8BITMIME", "BINARYMIME"
[[nodiscard]] std::string_view to_string(ret_type r) noexcept;   // "FULL", "HDRS"
[[nodiscard]] std::string_view to_string(by_mode m) noexcept;    // "N", "R"
[[nodiscard]] std::string_view to_string(orcpt_encoding e) noexcept;  // "xtext", "utf-8-addr-xtext", …

// xtext (RFC 3461 §4). decode: each "+XX" becomes its octet (the input is assumed to be xtext;
// anything else is copied). encode: octets outside "!".."~", "+" and "=" become "+XX".
[[nodiscard]] std::string xtext_decode(std::string_view xtext);
[[nodiscard]] std::string xtext_encode(std::string_view octets);
[[nodiscard]] bool is_xtext(std::string_view s) noexcept;

// How many octets the MAIL (or RCPT) line limit grows by for these extensions
// (catalogue/line_growth.inc).
[[nodiscard]] std::size_t line_growth(verb v, const extension_set& extensions) noexcept;

// The parameters of a MAIL or RCPT line on their own: what follows the path and its SP, e.g.
// "SIZE=1000 BODY=8BITMIME". Same checks and errors as parse_command; offsets are into `params`.
// The length limit is the command's (limits.command_line plus line_growth).
[[nodiscard]] result<std::vector<esmtp_param>> parse_esmtp_params(verb v, std::string_view params,
                                                                  const parse_options& = {}) noexcept;
result<std::vector<esmtp_param>> parse_esmtp_params(verb, std::string&&, const parse_options& = {}) = delete;

}  // namespace smtpspec
