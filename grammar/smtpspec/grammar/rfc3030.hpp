// RFC 3030 §2: the BDAT command (CHUNKING).
#pragma once
#include "smtpspec/grammar/rfc5321.hpp"

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
}  // namespace smtpspec::grammar::rfc3030
