// A program outside the smtpspec tree, built against an installed copy (tests/install/run.sh).
// It sees only the installed headers and library: no PEGTL, no grammar, no source paths.
#include <smtpspec/smtpspec.hpp>

#include <cstdio>
#include <string>
#include <string_view>

namespace {
int fail(const char* what) {
  std::fprintf(stderr, "consumer: FAIL: %s\n", what);
  return 1;
}
}  // namespace

int main() {
  const std::string_view line = "MAIL FROM:<a@example.org>";
  const auto r = smtpspec::parse_command(line);
  if (!r.ok()) return fail("MAIL FROM:<a@example.org> did not parse");
  if (r->verb != smtpspec::verb::mail) return fail("verb is not MAIL");
  if (r->path.mailbox.local_part != "a") return fail("local part is not \"a\"");
  if (r->path.mailbox.domain.text != "example.org") return fail("domain is not example.org");

  // The other way round, so a library that accepts everything cannot pass.
  const std::string_view bad = "MAIL FROM:<a@@example.org>";
  if (smtpspec::parse_command(bad).ok()) return fail("MAIL FROM:<a@@example.org> parsed");

  // Issue 7 through the umbrella header: a transcript read and linted (its catalogues installed too).
  const auto tr = smtpspec::transcript::read("S: 220 mx\nC: QUIT\nS: 221 bye\n");
  if (!tr.ok() || tr.events.size() != 3) return fail("the RFC-style transcript was not read");
  if (smtpspec::lint::lint(tr).has_errors()) return fail("a clean transcript has lint errors");

#ifdef EXPECTED_VERSION
  if (std::string_view{SMTPSPEC_VERSION_STRING} != EXPECTED_VERSION)
    return fail("header version differs from the package version");
#endif
  std::printf("%s\n", smtpspec::to_json(r).c_str());
  return 0;
}
