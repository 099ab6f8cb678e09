// Internal: the EHLO keyword registry applied to one parsed keyword line (src/ehlo_keywords.cpp).
#pragma once
#include <cstddef>
#include <vector>

#include "smtpspec/reply.hpp"

namespace smtpspec::detail {

// Looks the keyword up (k.extension), checks its parameters against the extension's EHLO syntax,
// fills the typed views when they match, and appends diagnostics at `offset` (the line's). A line
// that is not ehlo-line (`line_ok` false, already reported) is only looked up: params_ok false.
void check_ehlo_keyword(ehlo_keyword& k, bool line_ok, std::size_t offset, std::vector<reply_diagnostic>& out);

}  // namespace smtpspec::detail
