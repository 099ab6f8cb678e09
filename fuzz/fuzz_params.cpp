// Fuzz target for parse_esmtp_params: the parameters of a MAIL or RCPT line. The selector byte's
// role bits pick the command (forward: RCPT, otherwise MAIL); the shared checks then hold as for
// the other entry points (offsets and views inside the input, valid JSON, strict acceptance
// implies the same lenient answer, lenient-only acceptance carries a warning).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return smtpspec_fuzz::run(
      data, size, [](std::string_view s, const smtpspec::parse_options& o, smtpspec::path_role role) {
        return smtpspec::parse_esmtp_params(role == smtpspec::path_role::forward ? smtpspec::verb::rcpt
                                                                                   : smtpspec::verb::mail,
                                            s, o);
      });
}
