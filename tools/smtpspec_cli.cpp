// smtpspec — the command-line tool. `smtpspec parse <kind>` reads one input per line on stdin
// (the line ending removed) and prints one canonical JSON object per line.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "serve/serve.hpp"
#include "smtpspec/milter.hpp"
#include "smtpspec/smtpspec.hpp"
#include "smtpspec/transcript.hpp"
#include "smtpspec/lint.hpp"
#include <unistd.h>

namespace {

// `smtpspec milter decode`: a captured byte stream, one JSON object per packet; a decoding error
// is printed last as {"error":…} and makes the exit status 1.
int run_milter_decode(const std::string& direction, const std::string& file, std::uint32_t max_payload) {
  namespace m = smtpspec::milter;
  std::string bytes;
  if (file == "-") {
    bytes.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "smtpspec milter decode: cannot read " << file << '\n';
      return 2;
    }
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const m::decoder_options o{max_payload};
  const auto r = direction == "both"  ? m::decode_conversation(bytes, o)
                 : direction == "mta" ? m::decode_all(m::direction::to_filter, bytes, o)
                                      : m::decode_all(m::direction::to_mta, bytes, o);
  for (const auto& p : r.packets) std::cout << m::to_json(p) << '\n';
  if (r.error) std::cout << "{\"error\":" << m::to_json(*r.error) << "}\n";
  return r.error ? 1 : 0;
}

int run_parse(const std::string& kind, bool lenient, bool smtputf8, const std::string& role_name,
              const std::string& verb_name = "MAIL") {
  smtpspec::parse_options opts;
  if (lenient) opts.profile = smtpspec::profile::lenient;
  opts.smtputf8 = smtputf8;
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
    } else if (kind == "params") {
      auto r = smtpspec::parse_esmtp_params(verb_name == "RCPT" ? smtpspec::verb::rcpt : smtpspec::verb::mail,
                                            line, opts);
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

// `parse reply`: the stream on stdin, fed in chunks as a client would; one JSON per reply.
int run_parse_reply(const smtpspec::reply_parse_options& opts, bool ehlo) {
  smtpspec::reply_parser parser(opts);
  bool all_ok = true;
  const auto drain = [&] {
    while (auto r = parser.next()) {
      std::string out;
      if (ehlo) {
        const auto e = smtpspec::parse_ehlo_reply(*r);
        all_ok = all_ok && e.ok() && r->valid();
        out = smtpspec::to_json(e);
      } else {
        all_ok = all_ok && r->valid();
        out = smtpspec::to_json(*r);
      }
      out.push_back('\n');
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
  };
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    parser.feed(std::string_view(buf, n));
    drain();
  }
  parser.finish();
  drain();
  return all_ok ? 0 : 1;
}

// `format reply`: each stdin line is one line of text.
int run_format_reply(int code, const std::string& enhanced, const smtpspec::format_options& opts, bool json) {
  std::optional<smtpspec::enhanced_status> status;
  if (!enhanced.empty()) {
    auto s = smtpspec::parse_enhanced_status(enhanced);
    if (!s.ok()) {
      std::cerr << smtpspec::to_json(s) << '\n';
      return 2;
    }
    status = s.value();
  }
  std::vector<std::string> text;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    text.push_back(line);
  }
  const std::vector<std::string_view> views(text.begin(), text.end());
  const auto r = smtpspec::format_reply(code, status, views, opts);
  if (json) std::cout << smtpspec::to_json(r) << '\n';
  else if (r.ok()) std::cout << r->text;
  else std::cerr << smtpspec::to_json(r) << '\n';
  return r.ok() ? 0 : 1;
}

}  // namespace

namespace {

// `smtpspec transcript read|detect`: the whole file through transcript::read (detect: its first 64 KiB).
int run_transcript_read(const std::string& format, const std::string& file, const std::string& output) {
  namespace t = smtpspec::transcript;
  std::ifstream in;
  std::istream* src = &std::cin;
  if (file != "-") {
    in.open(file, std::ios::binary);
    if (!in) {
      std::cerr << "smtpspec transcript: cannot read " << file << '\n';
      return 2;
    }
    src = &in;
  }
  std::string text;
  if (output == "detect") {
    text.resize(1 << 16);
    src->read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(src->gcount()));
    const auto d = t::detect_format(text);
    std::cout << t::to_json(d) << '\n';
    return d.fmt ? 0 : 1;
  }
  t::options o;
  if (!format.empty()) o.fmt = t::format_from_name(format);
  text.assign(std::istreambuf_iterator<char>(*src), std::istreambuf_iterator<char>());
  const auto tr = t::read(text, o);
  if (output == "raw") std::cout << t::to_raw(tr.events);
  else std::cout << t::to_json(tr) << '\n';
  for (const auto& e : tr.errors)
    std::cerr << file << ":" << e.line << ": " << t::info(e.id).text << " [" << t::to_string(e.id) << "]\n";
  return tr.ok() ? 0 : 1;
}

