// RFC 5321 §4.1.1–§4.1.3: commands, paths, mailboxes, domains and address literals.
// Rule names are the ABNF names with "-" turned into "_". Each rule cites its section and
// carries `name` (the ABNF name, reported as "expected" in errors).
//
// The grammar is structural. Constraints that the RFC states in prose or ABNF comments (Snum
// <= 255, the IPv6 group counts, the §4.5.3.1 size limits, Standardized-tag registration) are
// checked on the parsed value by src/address.cpp, so an error can name the exact limit.
// No must<>/raise: the core builds without exceptions (WASM).
#pragma once
#include "smtpspec/grammar/charclass.hpp"
#include "smtpspec/grammar/rfc5234.hpp"
#include "smtpspec/grammar/rfc6531.hpp"

namespace smtpspec::grammar::rfc5321 {
namespace pegtl = tao::pegtl;
using namespace rfc5234;

inline constexpr octet_table let_dig_chars = make_table([](unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
});
// §4.1.2  Let-dig = ALPHA / DIGIT
struct Let_dig : char_class<let_dig_chars> { static constexpr const char* name = "Let-dig"; };
// §4.1.2  Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig
// (PEG form: hyphens only where a Let-dig follows, so the last octet is a Let-dig.)
struct Ldh_str : pegtl::plus<pegtl::star<pegtl::one<'-'>>, Let_dig> {
  static constexpr const char* name = "Ldh-str";
};
struct sub_domain_peg : pegtl::seq<Let_dig, pegtl::opt<Ldh_str>> {
  static constexpr const char* name = "sub-domain";
};
// The longest run of Let-dig / "-" that starts and ends with a Let-dig.
struct sub_domain_scan {
  static std::size_t scan(const char* b, const char* e) noexcept {
    if (b == e || !let_dig_chars[static_cast<unsigned char>(*b)]) return 0;
    const char* last = b;
    for (const char* p = b + 1; p != e; ++p) {
      const auto c = static_cast<unsigned char>(*p);
      if (let_dig_chars[c]) last = p;
      else if (c != '-') break;
    }
    return static_cast<std::size_t>(last + 1 - b);
  }
};
// RFC 6531 §3.3  sub-domain =/ U-label   (only with parse_options::smtputf8)
struct sub_domain_peg_utf8 : pegtl::sor<rfc6531::U_label<let_dig_chars>, sub_domain_peg> {
  static constexpr const char* name = "sub-domain";
};
// §4.1.2  sub-domain = Let-dig [Ldh-str]
struct sub_domain : rfc6531::scanned_utf8<sub_domain_peg, sub_domain_scan, sub_domain_peg_utf8,
                                          rfc6531::sub_domain_scan_utf8<let_dig_chars>> {
  static constexpr const char* name = "sub-domain";
};
// §4.1.2  Domain = sub-domain *("." sub-domain)
struct Domain : pegtl::seq<sub_domain, pegtl::star<pegtl::one<'.'>, sub_domain>> {
  static constexpr const char* name = "Domain";
};

// §4.1.3  Snum = 1*3DIGIT  ; 0 through 255 (checked on the value)
struct Snum : pegtl::rep_min_max<1, 3, DIGIT> { static constexpr const char* name = "Snum"; };
// §4.1.3  IPv4-address-literal = Snum 3("." Snum)
struct IPv4_address_literal : pegtl::seq<Snum, pegtl::rep<3, pegtl::one<'.'>, Snum>> {
  static constexpr const char* name = "IPv4-address-literal";
};
// §4.1.3  IPv6-hex = 1*4HEXDIG
struct IPv6_hex : pegtl::rep_min_max<1, 4, HEXDIG> { static constexpr const char* name = "IPv6-hex"; };
struct colon_hex : pegtl::seq<pegtl::one<':'>, IPv6_hex> {};
struct double_colon : pegtl::string<':', ':'> { static constexpr const char* name = "\"::\""; };
// §4.1.3  IPv6-full = IPv6-hex 7(":" IPv6-hex)
struct IPv6_full : pegtl::seq<IPv6_hex, pegtl::rep<7, colon_hex>> {
  static constexpr const char* name = "IPv6-full";
};
// §4.1.3  IPv6-comp = [IPv6-hex *5(":" IPv6-hex)] "::" [IPv6-hex *5(":" IPv6-hex)]
//   ; no more than 6 groups in addition to "::"
// (The *5 bounds and the total are checked on the value, so too many groups gets its own error.)
struct IPv6_comp
    : pegtl::seq<pegtl::opt<IPv6_hex, pegtl::star<colon_hex>>, double_colon,
                 pegtl::opt<IPv6_hex, pegtl::star<colon_hex>>> {
  static constexpr const char* name = "IPv6-comp";
};
// §4.1.3  IPv6v4-full = IPv6-hex 5(":" IPv6-hex) ":" IPv4-address-literal
struct IPv6v4_full
    : pegtl::seq<IPv6_hex, pegtl::rep<5, colon_hex>, pegtl::one<':'>, IPv4_address_literal> {
  static constexpr const char* name = "IPv6v4-full";
};
// §4.1.3  IPv6v4-comp = [IPv6-hex *3(":" IPv6-hex)] "::" [IPv6-hex *3(":" IPv6-hex) ":"]
//                       IPv4-address-literal  ; no more than 4 groups besides "::" and IPv4
// (PEG form of the second option: IPv6-hex ":" pairs, so the IPv4 part is not eaten; the
// *3 bounds and the total of 4 are checked on the value.)
struct IPv6v4_comp
    : pegtl::seq<pegtl::opt<IPv6_hex, pegtl::star<colon_hex>>, double_colon,
                 pegtl::star<IPv6_hex, pegtl::one<':'>>, IPv4_address_literal> {
  static constexpr const char* name = "IPv6v4-comp";
};
struct close_bracket_ahead : pegtl::at<pegtl::one<']'>> { static constexpr const char* name = "\"]\""; };
// §4.1.3  IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp
// (Each alternative must reach the closing "]"; the v4 forms are tried before the pure forms
// they share a prefix with.)
struct IPv6_addr : pegtl::sor<pegtl::seq<IPv6v4_full, close_bracket_ahead>,
                              pegtl::seq<IPv6_full, close_bracket_ahead>,
                              pegtl::seq<IPv6v4_comp, close_bracket_ahead>,
                              pegtl::seq<IPv6_comp, close_bracket_ahead>> {
  static constexpr const char* name = "IPv6-addr";
};
struct IPv6_tag : pegtl::istring<'I', 'P', 'v', '6', ':'> { static constexpr const char* name = "\"IPv6:\""; };
// §4.1.3  IPv6-address-literal = "IPv6:" IPv6-addr
struct IPv6_address_literal : pegtl::seq<IPv6_tag, IPv6_addr> {
  static constexpr const char* name = "IPv6-address-literal";
};
inline constexpr octet_table dcontent_chars =
    make_table([](unsigned char c) { return (c >= 33 && c <= 90) || (c >= 94 && c <= 126); });
// §4.1.3  dcontent = %d33-90 / %d94-126
struct dcontent : char_class<dcontent_chars> {
  static constexpr const char* name = "dcontent";
};
// §4.1.3  Standardized-tag = Ldh-str  ; MUST be registered with IANA (checked on the value)
struct Standardized_tag : Ldh_str { static constexpr const char* name = "Standardized-tag"; };
// §4.1.3  General-address-literal = Standardized-tag ":" 1*dcontent
// The tag "IPv6" has its own syntax above: an IPv6 literal that fails it is not a general one.
struct General_address_literal
    : pegtl::seq<pegtl::not_at<IPv6_tag>, Standardized_tag, pegtl::one<':'>, pegtl::plus<dcontent>> {
  static constexpr const char* name = "General-address-literal";
};
// §4.1.2  address-literal = "[" ( IPv4-address-literal / IPv6-address-literal /
//                                 General-address-literal ) "]"
struct address_literal
    : pegtl::seq<pegtl::one<'['>,
                 pegtl::sor<pegtl::seq<IPv4_address_literal, close_bracket_ahead>,
                            IPv6_address_literal, General_address_literal>,
                 pegtl::one<']'>> {
  static constexpr const char* name = "address-literal";
};

// RFC 5322 §3.2.3  atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" /
//                          "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"
inline constexpr octet_table atext_chars = make_table([](unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  for (char x : {'!', '#', '$', '%', '&', '\'', '*', '+', '-', '/', '=', '?', '^', '_', '`', '{', '|', '}', '~'}) {
    if (c == static_cast<unsigned char>(x)) return true;
  }
  return false;
});
struct atext : char_class<atext_chars> { static constexpr const char* name = "atext"; };
struct Atom_peg : pegtl::plus<atext> { static constexpr const char* name = "Atom"; };
// RFC 6531 §3.3  atext =/ UTF8-non-ascii   (only with parse_options::smtputf8)
struct Atom_peg_utf8 : pegtl::plus<rfc6531::atext_utf8<atext_chars>> { static constexpr const char* name = "Atom"; };
// §4.1.2  Atom = 1*atext
struct Atom : rfc6531::scanned_utf8<Atom_peg, run_scan<atext_chars>, Atom_peg_utf8, rfc6531::run_scan_utf8<atext_chars>> {
  static constexpr const char* name = "Atom";
};
// §4.1.2  Dot-string = Atom *("." Atom)
struct Dot_string : pegtl::seq<Atom, pegtl::star<pegtl::one<'.'>, Atom>> {
  static constexpr const char* name = "Dot-string";
};
inline constexpr octet_table qtext_chars = make_table(
    [](unsigned char c) { return (c >= 32 && c <= 33) || (c >= 35 && c <= 91) || (c >= 93 && c <= 126); });
// §4.1.2  qtextSMTP = %d32-33 / %d35-91 / %d93-126
struct qtextSMTP : char_class<qtext_chars> {
  static constexpr const char* name = "qtextSMTP";
};
struct quoted_char : pegtl::range<32, 126> { static constexpr const char* name = "%d32-126"; };
// §4.1.2  quoted-pairSMTP = %d92 %d32-126
struct quoted_pairSMTP : pegtl::seq<pegtl::one<'\\'>, quoted_char> {
  static constexpr const char* name = "quoted-pairSMTP";
};
// §4.1.2  QcontentSMTP = qtextSMTP / quoted-pairSMTP
// RFC 6531 §3.3  qtextSMTP =/ UTF8-non-ascii   (only with parse_options::smtputf8)
struct QcontentSMTP : pegtl::sor<qtextSMTP, quoted_pairSMTP, rfc6531::if_smtputf8<rfc6531::UTF8_non_ascii>> {};
// §4.1.2  Quoted-string = DQUOTE *QcontentSMTP DQUOTE
struct Quoted_string : pegtl::seq<DQUOTE, pegtl::star<QcontentSMTP>, DQUOTE> {
  static constexpr const char* name = "Quoted-string";
};
// §4.1.2  Local-part = Dot-string / Quoted-string
struct Local_part : pegtl::sor<Dot_string, Quoted_string> {
  static constexpr const char* name = "Local-part";
};
struct at_sign : pegtl::one<'@'> { static constexpr const char* name = "\"@\""; };
// §4.1.2  Mailbox = Local-part "@" ( Domain / address-literal )
struct Mailbox_domain : pegtl::sor<address_literal, Domain> {};
struct Mailbox : pegtl::seq<Local_part, at_sign, Mailbox_domain> {
  static constexpr const char* name = "Mailbox";
};
// §4.1.2  At-domain = "@" Domain
struct At_domain : pegtl::seq<at_sign, Domain> { static constexpr const char* name = "At-domain"; };
// §4.1.2  A-d-l = At-domain *( "," At-domain )  ; MUST be accepted, SHOULD be ignored
struct A_d_l : pegtl::seq<At_domain, pegtl::star<pegtl::one<','>, At_domain>> {
  static constexpr const char* name = "A-d-l";
};
struct open_angle : pegtl::one<'<'> { static constexpr const char* name = "\"<\""; };
struct close_angle : pegtl::one<'>'> { static constexpr const char* name = "\">\""; };
struct adl_colon : pegtl::one<':'> { static constexpr const char* name = "\":\""; };
// §4.1.2  Path = "<" [ A-d-l ":" ] Mailbox ">"
struct Path : pegtl::seq<open_angle, pegtl::opt<A_d_l, adl_colon>, Mailbox, close_angle> {
  static constexpr const char* name = "Path";
};
// §4.1.2  "<>" (the null Reverse-path)
struct null_path : pegtl::string<'<', '>'> { static constexpr const char* name = "\"<>\""; };
// §4.1.1.3  "<Postmaster>" (case-insensitive, Forward-path only)
struct postmaster_path : pegtl::istring<'<', 'P', 'o', 's', 't', 'm', 'a', 's', 't', 'e', 'r', '>'> {
  static constexpr const char* name = "\"<Postmaster>\"";
};
// §4.1.2  Reverse-path = Path / "<>"
struct Reverse_path : pegtl::sor<null_path, Path> { static constexpr const char* name = "Reverse-path"; };
// §4.1.2  Forward-path = Path
struct Forward_path : Path { static constexpr const char* name = "Forward-path"; };
// Any path form: what parse_path and the MAIL/RCPT arguments accept before the role check
// (so "<>" in RCPT gets its own error rather than a generic one).
struct any_path : pegtl::sor<null_path, postmaster_path, Path> {
  static constexpr const char* name = "Path";
};

// §4.1.2  esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
struct esmtp_keyword : pegtl::seq<pegtl::ascii::alnum, pegtl::star<pegtl::sor<pegtl::ascii::alnum, pegtl::one<'-'>>>> {
  static constexpr const char* name = "esmtp-keyword";
};
inline constexpr octet_table esmtp_value_chars =
    make_table([](unsigned char c) { return (c >= 33 && c <= 60) || (c >= 62 && c <= 126); });
struct esmtp_value_char : char_class<esmtp_value_chars> {};
// §4.1.2  esmtp-value = 1*(%d33-60 / %d62-126)
// RFC 6531 §3.3  esmtp-value =/ UTF8-non-ascii   (only with parse_options::smtputf8)
struct esmtp_value : pegtl::plus<pegtl::sor<esmtp_value_char, rfc6531::if_smtputf8<rfc6531::UTF8_non_ascii>>> {
  static constexpr const char* name = "esmtp-value";
};
// §4.1.2  esmtp-param = esmtp-keyword ["=" esmtp-value]
struct esmtp_param : pegtl::seq<esmtp_keyword, pegtl::opt<pegtl::one<'='>, esmtp_value>> {
  static constexpr const char* name = "esmtp-param";
};
// §4.1.2  Mail-parameters = esmtp-param *(SP esmtp-param)   (Rcpt-parameters alike)
struct Mail_parameters : pegtl::seq<esmtp_param, pegtl::star<SP, esmtp_param>> {
  static constexpr const char* name = "Mail-parameters";
};
struct Rcpt_parameters : Mail_parameters { static constexpr const char* name = "Rcpt-parameters"; };

// §4.1.2  String = Atom / Quoted-string
struct String : pegtl::sor<Atom, Quoted_string> { static constexpr const char* name = "String"; };

// Verbs (§4.1.1; ABNF strings are case-insensitive).
struct EHLO : pegtl::istring<'E', 'H', 'L', 'O'> {};
struct HELO : pegtl::istring<'H', 'E', 'L', 'O'> {};
struct MAIL_FROM : pegtl::istring<'M', 'A', 'I', 'L', ' ', 'F', 'R', 'O', 'M', ':'> {
  static constexpr const char* name = "\"MAIL FROM:\"";
};
struct RCPT_TO : pegtl::istring<'R', 'C', 'P', 'T', ' ', 'T', 'O', ':'> {
  static constexpr const char* name = "\"RCPT TO:\"";
};
struct DATA : pegtl::istring<'D', 'A', 'T', 'A'> {};
struct RSET : pegtl::istring<'R', 'S', 'E', 'T'> {};
struct VRFY : pegtl::istring<'V', 'R', 'F', 'Y'> {};
struct EXPN : pegtl::istring<'E', 'X', 'P', 'N'> {};
struct HELP : pegtl::istring<'H', 'E', 'L', 'P'> {};
struct NOOP : pegtl::istring<'N', 'O', 'O', 'P'> {};
struct QUIT : pegtl::istring<'Q', 'U', 'I', 'T'> {};

// The argument slots, named so actions can capture them.
struct ehlo_domain : pegtl::sor<Domain, address_literal> {
  static constexpr const char* name = "Domain or address-literal";
};
struct helo_domain : Domain { static constexpr const char* name = "Domain"; };
struct mail_path : any_path { static constexpr const char* name = "Reverse-path"; };
struct rcpt_path : any_path { static constexpr const char* name = "Forward-path"; };
struct mail_params : Mail_parameters {};
struct rcpt_params : Rcpt_parameters {};
struct string_arg : String {};

// The end of a command. parse_command removes the line's CRLF before the grammar runs (a CR
// or LF still in the line is a bare one, §2.3.8), so "CRLF" is matched as the end of input.
struct line_end : pegtl::eof { static constexpr const char* name = "CRLF"; };

// §4.1.1.1  ehlo = "EHLO" SP ( Domain / address-literal ) CRLF
struct ehlo : pegtl::seq<EHLO, SP, ehlo_domain, line_end> {};
// §4.1.1.1  helo = "HELO" SP Domain CRLF
struct helo : pegtl::seq<HELO, SP, helo_domain, line_end> {};
// §4.1.1.2  mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
struct mail : pegtl::seq<MAIL_FROM, mail_path, pegtl::opt<SP, mail_params>, line_end> {};
// §4.1.1.3  rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path )
//                  [SP Rcpt-parameters] CRLF
struct rcpt : pegtl::seq<RCPT_TO, rcpt_path, pegtl::opt<SP, rcpt_params>, line_end> {};
// §4.1.1.4  data = "DATA" CRLF
struct data : pegtl::seq<DATA, line_end> {};
// §4.1.1.5  rset = "RSET" CRLF
struct rset : pegtl::seq<RSET, line_end> {};
// §4.1.1.6  vrfy = "VRFY" SP String CRLF
struct vrfy : pegtl::seq<VRFY, SP, string_arg, line_end> {};
// §4.1.1.7  expn = "EXPN" SP String CRLF
struct expn : pegtl::seq<EXPN, SP, string_arg, line_end> {};
// §4.1.1.8  help = "HELP" [ SP String ] CRLF
struct help : pegtl::seq<HELP, pegtl::opt<SP, string_arg>, line_end> {};
// §4.1.1.9  noop = "NOOP" [ SP String ] CRLF
struct noop : pegtl::seq<NOOP, pegtl::opt<SP, string_arg>, line_end> {};
// §4.1.1.10 quit = "QUIT" CRLF
struct quit : pegtl::seq<QUIT, line_end> {};

}  // namespace smtpspec::grammar::rfc5321
