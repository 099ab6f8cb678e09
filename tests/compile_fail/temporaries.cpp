// Results hold views into the input, so passing a temporary std::string must not compile
// (simdjson's compile-fail idea). SMTPSPEC_CF_CASE picks one call; case 0 is the control that
// must compile, proving the failures come from the deleted overloads and not from the setup.
#include <string>

#include "smtpspec/smtpspec.hpp"

int main() {
  const std::string kept = "a@b";
#if SMTPSPEC_CF_CASE == 0
  auto a = smtpspec::parse_domain(kept);
  auto b = smtpspec::parse_mailbox(kept);
  auto c = smtpspec::parse_path(kept);
  auto d = smtpspec::parse_command(std::string_view("NOOP"));
  return a.ok() + b.ok() + c.ok() + d.ok();
#elif SMTPSPEC_CF_CASE == 1
  auto r = smtpspec::parse_domain(std::string("example.com"));
#elif SMTPSPEC_CF_CASE == 2
  auto r = smtpspec::parse_mailbox(std::string("a@b"));
#elif SMTPSPEC_CF_CASE == 3
  auto r = smtpspec::parse_path(std::string("<a@b>"), smtpspec::parse_options{}, smtpspec::path_role::any);
#elif SMTPSPEC_CF_CASE == 4
  auto r = smtpspec::parse_command(kept + "\r\n");
#endif
#if SMTPSPEC_CF_CASE != 0
  return r.ok() ? 0 : 1;
#endif
}
