// RFC 6531 §3.3 (SMTPUTF8): the extended address syntax, with UTF8-non-ascii from RFC 6532 §3.1
// and the UTF-8 octet sequences of RFC 3629 §4.
//
// RFC 6531 extends RFC 5321 in place ("atext =/ UTF8-non-ascii", …). Here the extensions are
// rules that match only when the parse runs with parse_options::smtputf8 (`if_smtputf8`), so one
// grammar serves both modes and, without the option, nothing changes. rfc5321.hpp hooks them in.
// Validity of a U-label beyond its structure (IDNA2008, RFC 5890-5893) is checked on the value
// (src/unicode.cpp), so each failure gets its own error.
#pragma once
#include <cstddef>

#include <tao/pegtl/contrib/uint8.hpp>

#include "smtpspec/grammar/charclass.hpp"

namespace smtpspec::grammar::rfc6531 {
namespace pegtl = tao::pegtl;

// RFC 3629 §4  UTF8-tail = %x80-BF
struct UTF8_tail : pegtl::uint8::range<0x80, 0xBF> { static constexpr const char* name = "UTF8-tail"; };
// RFC 3629 §4  UTF8-2 = %xC2-DF UTF8-tail
struct UTF8_2 : pegtl::seq<pegtl::uint8::range<0xC2, 0xDF>, UTF8_tail> { static constexpr const char* name = "UTF8-2"; };
// RFC 3629 §4  UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
//                       %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
struct UTF8_3 : pegtl::sor<pegtl::seq<pegtl::uint8::one<0xE0>, pegtl::uint8::range<0xA0, 0xBF>, UTF8_tail>,
                           pegtl::seq<pegtl::uint8::range<0xE1, 0xEC>, UTF8_tail, UTF8_tail>,
                           pegtl::seq<pegtl::uint8::one<0xED>, pegtl::uint8::range<0x80, 0x9F>, UTF8_tail>,
                           pegtl::seq<pegtl::uint8::range<0xEE, 0xEF>, UTF8_tail, UTF8_tail>> {
  static constexpr const char* name = "UTF8-3";
};
// RFC 3629 §4  UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
//                       %xF4 %x80-8F 2( UTF8-tail )
struct UTF8_4 : pegtl::sor<pegtl::seq<pegtl::uint8::one<0xF0>, pegtl::uint8::range<0x90, 0xBF>, UTF8_tail, UTF8_tail>,
                           pegtl::seq<pegtl::uint8::range<0xF1, 0xF3>, UTF8_tail, UTF8_tail, UTF8_tail>,
                           pegtl::seq<pegtl::uint8::one<0xF4>, pegtl::uint8::range<0x80, 0x8F>, UTF8_tail, UTF8_tail>> {
  static constexpr const char* name = "UTF8-4";
};
// RFC 6532 §3.1  UTF8-non-ascii = UTF8-2 / UTF8-3 / UTF8-4
struct UTF8_non_ascii : pegtl::sor<UTF8_2, UTF8_3, UTF8_4> { static constexpr const char* name = "UTF8-non-ascii"; };

// Length of the well-formed UTF-8 sequence of 2-4 octets at p (the UTF8-non-ascii rule above as a
// function), or 0. p < e.
inline std::size_t utf8_non_ascii_length(const unsigned char* p, const unsigned char* e) noexcept {
  const unsigned c = p[0];
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // bounds of the second octet
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (static_cast<std::size_t>(e - p) < n || p[1] < lo || p[1] > hi) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if (p[i] < 0x80 || p[i] > 0xBF) return 0;
  }
  return n;
}

// R when the next octet is not ASCII; otherwise a failure without trying R, so the error pass over
// ASCII input records the same expectations ("expected") with and without SMTPUTF8.
template <typename R>
struct if_non_ascii {
  using rule_t = if_non_ascii;
  using subs_t = pegtl::type_list<R>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    if (in.empty() || static_cast<unsigned char>(in.peek_char()) < 0x80) return false;
    return Control<R>::template match<A, M, Action, Control>(in, st);
  }
};
using UTF8_non_ascii_only = if_non_ascii<UTF8_non_ascii>;

