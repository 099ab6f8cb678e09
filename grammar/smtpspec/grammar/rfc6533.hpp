// RFC 6533 §3: the UTF-8 address type in ORCPT: utf-8-addr-xtext and utf-8-addr-unitext.
#pragma once
#include "smtpspec/grammar/charclass.hpp"

namespace smtpspec::grammar::rfc6533 {
namespace pegtl = tao::pegtl;

inline constexpr octet_table qchar_chars = make_table([](unsigned char c) {
  return (c >= 0x21 && c <= 0x2a) || (c >= 0x2c && c <= 0x3c) || (c >= 0x3e && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
});
// §3  QCHAR = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e   (printable ASCII but SP, "\", "+", "=")
struct QCHAR : char_class<qchar_chars> { static constexpr const char* name = "QCHAR"; };

// RFC 3629 §4  UTF8-2 / UTF8-3 / UTF8-4 (one well-formed non-ASCII character)
struct UTF8_tail : pegtl::range<'\x80', '\xBF'> {};
struct UTF8_2 : pegtl::seq<pegtl::range<'\xC2', '\xDF'>, UTF8_tail> {};
struct UTF8_3 : pegtl::sor<pegtl::seq<pegtl::one<'\xE0'>, pegtl::range<'\xA0', '\xBF'>, UTF8_tail>,
                           pegtl::seq<pegtl::range<'\xE1', '\xEC'>, UTF8_tail, UTF8_tail>,
                           pegtl::seq<pegtl::one<'\xED'>, pegtl::range<'\x80', '\x9F'>, UTF8_tail>,
                           pegtl::seq<pegtl::range<'\xEE', '\xEF'>, UTF8_tail, UTF8_tail>> {};
struct UTF8_4 : pegtl::sor<pegtl::seq<pegtl::one<'\xF0'>, pegtl::range<'\x90', '\xBF'>, UTF8_tail, UTF8_tail>,
                           pegtl::seq<pegtl::range<'\xF1', '\xF3'>, UTF8_tail, UTF8_tail, UTF8_tail>,
                           pegtl::seq<pegtl::one<'\xF4'>, pegtl::range<'\x80', '\x8F'>, UTF8_tail, UTF8_tail>> {};
// §3  QUCHAR = QCHAR / UTF8-2 / UTF8-3 / UTF8-4
struct QUCHAR : pegtl::sor<QCHAR, UTF8_2, UTF8_3, UTF8_4> { static constexpr const char* name = "QUCHAR"; };

struct HEXDIG : pegtl::ascii::xdigit {};
struct HEXDIG8 : pegtl::sor<pegtl::range<'8', '9'>, pegtl::ranges<'A', 'F', 'a', 'f'>> {};
struct NZHEXDIG : pegtl::sor<pegtl::range<'1', '9'>, pegtl::ranges<'A', 'F', 'a', 'f'>> {};
struct NZDHEXDIG : pegtl::sor<pegtl::range<'1', '9'>, pegtl::ranges<'A', 'C', 'a', 'c', 'E', 'F', 'e', 'f'>> {};
// §3  HEXPOINT = ( ( "0"/"1" ) %x31-39 ) / "10" / "20" / "2B" / "3D" / "7F" / "5C" /
//                (HEXDIG8 HEXDIG) / ( NZHEXDIG 2(HEXDIG) ) / ( NZDHEXDIG 3(HEXDIG) ) /
//                ( "D" %x30-37 2(HEXDIG) ) / ( NZHEXDIG 4(HEXDIG) ) / ( "10" 4*HEXDIG )
// PEG order: longest forms first (the alternatives share prefixes); "10" 4*HEXDIG is taken as
// exactly 4, the only reading that stays within U+10FFFF (the ABNF comment: "6-digit forms").
struct HEXPOINT
    : pegtl::sor<pegtl::seq<pegtl::string<'1', '0'>, pegtl::rep<4, HEXDIG>>,
                 pegtl::seq<NZHEXDIG, pegtl::rep<4, HEXDIG>>,
                 pegtl::seq<NZDHEXDIG, pegtl::rep<3, HEXDIG>>,
                 pegtl::seq<pegtl::one<'D', 'd'>, pegtl::range<'0', '7'>, pegtl::rep<2, HEXDIG>>,
                 pegtl::seq<NZHEXDIG, pegtl::rep<2, HEXDIG>>, pegtl::seq<HEXDIG8, HEXDIG>,
                 pegtl::seq<pegtl::one<'0', '1'>, pegtl::range<'1', '9'>>,
                 pegtl::istring<'1', '0'>, pegtl::istring<'2', '0'>, pegtl::istring<'2', 'B'>,
                 pegtl::istring<'3', 'D'>, pegtl::istring<'7', 'F'>, pegtl::istring<'5', 'C'>> {
  static constexpr const char* name = "HEXPOINT";
};
// §3  EmbeddedUnicodeChar = %x5C.78 "{" HEXPOINT "}"   ("\x", lower-case x)
struct EmbeddedUnicodeChar : pegtl::seq<pegtl::string<'\\', 'x'>, pegtl::one<'{'>, HEXPOINT, pegtl::one<'}'>> {
  static constexpr const char* name = "EmbeddedUnicodeChar";
};
// §3  utf-8-addr-xtext = 1*(QCHAR / EmbeddedUnicodeChar)
struct utf_8_addr_xtext : pegtl::plus<pegtl::sor<QCHAR, EmbeddedUnicodeChar>> {
  static constexpr const char* name = "utf-8-addr-xtext";
};
// §3  utf-8-addr-unitext = 1*(QUCHAR / EmbeddedUnicodeChar)
struct utf_8_addr_unitext : pegtl::plus<pegtl::sor<QUCHAR, EmbeddedUnicodeChar>> {
  static constexpr const char* name = "utf-8-addr-unitext";
};
}  // namespace smtpspec::grammar::rfc6533
