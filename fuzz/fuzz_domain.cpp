// Fuzz target for parse_domain: Domain or address-literal.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return smtpspec_fuzz::run(
      data, size, [](std::string_view s, const smtpspec::parse_options& o, smtpspec::path_role) {
        return smtpspec::parse_domain(s, o);
      });
}
