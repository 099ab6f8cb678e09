// Internal: typing the MAIL/RCPT parameters after the command grammar matched (src/esmtp.cpp).
#pragma once
#include "internal.hpp"

namespace smtpspec::detail {

// Types every parameter (kind and value), then checks the semantics of catalogue/params.inc:
// unknown keywords, the wrong command, extensions not in opts.extensions, value required or
// forbidden, each value's own grammar, duplicates and the cross-parameter rules. Diagnostics go
// to st.diags with st.base offsets. False with `err` set at the first failure (lowest offset).
bool type_params(std::vector<esmtp_param>& params, verb v, const parse_options& o, state& st, error& err);

// line_growth() with every extension (the default options), at compile time.
constexpr std::size_t line_growth_all(bool mail) noexcept {
  std::size_t n = 0;
#define SMTPSPEC_LINE_GROWTH(ext, mail_octets, rcpt_octets, rfc) n += mail ? (mail_octets) : (rcpt_octets);
#include "smtpspec/catalogue/line_growth.inc"
#undef SMTPSPEC_LINE_GROWTH
  return n;
}

// The line limit of a command: limits.command_line, for MAIL and RCPT plus line_growth. Inline,
// and a constant for the default extension set: it runs on every command line.
inline std::size_t command_line_limit(verb v, const parse_options& o) noexcept {
  if (v != verb::mail && v != verb::rcpt) return o.limits.command_line;
  if (o.extensions == extension_set::all()) return o.limits.command_line + line_growth_all(v == verb::mail);
  return o.limits.command_line + line_growth(v, o.extensions);
}

}  // namespace smtpspec::detail