// RFC 6531 §3.3  atext =/ UTF8-non-ascii   (Atext: RFC 5322's atext as an octet table)
template <const octet_table& Atext>
struct atext_utf8 : pegtl::sor<char_class<Atext>, UTF8_non_ascii_only> { static constexpr const char* name = "atext"; };
// RFC 6531 §3.3  qtextSMTP =/ UTF8-non-ascii: rfc5321.hpp QcontentSMTP, with if_smtputf8 below.
// RFC 6531 §3.3  sub-domain =/ U-label   (U-label: RFC 5890 §2.3.2.1, a label with at least one
// non-ASCII character). Structure only: Let-dig, "-" and UTF8-non-ascii; the IDNA2008 rules
// (hyphens, bidi, joiners, NFC, …) are checked on the value so each failure has its own error.
template <const octet_table& LetDig>
struct U_label : pegtl::seq<pegtl::star<pegtl::sor<char_class<LetDig>, pegtl::one<'-'>>>, UTF8_non_ascii_only,
                            pegtl::star<pegtl::sor<char_class<LetDig>, pegtl::one<'-'>, UTF8_non_ascii_only>>> {
  static constexpr const char* name = "U-label";
};
// sub-domain (RFC 5321 §4.1.2 Let-dig [Ldh-str], or a U-label) as one scanner: the run of
// Let-dig / "-" / UTF8-non-ascii; all of it when it holds a non-ASCII character (U-label),
// otherwise up to its last Let-dig, as the ASCII scanner does.
template <const octet_table& LetDig>
struct sub_domain_scan_utf8 {
  static std::size_t scan(const char* b, const char* e) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(b);
    const auto* end = reinterpret_cast<const unsigned char*>(e);
    const unsigned char* last = nullptr;  // one past the last Let-dig
    bool non_ascii = false;
    while (p != end) {
      if (LetDig[*p]) {
        last = ++p;
      } else if (*p == '-') {
        ++p;
      } else if (*p >= 0x80) {
        const std::size_t n = utf8_non_ascii_length(p, end);
        if (n == 0) break;
        non_ascii = true;
        p += n;
      } else {
        break;
      }
    }
    if (non_ascii) return static_cast<std::size_t>(reinterpret_cast<const char*>(p) - b);
    if (b == e || !LetDig[static_cast<unsigned char>(*b)] || last == nullptr) return 0;
    return static_cast<std::size_t>(reinterpret_cast<const char*>(last) - b);
  }
};

// True when the parse state says SMTPUTF8 is on (a state without options: off).
template <typename State>
constexpr bool smtputf8_on(const State& st) noexcept {
  if constexpr (requires { st.opts->smtputf8; }) {
    return st.opts != nullptr && st.opts->smtputf8;
  } else {
    return false;
  }
}

// R, but only with parse_options::smtputf8 (RFC 6531 is an extension the client must ask for,
// §3.4); without it the rule fails without consuming, so the RFC 5321 grammar is unchanged.
template <typename R>
struct if_smtputf8 {
  using rule_t = if_smtputf8;
  using subs_t = pegtl::type_list<R>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    if (in.empty() || static_cast<unsigned char>(in.peek_char()) < 0x80 || !smtputf8_on(st)) return false;
    return Control<R>::template match<A, M, Action, Control>(in, st);
  }
};

// 1*( class / UTF8-non-ascii ) as a scanner: the SMTPUTF8 form of run_scan.
template <const octet_table& T>
struct run_scan_utf8 {
  static std::size_t scan(const char* b, const char* e) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(b);
    const auto* end = reinterpret_cast<const unsigned char*>(e);
    while (p != end) {
      if (T[*p]) {
        ++p;
      } else if (*p >= 0x80) {
        const std::size_t n = utf8_non_ascii_length(p, end);
        if (n == 0) break;
        p += n;
      } else {
        break;
      }
    }
    return static_cast<std::size_t>(reinterpret_cast<const char*>(p) - b);
  }
};

// Like `scanned<Peg, Scan>` (charclass.hpp), with the SMTPUTF8 form of the rule (`PegU8`, and
// `ScanU8` for the fast pass) when the option is on. The fast pass runs the ASCII scanner first:
// only when the run of letters, digits and hyphens there stops at a non-ASCII octet (sub-domain's
// scanner may stop short of it: "-bü", "a-ü") and SMTPUTF8 is on does the UTF-8 scanner run, out
// of line. So ASCII input costs a compare or two per rule whether or not the option is on.
template <typename ScanU8>
[[gnu::noinline]] std::size_t scan_utf8_cold(const char* b, const char* e) noexcept {
  return ScanU8::scan(b, e);
}
template <typename Peg, typename Scan, typename PegU8, typename ScanU8>
struct scanned_utf8 {
  using rule_t = scanned_utf8;
  using subs_t = pegtl::type_list<Peg, PegU8>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename ParseInput, typename State>
  static bool match(ParseInput& in, State& st) {
    if constexpr (requires { st.tracking; }) {
      if (st.tracking) {
        return smtputf8_on(st) ? Control<PegU8>::template match<A, M, Action, Control>(in, st)
                               : Control<Peg>::template match<A, M, Action, Control>(in, st);
      }
    }
    const char* b = in.current();
    const char* e = in.end();
    std::size_t n = Scan::scan(b, e);
    const char* p = b + n;
    while (p != e && (*p == '-' || (*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))) ++p;
    if (p != e && static_cast<unsigned char>(*p) >= 0x80 && smtputf8_on(st)) [[unlikely]] {
      n = scan_utf8_cold<ScanU8>(b, e);
    }
    if (n == 0) return false;
    in.bump_in_this_line(n);
    return true;
  }
};

}  // namespace smtpspec::grammar::rfc6531
