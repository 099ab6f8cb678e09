// Table-driven character classes for the hot ABNF rules. Each class is a 256-entry table
// built at compile time from the rule's ABNF ranges, so matching one octet is one load
// instead of a chain of comparisons.
#pragma once
#include <array>
#include <cstddef>
#include <tao/pegtl.hpp>

namespace smtpspec::grammar {
namespace pegtl = tao::pegtl;

using octet_table = std::array<bool, 256>;

template <typename Pred>
constexpr octet_table make_table(Pred p) {
  octet_table t{};
  for (std::size_t c = 0; c < 256; ++c) t[c] = p(static_cast<unsigned char>(c));
  return t;
}

// One octet of the class.
template <const octet_table& T>
struct char_class {
  using rule_t = char_class;
  using subs_t = pegtl::empty_list;
  template <typename ParseInput>
  static bool match(ParseInput& in) noexcept {
    if (!in.empty() && T[static_cast<unsigned char>(in.peek_char())]) {
      in.bump_in_this_line(1);
      return true;
    }
    return false;
  }
};

// `Peg` (the rule as ABNF states it) matched by a scanner on the fast pass. The error pass
// (a state with `tracking` set) runs `Peg` itself, so "expected" and offsets stay those of the
// ABNF rules. `Scan::scan(begin, end)` returns the length Peg would match, or 0 for no match.
template <typename Peg, typename Scan>
struct scanned {
  using rule_t = scanned;
  using subs_t = pegtl::type_list<Peg>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    if constexpr (requires { st.tracking; }) {
      if (st.tracking) return Control<Peg>::template match<A, M, Action, Control>(in, st);
    }
    const std::size_t n = Scan::scan(in.current(), in.end());
    if (n == 0) return false;
    in.bump_in_this_line(n);
    return true;
  }
};

// 1*(class) as a scanner.
template <const octet_table& T>
struct run_scan {
  static std::size_t scan(const char* b, const char* e) noexcept {
    const char* p = b;
    while (p != e && T[static_cast<unsigned char>(*p)]) ++p;
    return static_cast<std::size_t>(p - b);
  }
};

}  // namespace smtpspec::grammar
