// The service extension and server limit catalogues (catalogue/extensions.inc,
// catalogue/server_limits.inc) and what a set of extensions lets a session accept.
#include <array>

#include "smtpspec/command.hpp"
#include "smtpspec/extensions.hpp"

namespace smtpspec {
namespace {
constexpr extension_info extensions[] = {
#define SMTPSPEC_EXTENSION(id, keyword, rfc, status, description, ehlo, mail_params, rcpt_params) \
  {extension::id, keyword, rfc, extension_status::status, description, ehlo_syntax::ehlo, mail_params, rcpt_params},
#include "smtpspec/catalogue/extensions.inc"
#undef SMTPSPEC_EXTENSION
};
static_assert(std::size(extensions) <= 64, "extension_set holds 64 extensions");

constexpr server_limit_info server_limits[] = {
#define SMTPSPEC_SERVER_LIMIT(id, name, rfc, description) {server_limit::id, name, rfc, description},
#include "smtpspec/catalogue/server_limits.inc"
#undef SMTPSPEC_SERVER_LIMIT
};

constexpr char upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

// `s` (any case) equals the upper-case `registered`.
constexpr bool same_upper(std::string_view s, std::string_view registered) noexcept {
  if (s.size() != registered.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (upper(s[i]) != registered[i]) return false;
  return true;
}

// Calls f(word) for each space-separated word of a params column.
template <class F>
constexpr bool any_word(std::string_view list, F f) {
  while (!list.empty()) {
    const std::size_t sp = list.find(' ');
    if (f(list.substr(0, sp))) return true;
    list.remove_prefix(sp == std::string_view::npos ? list.size() : sp + 1);
  }
  return false;
}

std::string_view params_of(const extension_info& row, verb v) noexcept {
  return v == verb::mail ? row.mail_params : v == verb::rcpt ? row.rcpt_params : std::string_view{};
}
}  // namespace

std::span<const extension_info> extension_catalogue() noexcept { return extensions; }
const extension_info& info(extension e) noexcept { return extensions[static_cast<std::size_t>(e)]; }
std::string_view to_string(extension e) noexcept { return info(e).keyword; }
std::optional<extension> find_extension(std::string_view keyword) noexcept {
  for (const auto& row : extensions)
    if (same_upper(keyword, row.keyword)) return row.id;
  return std::nullopt;
}

std::string_view to_string(ehlo_syntax s) noexcept {
  switch (s) {
    case ehlo_syntax::none: return "none";
    case ehlo_syntax::unspecified: return "unspecified";
    case ehlo_syntax::size: return "size";
    case ehlo_syntax::auth: return "auth";
    case ehlo_syntax::burl: return "burl";
    case ehlo_syntax::deliverby: return "deliverby";
    case ehlo_syntax::futurerelease: return "futurerelease";
    case ehlo_syntax::mt_priority: return "mt_priority";
    case ehlo_syntax::no_soliciting: return "no_soliciting";
    case ehlo_syntax::limits: return "limits";
  }
  return "unspecified";
}

std::span<const server_limit_info> server_limit_catalogue() noexcept { return server_limits; }
std::optional<server_limit> find_server_limit(std::string_view name) noexcept {
  for (const auto& row : server_limits)
    if (same_upper(name, row.name)) return row.id;
  return std::nullopt;
}

bool accepts_parameter(const extension_set& set, verb v, std::string_view keyword) noexcept {
  for (const auto& row : extensions) {
    if (!set.has(row.id)) continue;
    if (any_word(params_of(row, v), [&](std::string_view p) { return same_upper(keyword, p); })) return true;
  }
  return false;
}

std::vector<std::string_view> accepted_parameters(const extension_set& set, verb v) {
  std::vector<std::string_view> out;
  for (const auto& row : extensions) {
    if (!set.has(row.id)) continue;
    any_word(params_of(row, v), [&](std::string_view p) {
      bool seen = false;
      for (auto q : out) seen = seen || q == p;
      if (!seen) out.push_back(p);
      return false;
    });
  }
  return out;
}

}  // namespace smtpspec
