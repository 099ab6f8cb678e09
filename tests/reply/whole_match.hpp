// Tests only: does a grammar rule match the whole of a string? (The fast-path rules of
// charclass.hpp take a state; a plain int selects their scanners.)
#pragma once
#include <string_view>

#include <tao/pegtl.hpp>

namespace smtpspec_test {
template <class Rule>
bool whole(std::string_view s) {
  tao::pegtl::memory_input<> in(s.data(), s.size(), "");
  int no_state = 0;
  return tao::pegtl::parse<tao::pegtl::seq<Rule, tao::pegtl::eof>>(in, no_state);
}
}  // namespace smtpspec_test
