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
// domain_to_ascii / domain_to_unicode (idna.hpp): the value is the converted name, a JSON string.
[[nodiscard]] std::string to_json(const result<std::string>& r);
[[nodiscard]] std::string to_json(const result<std::vector<esmtp_param>>& r);  // parse_esmtp_params
[[nodiscard]] std::string to_json(const esmtp_param& p);  // one PARAM object (for the bindings)

// The catalogues as JSON arrays (for the bindings and the docs).
[[nodiscard]] std::string catalogue_json();

}  // namespace smtpspec
