// Internal helpers shared by the transcript readers, their JSON and the tests. Not installed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json_escape.hpp"
#include "smtpspec/transcript.hpp"

namespace smtpspec::transcript::detail {

bool starts(std::string_view s, std::string_view p) noexcept;
int hex_value(char c) noexcept;
bool all_digits(std::string_view s) noexcept;
bool is_hex_pair(std::string_view s, std::size_t i) noexcept;
void append_utf8(std::string& out, std::uint32_t cp);
// Python repr() of a str or bytes at the start of s; `used` = octets of the literal.
std::optional<std::string> decode_python_repr(std::string_view s, std::size_t& used) noexcept;
// The RFC-style escapes \r \n \t \\ \xNN.
std::optional<std::string> decode_escapes(std::string_view s);
// {"octets":…,"write_boundaries":…,"replies":…,"data":…,"tls":…} of a format, in the transcript and
// lint JSON alike (conformance/README.md).
void capabilities_json(::smtpspec::detail::json_writer& w, const format_info& f);

}  // namespace smtpspec::transcript::detail
