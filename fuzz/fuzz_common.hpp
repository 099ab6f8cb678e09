// Shared body of the fuzz targets. Input layout: the first byte picks the options (bit 0: lenient,
// bits 1-2: path_role for parse_path), the rest is the text to parse. Invariants are checked with
// __builtin_trap so that a violation is a crash for libFuzzer and for the replay main alike.
#pragma once
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smtpspec/smtpspec.hpp"
#include "smtpspec_test_support.hpp"

namespace smtpspec_fuzz {

struct fuzz_input {
  smtpspec::parse_options options;
  smtpspec::path_role role = smtpspec::path_role::any;
  std::string_view text;
};

inline fuzz_input split(const std::uint8_t* data, std::size_t size) {
  fuzz_input in;
  if (size == 0) return in;
  const std::uint8_t sel = data[0];
  in.options.profile = (sel & 1) != 0 ? smtpspec::profile::lenient : smtpspec::profile::strict;
  switch ((sel >> 1) & 3) {
    case 1: in.role = smtpspec::path_role::reverse; break;
    case 2: in.role = smtpspec::path_role::forward; break;
    default: in.role = smtpspec::path_role::any; break;
  }
  in.text = std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1);
  return in;
}

inline void require(bool ok) {
  if (!ok) __builtin_trap();
}

template <class T>
void check_one(const smtpspec::result<T>& r, std::string_view text) {
  // Offsets inside the input, views inside the input, catalogue texts present.
  require(smtpspec_test::invariant_failure(r, text).empty());
  // to_json always gives one valid JSON object.
  const std::string j = to_json(r);
  require(!j.empty() && j.front() == '{' && j.back() == '}');
  require(nlohmann::json::accept(j));
}

// Parses with the chosen profile; when that is strict, also parses leniently: strict acceptance
// must imply lenient acceptance with the same answer, and lenient-only acceptance a warning.
template <class Parse>
int run(const std::uint8_t* data, std::size_t size, Parse parse) {
  const auto in = split(data, size);
  const auto r = parse(in.text, in.options, in.role);
  check_one(r, in.text);
  if (in.options.profile == smtpspec::profile::strict) {
    smtpspec::parse_options lenient = in.options;
    lenient.profile = smtpspec::profile::lenient;
    const auto l = parse(in.text, lenient, in.role);
    check_one(l, in.text);
    if (r.ok()) {
      require(l.ok());
      require(to_json(l) == to_json(r));
    } else if (l.ok()) {
      // Lenient accepted what strict refused: the deviation must be reported as a warning.
      bool warned = false;
      for (const auto& d : l.diags()) warned = warned || smtpspec::info(d.id).level == smtpspec::severity::warning;
      require(warned);
    }
  }
  return 0;
}

}  // namespace smtpspec_fuzz
