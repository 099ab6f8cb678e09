// The error and diagnostic catalogues, expanded from include/smtpspec/catalogue/*.inc (the
// service extensions: src/extensions.cpp).
#include <array>

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
}  // namespace

std::span<const error_info> error_catalogue() noexcept { return errors; }
std::span<const diagnostic_info> diagnostic_catalogue() noexcept { return diags; }
const error_info& info(error_code c) noexcept { return errors[static_cast<std::size_t>(c)]; }
const diagnostic_info& info(diagnostic_id d) noexcept { return diags[static_cast<std::size_t>(d)]; }
std::string_view to_string(error_code c) noexcept { return info(c).name; }
std::string_view to_string(diagnostic_id d) noexcept { return info(d).name; }
std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::error: return "error";
  }
  return "error";
}

}  // namespace smtpspec
