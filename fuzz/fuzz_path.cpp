// Fuzz target for parse_path: Reverse-path / Forward-path / Path.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return smtpspec_fuzz::run(
      data, size, [](std::string_view s, const smtpspec::parse_options& o, smtpspec::path_role role) {
        return smtpspec::parse_path(s, o, role);
      });
}