// `smtpspec lint FILE… | -`: each input streamed through transcript::reader into a lint::linter
// (bounded memory, so 1 GB captures work). Exit status: 1 when an error-level finding exists, 2 for
// usage or reader errors.
struct lint_cli {
  std::vector<std::string> files;
  std::string format = "text", transcript_format, output;
  std::vector<std::string> select, ignore;
  bool lmtp = false, show_undecidable = false;
};

int run_lint(const lint_cli& c) {
  namespace t = smtpspec::transcript;
  namespace l = smtpspec::lint;
  l::lint_options lo;
  lo.select = c.select;
  lo.ignore = c.ignore;
  lo.lmtp = c.lmtp;
  lo.show_undecidable = c.show_undecidable;
  for (const auto* list : {&c.select, &c.ignore})
    for (const auto& id : *list)
      if (!id.ends_with("*") && !l::rule_from_name(id)) {
        std::cerr << "smtpspec lint: unknown rule id " << id << '\n';
        return 2;
      }
  std::vector<l::report> reports;
  reports.reserve(c.files.size());
  int rc = 0;
  const bool tty = ::isatty(2) == 1;
  for (const auto& file : c.files) {
    std::ifstream in;
    std::istream* src = &std::cin;
    std::uint64_t total = 0;
    if (file != "-") {
      in.open(file, std::ios::binary | std::ios::ate);
      if (!in) {
        std::cerr << "smtpspec lint: cannot read " << file << '\n';
        return 2;
      }
      total = static_cast<std::uint64_t>(in.tellg());
      in.seekg(0);
      src = &in;
    }
    t::options o;
    if (!c.transcript_format.empty()) o.fmt = t::format_from_name(c.transcript_format);
    t::reader rd(o);
    l::linter lt(lo, o.fmt);
    std::string buf(1 << 20, '\0');
    std::uint64_t done = 0;
    bool progress = tty && total > (std::uint64_t{64} << 20);
    auto drain = [&]() {
      lt.set_format(rd.current_format());
      for (const auto& e : rd.events()) lt.feed(e);
      for (const auto& e : rd.errors()) {
        std::cerr << file << ":" << e.line << ": " << t::info(e.id).text << " [" << t::to_string(e.id) << "]\n";
        rc = 2;
      }
      rd.clear();
    };
    while (*src) {
      src->read(buf.data(), static_cast<std::streamsize>(buf.size()));
      const auto n = static_cast<std::size_t>(src->gcount());
      if (n == 0) break;
      rd.feed(std::string_view(buf.data(), n));
      drain();
      done += n;
      if (progress) std::cerr << "\r" << file << ": " << (done * 100 / total) << "%" << std::flush;
    }
    rd.finish();
    drain();
    if (progress) std::cerr << "\r\033[K";
    if (!rd.current_format()) {
      std::cerr << file << ": not a transcript format smtpspec reads (try --transcript-format)\n";
      rc = 2;
    }
    lt.finish();
    reports.push_back(lt.take());
  }
  std::vector<l::named_report> named;
  for (std::size_t i = 0; i < reports.size(); ++i) named.push_back({c.files[i], &reports[i]});
  std::string out;
  if (c.format == "json") {
    if (reports.size() == 1) out = l::to_json(reports[0]) + "\n";
    else
      for (const auto& r : reports) out += l::to_json(r) + "\n";
  } else if (c.format == "junit") {
    out = l::to_junit(named);
  } else if (c.format == "sarif") {
    out = l::to_sarif(named) + "\n";
  } else {
    for (const auto& n : named) out += l::to_text(*n.r, n.file);
  }
  if (c.output.empty()) {
    std::cout << out;
  } else {
    std::ofstream of(c.output, std::ios::binary);
    if (!of) {
      std::cerr << "smtpspec lint: cannot write " << c.output << '\n';
      return 2;
    }
    of << out;
  }
  if (rc != 0) return rc;
  for (const auto& r : reports)
    if (r.has_errors()) return 1;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"smtpspec " SMTPSPEC_VERSION_STRING " - RFC 5321 commands, paths, mailboxes and domains"};
  app.require_subcommand(1);

  auto* parse = app.add_subcommand("parse", "Parse inputs from stdin, one per line; print canonical JSON per line.\n"
                                            "Exit status: 0 all valid, 1 some invalid, 2 usage error.");
  parse->require_subcommand(1);
  bool lenient = false;
  bool smtputf8 = false;
  std::string role = "any";
  std::string verb_name = "MAIL";
  for (const char* kind : {"command", "path", "mailbox", "domain", "params"}) {
    std::string help = std::string("Parse each stdin line as a ") + kind;
    auto* sub = parse->add_subcommand(kind, help);
    sub->add_flag("--lenient", lenient, "Accept what Postfix/Haraka accept; report each deviation as a diagnostic");
    sub->add_flag("--smtputf8", smtputf8,
                  "RFC 6531: UTF-8 in local parts and U-labels in domains (IDNA2008); without it any non-ASCII "
                  "octet is an error");
    if (std::string(kind) == "path") {
      sub->add_option("--role", role, "Which path forms to accept: any, reverse (MAIL), forward (RCPT)")
          ->check(CLI::IsMember({"any", "reverse", "forward"}));
    }
    if (std::string(kind) == "params") {
      // What follows a MAIL/RCPT path and its SP, e.g. "SIZE=1000 BODY=8BITMIME" (parse_esmtp_params).
      sub->description("Parse each stdin line as the ESMTP parameters of a MAIL or RCPT command");
      sub->add_option("--verb", verb_name, "The command the parameters belong to: MAIL (default) or RCPT")
          ->check(CLI::IsMember({"MAIL", "RCPT"}));
    }
    sub->callback([&lenient, &smtputf8, &role, &verb_name, k = std::string(kind)]() {
      std::exit(run_parse(k, lenient, smtputf8, role, verb_name));
    });
  }

  smtpspec::reply_parse_options reply_opts;
  bool ehlo = false;
  auto* reply = parse->add_subcommand("reply", "Read a reply stream (server to client) on stdin; print canonical JSON per reply.\n"
                                               "Exit status: 1 when a reply has an error diagnostic.");
  reply->add_option("--max-line", reply_opts.max_line, "Octets per line including CRLF (RFC 5321 §4.5.3.1.5)");
  reply->add_option("--max-lines", reply_opts.max_lines, "Lines kept per reply");
  reply->add_flag("--ehlo", ehlo, "Read each reply as an EHLO reply: domain, greeting, keywords");
  reply->callback([&]() { std::exit(run_parse_reply(reply_opts, ehlo)); });

  auto* format = app.add_subcommand("format", "Format protocol elements");
  format->require_subcommand(1);
  int fmt_code = 250;
  std::string fmt_enhanced;
  bool fmt_neutralise = false, fmt_plain = false, fmt_json = false;
  smtpspec::format_options fmt_opts;
  auto* freply = format->add_subcommand("reply", "Format a reply: one stdin line per line of text (wrapped at --max-line).\n"
                                                 "Exit status: 1 when the input is refused.");
  freply->add_option("code", fmt_code, "Reply code, e.g. 550")->required();
  freply->add_option("--enhanced", fmt_enhanced, "Enhanced status code written on every line, e.g. 5.1.1");
  freply->add_flag("--no-enhanced-codes", fmt_plain, "Omit the enhanced code (no ENHANCEDSTATUSCODES)");
  freply->add_flag("--neutralise", fmt_neutralise, "Replace CR, LF, NUL and other forbidden octets by SP instead of refusing");
  freply->add_flag("--utf8", fmt_opts.utf8, "Allow 8-bit text (SMTPUTF8)");
  freply->add_option("--max-line", fmt_opts.max_line, "Octets per line including CRLF");
  freply->add_flag("--json", fmt_json, "Print the canonical JSON instead of the wire text");
  freply->callback([&]() {
    fmt_opts.enhanced_codes = !fmt_plain;
    if (fmt_neutralise) fmt_opts.policy = smtpspec::text_policy::neutralise;
    std::exit(run_format_reply(fmt_code, fmt_enhanced, fmt_opts, fmt_json));
  });

  std::string dsn_query;
  bool dsn_json = false;
  auto* dsn = app.add_subcommand("dsn", "Explain an enhanced status code (5.1.1, X.1.1), a haraka-dsn function name\n"
                                        "(no_such_user) or a reply code (550). Exit status: 1 when unknown.");
  dsn->add_option("query", dsn_query, "5.1.1, X.7.1, no_such_user, 550")->required();
  dsn->add_flag("--json", dsn_json, "Print JSON");
  dsn->callback([&]() {
    const auto e = smtpspec::dsn::explain(dsn_query);
    if (dsn_json) std::cout << smtpspec::dsn::to_json(e) << '\n';
    else std::cout << smtpspec::dsn::to_text(e);
    std::exit(e.found ? 0 : 1);
  });

  auto* milter = app.add_subcommand("milter", "Milter protocol tools (sendmail milter v2-6)");
  milter->require_subcommand(1);
  std::string milter_dir = "both", milter_file;
  std::uint32_t milter_max = smtpspec::milter::default_max_payload;
  auto* mdecode = milter->add_subcommand("decode", "Decode a captured milter byte stream; print one JSON object per packet.\n"
                                                   "Exit status: 1 when the stream has an error (printed last).");
  mdecode->add_option("--direction", milter_dir,
                      "mta: bytes the MTA sent; filter: bytes the filter sent; both: a whole conversation in time order")
      ->check(CLI::IsMember({"mta", "filter", "both"}));
  mdecode->add_option("--max-payload", milter_max, "Largest payload accepted (default 65535)");
  mdecode->add_option("file", milter_file, "Capture file, or - for stdin")->required();
  mdecode->callback([&]() { std::exit(run_milter_decode(milter_dir, milter_file, milter_max)); });
  auto* mcat = milter->add_subcommand("catalogue", "Print the milter packets, flags and error codes as JSON");
  mcat->callback([]() {
    std::cout << smtpspec::milter::catalogue_json() << '\n';
    std::exit(0);
  });

  // `smtpspec transcript`: the transcript readers (include/smtpspec/transcript.hpp).
  auto* tr = app.add_subcommand("transcript", "Read recorded SMTP conversations (the linter's input)");
  tr->require_subcommand(1);
  std::string tr_format, tr_file, tr_output = "json";
  auto* tread = tr->add_subcommand("read", "Read a transcript and print its canonical JSON (events, notes, errors).\n"
                                            "Exit status: 1 when the reader reported errors, 2 on usage errors.");
  std::vector<std::string> tr_names;
  for (const auto& f : smtpspec::transcript::format_catalogue()) tr_names.emplace_back(f.name);
  tread->add_option("--format", tr_format, "The transcript format (default: detect)")->check(CLI::IsMember(tr_names));
  tread->add_option("--output", tr_output, "json (canonical JSON) or raw (the smtpspec raw capture form)")
      ->check(CLI::IsMember({"json", "raw"}));
  tread->add_option("file", tr_file, "Transcript file, or - for stdin")->required();
  tread->callback([&]() { std::exit(run_transcript_read(tr_format, tr_file, tr_output)); });
  auto* tdetect = tr->add_subcommand("detect", "Print the detected format and its confidence as JSON");
  tdetect->add_option("file", tr_file, "Transcript file, or - for stdin")->required();
  tdetect->callback([&]() { std::exit(run_transcript_read("", tr_file, "detect")); });
  auto* tformats = tr->add_subcommand("formats", "Print the transcript formats (what each keeps and loses) as JSON");
  tformats->callback([]() {
    std::cout << smtpspec::transcript::catalogue_json() << '\n';
    std::exit(0);
  });

  auto* cat = app.add_subcommand("catalogue", "Print the error codes, diagnostic ids and verbs as JSON");
  bool cat_extensions = false;
  cat->add_flag("--extensions", cat_extensions,
                "Print the SMTP service extensions instead (IANA registry: EHLO keyword, RFC, EHLO parameter "
                "syntax, MAIL/RCPT parameters) and the server limits (RFC 9422)");
  cat->callback([&cat_extensions]() {
    std::cout << (cat_extensions ? smtpspec::extension_catalogue_json() : smtpspec::catalogue_json()) << '\n';
    std::exit(0);
  });

  // `smtpspec lint`: RFC-cited findings on recorded conversations (include/smtpspec/lint.hpp).
  lint_cli lc;
  auto* lint = app.add_subcommand("lint", "Check recorded SMTP conversations against the RFCs (rules: conformance/lint/RULES.md).\n"
                                          "Exit status: 1 when an error-level finding exists, 2 on usage or reader errors.");
  lint->add_option("files", lc.files, "Transcript files, or - for stdin")->required();
  lint->add_option("--format", lc.format, "Output: text, json, junit or sarif")
      ->check(CLI::IsMember({"text", "json", "junit", "sarif"}));
  lint->add_option("--select", lc.select, "Only these rule ids (a trailing * matches a prefix: ESC-*)")->delimiter(',');
  lint->add_option("--ignore", lc.ignore, "Skip these rule ids (a trailing * matches a prefix)")->delimiter(',');
  lint->add_option("--transcript-format", lc.transcript_format, "The transcript format (default: detect)")
      ->check(CLI::IsMember(tr_names));
  lint->add_flag("--lmtp", lc.lmtp, "LMTP (RFC 2033): one reply per accepted recipient after the data");
  lint->add_flag("--show-undecidable", lc.show_undecidable,
                 "List the checks the transcript format cannot decide (default: only counted)");
  lint->add_option("-o,--output", lc.output, "Write the report to this file instead of stdout");
  lint->callback([&]() { std::exit(run_lint(lc)); });

  smtpspec::serve::add_subcommand(app);  // `smtpspec serve` (tools/serve/)

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return 0;
}
