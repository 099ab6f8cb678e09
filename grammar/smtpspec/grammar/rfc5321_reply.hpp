// RFC 5321 §4.2 server replies (Reply-line, Greeting) and §4.1.1.1 the EHLO reply (ehlo-ok-rsp).
// Rule names are the ABNF names with "-" turned into "_"; each cites its section. No must<>/raise.
#pragma once
#include "smtpspec/grammar/rfc5321.hpp"

namespace smtpspec::grammar::rfc5321 {
namespace pegtl = tao::pegtl;

// §4.2  Reply-code = %x32-35 %x30-35 %x30-39
struct Reply_code : pegtl::seq<pegtl::range<'2', '5'>, pegtl::range<'0', '5'>, DIGIT> {
  static constexpr const char* name = "Reply-code";
};
// §4.2  textstring = 1*(%d09 / %d32-126) ; HT, SP, Printable US-ASCII
struct textstring : pegtl::plus<pegtl::sor<pegtl::one<'\t'>, pegtl::range<32, 126>>> {
  static constexpr const char* name = "textstring";
};
struct hyphen : pegtl::one<'-'> { static constexpr const char* name = "\"-\""; };

// §4.2  Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//                    Reply-code [ SP textstring ] CRLF
struct reply_continuation : pegtl::seq<Reply_code, hyphen, pegtl::opt<textstring>, CRLF> {};
struct reply_last : pegtl::seq<Reply_code, pegtl::opt<SP, textstring>, CRLF> {};
struct Reply_line : pegtl::seq<pegtl::star<reply_continuation>, reply_last> {
  static constexpr const char* name = "Reply-line";
};

// §4.2  Greeting = ( "220 " (Domain / address-literal) [ SP textstring ] CRLF ) /
//                  ( "220-" (Domain / address-literal) [ SP textstring ] CRLF
//                    *( "220-" [ textstring ] CRLF )
//                    "220" [ SP textstring ] CRLF )
struct greeting_domain : pegtl::sor<address_literal, Domain> {};
struct greeting_single : pegtl::seq<pegtl::string<'2', '2', '0', ' '>, greeting_domain, pegtl::opt<SP, textstring>, CRLF> {};
struct greeting_multi
    : pegtl::seq<pegtl::string<'2', '2', '0', '-'>, greeting_domain, pegtl::opt<SP, textstring>, CRLF,
                 pegtl::star<pegtl::string<'2', '2', '0', '-'>, pegtl::opt<textstring>, CRLF>,
                 pegtl::string<'2', '2', '0'>, pegtl::opt<SP, textstring>, CRLF> {};
struct Greeting : pegtl::sor<greeting_single, greeting_multi> { static constexpr const char* name = "Greeting"; };

// §4.1.1.1  ehlo-greet = 1*(%d0-9 / %d11-12 / %d14-127) ; any characters other than CR or LF
struct ehlo_greet : pegtl::plus<pegtl::sor<pegtl::range<0, 9>, pegtl::range<11, 12>, pegtl::range<14, 127>>> {
  static constexpr const char* name = "ehlo-greet";
};
// §4.1.1.1  ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
struct ehlo_keyword : pegtl::seq<pegtl::ascii::alnum, pegtl::star<pegtl::sor<pegtl::ascii::alnum, pegtl::one<'-'>>>> {
  static constexpr const char* name = "ehlo-keyword";
};
// §4.1.1.1  ehlo-param = 1*(%d33-126) ; any CHAR excluding <SP> and all control characters
struct ehlo_param : pegtl::plus<pegtl::range<33, 126>> { static constexpr const char* name = "ehlo-param"; };
// §4.1.1.1  ehlo-line = ehlo-keyword *( SP ehlo-param )
struct ehlo_line : pegtl::seq<ehlo_keyword, pegtl::star<SP, ehlo_param>> {
  static constexpr const char* name = "ehlo-line";
};
// §4.1.1.1  ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
//                         / ( "250-" Domain [ SP ehlo-greet ] CRLF
//                             *( "250-" ehlo-line CRLF )
//                             "250" SP ehlo-line CRLF )
struct ehlo_ok_single : pegtl::seq<pegtl::string<'2', '5', '0', ' '>, Domain, pegtl::opt<SP, ehlo_greet>, CRLF> {};
struct ehlo_ok_multi
    : pegtl::seq<pegtl::string<'2', '5', '0', '-'>, Domain, pegtl::opt<SP, ehlo_greet>, CRLF,
                 pegtl::star<pegtl::string<'2', '5', '0', '-'>, ehlo_line, CRLF>,
                 pegtl::string<'2', '5', '0', ' '>, ehlo_line, CRLF> {};
struct ehlo_ok_rsp : pegtl::sor<ehlo_ok_single, ehlo_ok_multi> { static constexpr const char* name = "ehlo-ok-rsp"; };

}  // namespace smtpspec::grammar::rfc5321
