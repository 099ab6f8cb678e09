// RFC 3030 §2: the BDAT command (CHUNKING); §3: the BINARYMIME value of BODY.
#pragma once
#include "smtpspec/grammar/rfc5321.hpp"
#include "smtpspec/grammar/rfc6152.hpp"

namespace smtpspec::grammar::rfc3030 {
namespace pegtl = tao::pegtl;
using rfc5234::SP;
struct BDAT : pegtl::istring<'B', 'D', 'A', 'T'> {};
// RFC 3030 §2  chunk-size ::= 1*DIGIT
struct chunk_size : pegtl::plus<pegtl::ascii::digit> { static constexpr const char* name = "chunk-size"; };
// RFC 3030 §2  end-marker ::= "LAST"
struct end_marker : pegtl::istring<'L', 'A', 'S', 'T'> { static constexpr const char* name = "\"LAST\""; };
// RFC 3030 §2  bdat-cmd ::= "BDAT" SP chunk-size [ SP end-marker ] CR LF
struct bdat_cmd : pegtl::seq<BDAT, SP, chunk_size, pegtl::opt<SP, end_marker>, rfc5321::line_end> {};
struct binary_mime : pegtl::istring<'B', 'I', 'N', 'A', 'R', 'Y', 'M', 'I', 'M', 'E'> {};
// §3 (5)  body-value ::= "7BIT" / "8BITMIME" / "BINARYMIME"   (RFC 822 ABNF: case-insensitive)
struct body_value : pegtl::sor<binary_mime, rfc6152::seven_bit, rfc6152::eight_bit_mime> {
  static constexpr const char* name = "body-value";
};
}  // namespace smtpspec::grammar::rfc3030
