// RFC 5234 Appendix B.1 core rules used by the SMTP grammars.
// Each rule carries `name`, the ABNF name reported in errors as "expected".
#pragma once
#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rfc5234 {
namespace pegtl = tao::pegtl;

// RFC 5234 §B.1  ALPHA = %x41-5A / %x61-7A
struct ALPHA : pegtl::ascii::alpha { static constexpr const char* name = "ALPHA"; };
// RFC 5234 §B.1  DIGIT = %x30-39
struct DIGIT : pegtl::ascii::digit { static constexpr const char* name = "DIGIT"; };
// RFC 5234 §B.1  HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F"  (case-insensitive)
struct HEXDIG : pegtl::ascii::xdigit { static constexpr const char* name = "HEXDIG"; };
// RFC 5234 §B.1  SP = %x20
struct SP : pegtl::one<' '> { static constexpr const char* name = "SP"; };
// RFC 5234 §B.1  HTAB = %x09
struct HTAB : pegtl::one<'\t'> { static constexpr const char* name = "HTAB"; };
// RFC 5234 §B.1  WSP = SP / HTAB
struct WSP : pegtl::sor<SP, HTAB> { static constexpr const char* name = "WSP"; };
// RFC 5234 §B.1  DQUOTE = %x22
struct DQUOTE : pegtl::one<'"'> { static constexpr const char* name = "DQUOTE"; };
// RFC 5234 §B.1  CRLF = CR LF
struct CRLF : pegtl::string<'\r', '\n'> { static constexpr const char* name = "CRLF"; };

}  // namespace smtpspec::grammar::rfc5234
