// Fuzz target for SMTPUTF8 domains and the IDNA conversions (RFC 6531 §3.3, RFC 5890-5893):
// parse_domain and parse_mailbox with smtputf8 on, domain_to_ascii and domain_to_unicode. The first
// byte picks the profile (bit 0), as in the other targets. Invariants: no crash, offsets inside the
// input, valid JSON; a converted name converts to itself again (A-label form is a fixed point) and
// back to the same U-label form; strict acceptance implies lenient acceptance of the same value.
#include "fuzz_common.hpp"

namespace {

void check_conversion(const smtpspec::result<std::string>& r, std::string_view text) {
  using smtpspec_fuzz::require;
  require(r.ok() || r.error().offset <= text.size());
  for (const auto& d : r.diags()) require(d.offset <= text.size());
  require(nlohmann::json::accept(smtpspec::to_json(r)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using smtpspec_fuzz::require;
  auto in = smtpspec_fuzz::split(data, size);
  in.options.smtputf8 = true;
  smtpspec_fuzz::run(data, size, [](std::string_view s, const smtpspec::parse_options& o, smtpspec::path_role) {
    smtpspec::parse_options u = o;
    u.smtputf8 = true;
    return smtpspec::parse_domain(s, u);
  });
  smtpspec_fuzz::run(data, size, [](std::string_view s, const smtpspec::parse_options& o, smtpspec::path_role) {
    smtpspec::parse_options u = o;
    u.smtputf8 = true;
    return smtpspec::parse_mailbox(s, u);
  });
  const auto a = smtpspec::domain_to_ascii(in.text, in.options);
  const auto u = smtpspec::domain_to_unicode(in.text, in.options);
  check_conversion(a, in.text);
  check_conversion(u, in.text);
  require(a.ok() == u.ok());
  if (a.ok()) {
    const std::string& ascii = a.value();
    const auto again = smtpspec::domain_to_ascii(ascii, in.options);
    require(again.ok() && again.value() == ascii);
    const auto back = smtpspec::domain_to_unicode(ascii, in.options);
    require(back.ok() && back.value() == u.value());
    if (in.options.profile == smtpspec::profile::strict) {
      smtpspec::parse_options l = in.options;
      l.profile = smtpspec::profile::lenient;
      const auto la = smtpspec::domain_to_ascii(in.text, l);
      require(la.ok() && la.value() == ascii);
    }
  }
  return 0;
}
