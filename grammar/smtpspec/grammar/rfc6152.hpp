// RFC 6152: the BODY parameter of MAIL (8BITMIME). RFC 3030 adds BINARYMIME (rfc3030.hpp).
#pragma once
#include <tao/pegtl.hpp>

namespace smtpspec::grammar::rfc6152 {
namespace pegtl = tao::pegtl;
struct seven_bit : pegtl::istring<'7', 'B', 'I', 'T'> {};
struct eight_bit_mime : pegtl::istring<'8', 'B', 'I', 'T', 'M', 'I', 'M', 'E'> {};
// §2  body-value = "7BIT" / "8BITMIME"   (ABNF strings are case-insensitive, RFC 5234 §2.3)
struct body_value : pegtl::sor<seven_bit, eight_bit_mime> { static constexpr const char* name = "body-value"; };
}  // namespace smtpspec::grammar::rfc6152
