// RFC 2033 §4.1: LHLO, with the argument syntax of EHLO.
#pragma once
#include "smtpspec/grammar/rfc5321.hpp"

namespace smtpspec::grammar::rfc2033 {
namespace pegtl = tao::pegtl;
struct LHLO : pegtl::istring<'L', 'H', 'L', 'O'> {};
// RFC 2033 §4.1  "identical semantics to the EHLO command": "LHLO" SP ( Domain / address-literal ) CRLF
struct lhlo : pegtl::seq<LHLO, rfc5234::SP, rfc5321::ehlo_domain, rfc5321::line_end> {};
}  // namespace smtpspec::grammar::rfc2033
