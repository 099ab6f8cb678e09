// The error and diagnostic catalogues, expanded from include/smtpspec/catalogue/*.inc.
#include <array>

#include "smtpspec/extensions.hpp"
#include "smtpspec/result.hpp"

namespace smtpspec {
namespace {
constexpr error_info errors[] = {
#define SMTPSPEC_ERROR(name, rfc, reply, message) {error_code::name, #name, rfc, reply, message},
#include "smtpspec/catalogue/errors.inc"
#undef SMTPSPEC_ERROR
};
constexpr diagnostic_info diags[] = {
#define SMTPSPEC_DIAGNOSTIC(id, sev, rfc, message) {diagnostic_id::id, #id, severity::sev, rfc, message},
#include "smtpspec/catalogue/diagnostics.inc"
#undef SMTPSPEC_DIAGNOSTIC
};
constexpr extension_info extensions[] = {
#define SMTPSPEC_EXTENSION(id, keyword, rfc, status, description) \
  {extension::id, keyword, rfc, extension_status::status, description},
#include "smtpspec/catalogue/extensions.inc"
#undef SMTPSPEC_EXTENSION
};
static_assert(std::size(extensions) <= 64, "extension_set holds 64 extensions");
}  // namespace

std::span<const error_info> error_catalogue() noexcept { return errors; }
std::span<const diagnostic_info> diagnostic_catalogue() noexcept { return diags; }
const error_info& info(error_code c) noexcept { return errors[static_cast<std::size_t>(c)]; }
const diagnostic_info& info(diagnostic_id d) noexcept { return diags[static_cast<std::size_t>(d)]; }
std::string_view to_string(error_code c) noexcept { return info(c).name; }
std::string_view to_string(diagnostic_id d) noexcept { return info(d).name; }
std::span<const extension_info> extension_catalogue() noexcept { return extensions; }
const extension_info& info(extension e) noexcept { return extensions[static_cast<std::size_t>(e)]; }
std::string_view to_string(extension e) noexcept { return info(e).keyword; }
std::optional<extension> find_extension(std::string_view keyword) noexcept {
  for (const auto& row : extensions) {
    if (row.keyword.size() != keyword.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < keyword.size() && same; ++i) {
      const char c = keyword[i];
      same = (c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c) == row.keyword[i];
    }
    if (same) return row.id;
  }
  return std::nullopt;
}
std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::error: return "error";
  }
  return "error";
}

}  // namespace smtpspec
