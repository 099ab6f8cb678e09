// GoogleTest predicates for smtpspec results; failures print the canonical JSON.
#pragma once
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "smtpspec_test_support.hpp"

namespace smtpspec_test {

inline const smtpspec::parse_options strict{smtpspec::profile::strict, {}};
inline const smtpspec::parse_options lenient{smtpspec::profile::lenient, {}};

inline std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (s.size() > 200) out += "…(" + std::to_string(s.size()) + " octets)";
  return out;
}

template <class T>
::testing::AssertionResult accepted(const smtpspec::result<T>& r, std::string_view input) {
  if (!r.ok())
    return ::testing::AssertionFailure() << "rejected \"" << printable(input) << "\": " << to_json(r);
  if (auto f = invariant_failure(r, input); !f.empty())
    return ::testing::AssertionFailure() << f << " for \"" << printable(input) << "\": " << to_json(r);
  return ::testing::AssertionSuccess();
}

// Rejected with `code`, and the error is well-formed (offset inside the input, rfc and reply set).
template <class T>
::testing::AssertionResult rejected(const smtpspec::result<T>& r, std::string_view input,
                                    smtpspec::error_code code) {
  if (r.ok())
    return ::testing::AssertionFailure() << "accepted \"" << printable(input) << "\", wanted "
                                         << smtpspec::to_string(code) << ": " << to_json(r);
  if (r.error().code != code)
    return ::testing::AssertionFailure() << "\"" << printable(input) << "\" gave "
                                         << smtpspec::to_string(r.error().code) << ", wanted "
                                         << smtpspec::to_string(code) << ": " << to_json(r);
  if (auto f = invariant_failure(r, input); !f.empty())
    return ::testing::AssertionFailure() << f << " for \"" << printable(input) << "\": " << to_json(r);
  return ::testing::AssertionSuccess();
}

// Rejected with any code (used where the RFC fixes only that the input is invalid).
template <class T>
::testing::AssertionResult rejected(const smtpspec::result<T>& r, std::string_view input) {
  if (r.ok())
    return ::testing::AssertionFailure() << "accepted \"" << printable(input) << "\": " << to_json(r);
  if (auto f = invariant_failure(r, input); !f.empty())
    return ::testing::AssertionFailure() << f << " for \"" << printable(input) << "\": " << to_json(r);
  return ::testing::AssertionSuccess();
}

template <class T>
std::size_t count_diag(const smtpspec::result<T>& r, smtpspec::diagnostic_id id) {
  std::size_t n = 0;
  for (const auto& d : r.diags()) n += d.id == id ? 1 : 0;
  return n;
}

template <class T>
::testing::AssertionResult has_diag(const smtpspec::result<T>& r, smtpspec::diagnostic_id id) {
  if (count_diag(r, id) == 0)
    return ::testing::AssertionFailure() << "no diagnostic " << smtpspec::to_string(id) << ": " << to_json(r);
  return ::testing::AssertionSuccess();
}

// Exactly these diagnostics' ids, nothing else (order ignored).
template <class T>
::testing::AssertionResult only_diags(const smtpspec::result<T>& r,
                                      std::initializer_list<smtpspec::diagnostic_id> ids) {
  std::size_t wanted = 0;
  for (auto id : ids) {
    if (count_diag(r, id) == 0)
      return ::testing::AssertionFailure() << "no diagnostic " << smtpspec::to_string(id) << ": " << to_json(r);
    ++wanted;
  }
  if (r.diags().size() != wanted)
    return ::testing::AssertionFailure() << "unexpected diagnostics: " << to_json(r);
  return ::testing::AssertionSuccess();
}

template <class T>
::testing::AssertionResult no_warnings(const smtpspec::result<T>& r) {
  for (const auto& d : r.diags())
    if (smtpspec::info(d.id).level != smtpspec::severity::info)
      return ::testing::AssertionFailure() << "warning " << smtpspec::to_string(d.id) << ": " << to_json(r);
  return ::testing::AssertionSuccess();
}

// A domain of exactly `n` octets made of labels of at most `label` octets ("aaa.bbb…").
inline std::string make_domain(std::size_t n, std::size_t label = 63) {
  std::string out;
  char letter = 'a';
  while (out.size() < n) {
    if (!out.empty()) out += '.';
    std::size_t room = n - out.size();
    std::size_t len = room < label ? room : label;
    // Avoid a final label of length 0 and keep the last label within `label`.
    if (room > label && room - label == 1) len = label - 1;
    out.append(len, letter);
    letter = letter == 'z' ? 'a' : static_cast<char>(letter + 1);
  }
  return out;
}

}  // namespace smtpspec_test
