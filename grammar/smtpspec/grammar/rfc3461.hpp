// RFC 3461 §4: the DSN parameters of MAIL (RET, ENVID) and RCPT (NOTIFY, ORCPT), and xtext.
// RFC 3461 writes them in RFC 822 ABNF: quoted strings are case-insensitive (§4.1 note b and
// §4.3 say so for the keywords), "1#" is a comma-separated list whose null elements are allowed
// and not counted (RFC 822 §2.7).
#pragma once
#include "smtpspec/grammar/charclass.hpp"

namespace smtpspec::grammar::rfc3461 {
namespace pegtl = tao::pegtl;

inline constexpr octet_table xchar_chars =
    make_table([](unsigned char c) { return c >= 33 && c <= 126 && c != '+' && c != '='; });
// §4  xchar = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except for "+" and "="
struct xchar : char_class<xchar_chars> { static constexpr const char* name = "xchar"; };
// §4  two upper case hexadecimal digits (lower case is not xtext)
struct upper_hex : pegtl::sor<pegtl::ascii::digit, pegtl::range<'A', 'F'>> {
  static constexpr const char* name = "upper-case HEXDIG";
};
// §4  hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits
struct hexchar : pegtl::seq<pegtl::one<'+'>, upper_hex, upper_hex> { static constexpr const char* name = "hexchar"; };
// §4  xtext = *( xchar / hexchar )
struct xtext : pegtl::star<pegtl::sor<xchar, hexchar>> { static constexpr const char* name = "xtext"; };

// §4.1  notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
struct notify_list_element : pegtl::sor<pegtl::istring<'S', 'U', 'C', 'C', 'E', 'S', 'S'>,
                                        pegtl::istring<'F', 'A', 'I', 'L', 'U', 'R', 'E'>,
                                        pegtl::istring<'D', 'E', 'L', 'A', 'Y'>> {
  static constexpr const char* name = "notify-list-element";
};
struct never : pegtl::istring<'N', 'E', 'V', 'E', 'R'> { static constexpr const char* name = "\"NEVER\""; };
// 1#notify-list-element with RFC 822 §2.7 null elements: at least one element, commas around.
struct notify_list : pegtl::seq<pegtl::star<pegtl::one<','>>, notify_list_element,
                                pegtl::star<pegtl::one<','>, pegtl::opt<notify_list_element>>> {
  static constexpr const char* name = "1#notify-list-element";
};
// §4.1  notify-esmtp-value = "NEVER" / 1#notify-list-element   (NEVER alone: note a)
struct notify_esmtp_value : pegtl::sor<pegtl::seq<never, pegtl::eof>, notify_list> {
  static constexpr const char* name = "notify-esmtp-value";
};

// §4.3  ret-value = "FULL" / "HDRS"
struct ret_value : pegtl::sor<pegtl::istring<'F', 'U', 'L', 'L'>, pegtl::istring<'H', 'D', 'R', 'S'>> {
  static constexpr const char* name = "\"FULL\" or \"HDRS\"";
};

// RFC 822 §3.3  atom = 1*<any CHAR except specials, SPACE and CTLs>
// specials = "(" / ")" / "<" / ">" / "@" / "," / ";" / ":" / "\" / <"> / "." / "[" / "]"
inline constexpr octet_table atom_chars = make_table([](unsigned char c) {
  if (c <= 32 || c >= 127) return false;
  switch (c) {
    case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':': case '\\': case '"':
    case '.': case '[': case ']':
      return false;
    default:
      return true;
  }
});
// §4.2  addr-type = atom
struct addr_type : pegtl::plus<char_class<atom_chars>> { static constexpr const char* name = "addr-type"; };
// §4.2  original-recipient-address = addr-type ";" xtext
struct original_recipient_address : pegtl::seq<addr_type, pegtl::one<';'>, xtext> {
  static constexpr const char* name = "original-recipient-address";
};
// §4.4  envid-parameter = "ENVID=" xtext   (the value part)
struct envid_value : xtext { static constexpr const char* name = "xtext"; };
}  // namespace smtpspec::grammar::rfc3461
