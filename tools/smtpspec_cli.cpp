// smtpspec — the command-line tool. `smtpspec parse <kind>` reads one input per line on stdin
// (the line ending removed) and prints one canonical JSON object per line.
#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "smtpspec/smtpspec.hpp"

namespace {

int run_parse(const std::string& kind, bool lenient, const std::string& role_name) {
  smtpspec::parse_options opts;
  if (lenient) opts.profile = smtpspec::profile::lenient;
  smtpspec::path_role role = smtpspec::path_role::any;
  if (role_name == "reverse") role = smtpspec::path_role::reverse;
  else if (role_name == "forward") role = smtpspec::path_role::forward;

  std::ios::sync_with_stdio(false);
  std::string line, out;
  bool all_ok = true;
  while (std::getline(std::cin, line)) {
    // The line ending is removed: "\n", or "\r\n".
    if (!line.empty() && line.back() == '\r') line.pop_back();
    bool ok = false;
    if (kind == "command") {
      auto r = smtpspec::parse_command(line, opts);
      ok = r.ok();
      out = smtpspec::to_json(r);
    } else if (kind == "path") {
      auto r = smtpspec::parse_path(line, opts, role);
      ok = r.ok();
      out = smtpspec::to_json(r);
    } else if (kind == "mailbox") {
      auto r = smtpspec::parse_mailbox(line, opts);
      ok = r.ok();
      out = smtpspec::to_json(r);
    } else {
      auto r = smtpspec::parse_domain(line, opts);
      ok = r.ok();
      out = smtpspec::to_json(r);
    }
    all_ok = all_ok && ok;
    out.push_back('\n');
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return all_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smtpspec " SMTPSPEC_VERSION_STRING " - RFC 5321 commands, paths, mailboxes and domains"};
  app.require_subcommand(1);

  auto* parse = app.add_subcommand("parse", "Parse inputs from stdin, one per line; print canonical JSON per line.\n"
                                            "Exit status: 0 all valid, 1 some invalid, 2 usage error.");
  parse->require_subcommand(1);
  bool lenient = false;
  std::string role = "any";
  for (const char* kind : {"command", "path", "mailbox", "domain"}) {
    std::string help = std::string("Parse each stdin line as a ") + kind;
    auto* sub = parse->add_subcommand(kind, help);
    sub->add_flag("--lenient", lenient, "Accept what Postfix/Haraka accept; report each deviation as a diagnostic");
    if (std::string(kind) == "path") {
      sub->add_option("--role", role, "Which path forms to accept: any, reverse (MAIL), forward (RCPT)")
          ->check(CLI::IsMember({"any", "reverse", "forward"}));
    }
    sub->callback([&lenient, &role, k = std::string(kind)]() { std::exit(run_parse(k, lenient, role)); });
  }

  auto* cat = app.add_subcommand("catalogue", "Print the error codes, diagnostic ids and verbs as JSON");
  cat->callback([]() {
    std::cout << smtpspec::catalogue_json() << '\n';
    std::exit(0);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return 0;
}
