// smtpspec — errors as values.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smtpspec {

// Append-only: the numeric values are stable.
enum class error_code : std::uint16_t {
#define SMTPSPEC_ERROR(name, rfc, reply, message) name,
#include "smtpspec/catalogue/errors.inc"
#undef SMTPSPEC_ERROR
};

enum class severity : std::uint8_t { info, warning, error };

enum class diagnostic_id : std::uint16_t {
#define SMTPSPEC_DIAGNOSTIC(id, sev, rfc, message) id,
#include "smtpspec/catalogue/diagnostics.inc"
#undef SMTPSPEC_DIAGNOSTIC
};

// One row of the error catalogue.
struct error_info {
  error_code code;
  std::string_view name;     // stable id, e.g. "local_part_too_long"
  std::string_view rfc;      // e.g. "RFC 5321 §4.5.3.1.1"
  std::string_view reply;    // what a server should answer, e.g. "553 5.1.3"
  std::string_view message;  // one line of English
};

// One row of the diagnostic catalogue.
struct diagnostic_info {
  diagnostic_id id;
  std::string_view name;
  severity level;
  std::string_view rfc;
  std::string_view message;
};

[[nodiscard]] std::span<const error_info> error_catalogue() noexcept;
[[nodiscard]] std::span<const diagnostic_info> diagnostic_catalogue() noexcept;
[[nodiscard]] const error_info& info(error_code c) noexcept;
[[nodiscard]] const diagnostic_info& info(diagnostic_id d) noexcept;
[[nodiscard]] std::string_view to_string(error_code c) noexcept;
[[nodiscard]] std::string_view to_string(diagnostic_id d) noexcept;
[[nodiscard]] std::string_view to_string(severity s) noexcept;

// A parse failure. `offset` is in octets from the start of the input and always <= input size.
// `expected` names what the grammar wanted there (ABNF rule names, e.g. "Let-dig or \"[\"").
// `rfc` and `reply` usually equal the catalogue's, but a context may refine them (a bad path in
// MAIL answers "553 5.1.7", in RCPT "553 5.1.3").
struct error {
  error_code code = error_code::syntax_error;
  std::size_t offset = 0;
  std::string expected;
  std::string_view rfc;
  std::string_view reply;
};

struct diagnostic {
  diagnostic_id id;
  std::size_t offset = 0;
};

using diagnostics = std::vector<diagnostic>;

// A value or an error, plus diagnostics. Never throws on bad input.
template <class T>
class [[nodiscard]] result {
 public:
  result(T&& v, diagnostics d = {}) : value_(std::move(v)), diags_(std::move(d)) {}
  result(const T& v, diagnostics d = {}) : value_(v), diags_(std::move(d)) {}
  result(struct error e, diagnostics d = {}) : error_(std::move(e)), diags_(std::move(d)) {}
  // For parse functions: a default T built in place and filled through the *_for_parser()
  // accessors, so the value is never moved into the result. Not meant for other callers.
  explicit result(std::in_place_t) : value_(std::in_place) {}
  [[nodiscard]] T& value_for_parser() noexcept { return *value_; }
  [[nodiscard]] smtpspec::diagnostics& diags_for_parser() noexcept { return diags_; }

  [[nodiscard]] bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  // Precondition: ok().
  [[nodiscard]] const T& value() const& noexcept { return *value_; }
  [[nodiscard]] T&& value() && noexcept { return std::move(*value_); }
  const T& operator*() const& noexcept { return *value_; }
  const T* operator->() const noexcept { return &*value_; }
  // Precondition: !ok().
  [[nodiscard]] const struct error& error() const noexcept { return error_; }
  [[nodiscard]] const smtpspec::diagnostics& diags() const noexcept { return diags_; }
  // A small context value a parse function may attach (parse_command: the verb it recognised,
  // also on failure); -1 when none. See failed_verb() in command.hpp.
  [[nodiscard]] int hint() const noexcept { return hint_; }
  result& with_hint(int h) noexcept {
    hint_ = h;
    return *this;
  }

 private:
  std::optional<T> value_;
  struct error error_;
  smtpspec::diagnostics diags_;
  int hint_ = -1;
};

}  // namespace smtpspec
