// RFC 3207 §4: the STARTTLS command.
#pragma once
#include "smtpspec/grammar/rfc5321.hpp"

namespace smtpspec::grammar::rfc3207 {
namespace pegtl = tao::pegtl;
struct STARTTLS : pegtl::istring<'S', 'T', 'A', 'R', 'T', 'T', 'L', 'S'> {};
// RFC 3207 §4  "STARTTLS" CRLF  (the keyword has no parameters, §2)
struct starttls : pegtl::seq<STARTTLS, rfc5321::line_end> {};
}  // namespace smtpspec::grammar::rfc3207
