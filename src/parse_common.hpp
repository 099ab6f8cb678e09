// Internal: run a grammar rule over a whole input, fast pass then error pass.
#pragma once
#include "actions.hpp"

namespace smtpspec::detail {

// Lazy position tracking and a plain C string as the source name: nothing to allocate per parse.
using input_t = pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::crlf, const char*>;

// Fast pass: plain control, actions on. True when Rule matches the whole input.
template <typename Rule>
bool match_all(std::string_view in_text, state& st) {
  input_t in(in_text.data(), in_text.size(), "");
  return pegtl::parse<pegtl::seq<Rule, pegtl::eof>, action>(in, st);
}

// Error pass: the same parse with the tracking control, to find where and what was expected.
template <typename Rule>
void track_failure(std::string_view in_text, state& st) {
  st.tracking = true;
  st.any_failure = false;
  st.max_pos = 0;
  st.expected.clear();
  st.depth = 0;
  st.diags.clear();
  input_t in(in_text.data(), in_text.size(), "");
  (void)pegtl::parse<pegtl::seq<Rule, eof_rule>, action, tracking_control>(in, st);
}

}  // namespace smtpspec::detail
