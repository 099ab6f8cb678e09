// smtpspec — the canonical JSON form of every result (schema: conformance/README.md).
#pragma once
#include <string>

#include "smtpspec/command.hpp"

namespace smtpspec {

// One line of JSON, keys in a fixed order, no insignificant white space, non-ASCII as UTF-8.
[[nodiscard]] std::string to_json(const result<domain>& r);
[[nodiscard]] std::string to_json(const result<mailbox>& r);
[[nodiscard]] std::string to_json(const result<path>& r);
[[nodiscard]] std::string to_json(const result<command>& r);

// The catalogues as JSON arrays (for the bindings and the docs).
[[nodiscard]] std::string catalogue_json();

}  // namespace smtpspec
