// RapidCheck properties of the typed ESMTP parameters:
//  - xtext: any octet string encodes to xtext (RFC 3461 §4) and decodes back to itself;
//  - SIZE: any 1 to 20 digits parse iff the number fits in 2^53-1 (then typed as that number),
//    and otherwise give size_out_of_range, never a crash or another error;
//  - any byte string as parameters gives a value or an error with offsets inside the input.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "smtpspec_test_support.hpp"

using namespace smtpspec;

RC_GTEST_PROP(Xtext, EncodeDecodeRoundTrip, (const std::string& octets)) {
  const std::string x = xtext_encode(octets);
  RC_ASSERT(is_xtext(x));
  RC_ASSERT(xtext_decode(x) == octets);
  // Every xtext is also a valid ENVID value unless it encodes a non-printable octet.
  bool printable = true;
  for (unsigned char c : octets) printable = printable && (c == '\t' || (c >= 0x20 && c <= 0x7E));
  if (!x.empty()) {
    const std::string in = "ENVID=" + x;
    const auto r = parse_esmtp_params(verb::mail, in);
    RC_ASSERT(r.ok() == (printable && in.size() + 2 <= 512 + line_growth(verb::mail, extension_set::all())));
    if (r.ok()) RC_ASSERT(r.value()[0].decoded() == octets);
  }
}

RC_GTEST_PROP(Size, ParsesIffItFits, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 21);
  const std::string digits = *rc::gen::container<std::string>(n, rc::gen::inRange('0', static_cast<char>('9' + 1)));
  const std::string in = "SIZE=" + digits;
  const auto r = parse_esmtp_params(verb::mail, in);
  // The value as a long decimal, compared with 2^53-1 = 9007199254740991 without overflow.
  std::string trimmed = digits.substr(std::min(digits.find_first_not_of('0'), digits.size()));
  const std::string max = "9007199254740991";
  const bool fits = trimmed.size() < max.size() || (trimmed.size() == max.size() && trimmed <= max);
  if (fits) {
    RC_ASSERT(r.ok());
    RC_ASSERT(r.value()[0].number == (trimmed.empty() ? 0 : std::stoull(trimmed)));
  } else {
    RC_ASSERT(!r.ok());
    RC_ASSERT(r.error().code == error_code::size_out_of_range);
  }
}

RC_GTEST_PROP(Params, AnyBytesGiveAValueOrAnError, (const std::string& text, bool rcpt, bool lenient)) {
  parse_options o;
  if (lenient) o.profile = profile::lenient;
  const smtpspec_test::heap_input in(text);
  const auto r = parse_esmtp_params(rcpt ? verb::rcpt : verb::mail, in.view(), o);
  RC_ASSERT(smtpspec_test::invariant_failure(r, in.view()).empty());
  RC_ASSERT(!to_json(r).empty());
  if (!lenient && r.ok()) {
    o.profile = profile::lenient;
    RC_ASSERT(parse_esmtp_params(rcpt ? verb::rcpt : verb::mail, in.view(), o).ok());
  }
}
