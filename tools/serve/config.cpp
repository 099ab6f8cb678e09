// smtpspec serve — the JSON config file and the command-line options.
#include <fstream>
#include <iterator>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "../../src/session_fields.hpp"  // the session_config field and enum names (one table)
#include "serve.hpp"

namespace smtpspec::serve {

namespace {

using json = nlohmann::json;

// The names of a session enum (src/session_fields.hpp) as an error text lists them: "a, b or c".
template <class E>
std::string names_of() {
  std::string out;
  const auto& rows = bindings::enum_names<E>::rows;
  for (std::size_t i = 0; i < std::size(rows); ++i) {
    if (i > 0) out += i + 1 == std::size(rows) ? " or " : ", ";
    out += rows[i].first;
  }
  return out;
}

template <class E>
std::vector<std::string> name_list() {
  std::vector<std::string> out;
  for (const auto& [n, e] : bindings::enum_names<E>::rows) out.emplace_back(n);
  return out;
}

std::optional<log_level> level_from(std::string_view s) {
  if (s == "error") return log_level::error;
  if (s == "info") return log_level::info;
  if (s == "debug") return log_level::debug;
  return std::nullopt;
}

// A string or a list of strings.
std::vector<std::string> strings(const json& v) {
  if (v.is_string()) return {v.get<std::string>()};
  return v.get<std::vector<std::string>>();
}

std::optional<std::string> load_limits(const json& j, session_limits& l) {
  if (!j.is_object()) return std::string("\"limits\" must be an object");
  for (const auto& [key, v] : j.items()) {
    if (!v.is_number_unsigned()) return "limits." + key + " must be a non-negative integer";
    bool found = false;
    bindings::visit_limits(l, [&](const char* name, auto& f) {
      if (key != name) return;
      found = true;
      f = v.get<std::remove_reference_t<decltype(f)>>();
    });
    if (found) continue;
    return "unknown key limits." + key;
  }
  return std::nullopt;
}

std::optional<std::string> load_key(const std::string& key, const json& v, options& o) {
  // "tls-cert", "tls_cert" and "tlscert" are the same key.
  std::string k;
  for (const char c : key)
    if (c != '-' && c != '_') k.push_back(c);
  const auto text = [&](std::string& dst) -> std::optional<std::string> {
    if (!v.is_string()) return key + " must be a string";
    dst = v.get<std::string>();
    return std::nullopt;
  };
  const auto flag = [&](bool& dst) -> std::optional<std::string> {
    if (!v.is_boolean()) return key + " must be true or false";
    dst = v.get<bool>();
    return std::nullopt;
  };
  const auto list = [&](std::vector<std::string>& dst) -> std::optional<std::string> {
    if (!v.is_string() && !(v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); })))
      return key + " must be a string or a list of strings";
    dst = strings(v);
    return std::nullopt;
  };
  const auto number = [&](auto& dst) -> std::optional<std::string> {
    if (!v.is_number_unsigned()) return key + " must be a non-negative integer";
    dst = v.get<std::remove_reference_t<decltype(dst)>>();
    return std::nullopt;
  };
  if (k == "listen") return text(o.listen);
  if (k == "maildir") return text(o.maildir);
  if (k == "hostname") return text(o.hostname);
  if (k == "tlscert") return text(o.tls_cert);
  if (k == "tlskey") return text(o.tls_key);
  if (k == "authusers") return text(o.auth_users);
  if (k == "authplaintext") return flag(o.auth_plaintext);
  if (k == "acceptdomain") return list(o.accept_domains);
  if (k == "rejectrecipient") return list(o.reject_recipients);
  if (k == "milter") return list(o.milters);
  if (k == "lmtp") return flag(o.lmtp);
  if (k == "nofsync") return flag(o.no_fsync);
  if (k == "rawdelivery") return flag(o.raw_delivery);
  if (k == "log") return text(o.log);
  if (k == "pidfile") return text(o.pid_file);
  if (k == "maxconnections") return number(o.max_connections);
  if (k == "threads") return number(o.threads);
  if (k == "maxmessagesize") {
    std::uint64_t n = 0;
    if (auto e = number(n)) return e;
    o.max_message_size = n;
    return std::nullopt;
  }
  if (k == "maxrecipients") {
    std::size_t n = 0;
    if (auto e = number(n)) return e;
    o.max_recipients = n;
    return std::nullopt;
  }
  if (k == "proxy" || k == "barenewline" || k == "loglevel") {
    if (!v.is_string()) return key + " must be a string";
    const auto s = v.get<std::string>();
    if (k == "proxy") {
      if (auto p = bindings::enum_from_name<proxy_protocol>(s)) o.proxy = *p;
      else return "proxy must be " + names_of<proxy_protocol>();
    } else if (k == "barenewline") {
      if (auto p = bindings::enum_from_name<newline_policy>(s)) o.bare_newline = *p;
      else return "bare-newline must be " + names_of<newline_policy>();
    } else {
      if (auto p = level_from(s)) o.level = *p;
      else return "log-level must be error, info or debug";
    }
    return std::nullopt;
  }
  if (k == "limits") return load_limits(v, o.limits);
  return "unknown key " + key;
}

}  // namespace

std::optional<std::string> load_config(const std::string& path, options& o) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read config file " + path;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return "config file " + path + " is not valid JSON";
  if (!j.is_object()) return "config file " + path + " must hold a JSON object";
  try {
    for (const auto& [key, v] : j.items())
      if (auto e = load_key(key, v, o)) return "config file " + path + ": " + *e;
  } catch (const json::exception& e) {
    return "config file " + path + ": " + e.what();
  }
  return std::nullopt;
}

void add_subcommand(CLI::App& app) {
  // Values from the command line, applied over the config file's when given.
  struct cli_values {
    options o;
    std::string config, proxy = "none", bare_newline = "reject", level = "info";
    std::uint64_t max_message_size = 0;
    std::size_t max_recipients = 0;
  };
  auto v = std::make_shared<cli_values>();
  auto* sub = app.add_subcommand("serve", "Run an SMTP (or LMTP) server on smtpspec's session, delivering into a Maildir");
  sub->footer(
      "Each accepted message is written to DIR/tmp, fsynced, renamed into DIR/new and the directory\n"
      "fsynced before the 250 goes out. The file holds the message as received (after dot-unstuffing)\n"
      "with two header lines prepended, each one physical line ending in CRLF, never folded:\n"
      "  Return-Path: <sender>\n"
      "  Received: from HELO (REMOTE-NAME [ADDR]) by HOST (smtpspec) with PROTO id ID [for <rcpt>]; DATE\n"
      "(--raw-delivery: nothing prepended). When ready it prints one line on stdout:\n"
      "  smtpspec serve listening on ADDR:PORT\n"
      "SIGTERM/SIGINT: stop accepting, 421 to idle clients, drop partial messages, exit 0.\n"
      "A certificate for tests: openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \\\n"
      "  -keyout key.pem -out cert.pem");
  auto& o = v->o;
  sub->add_option("--listen", o.listen, "ADDR:PORT to listen on (port 0: any free port)")->capture_default_str();
  sub->add_option("--maildir", o.maildir, "Maildir to deliver into (created when missing)");
  sub->add_option("--hostname", o.hostname, "Name in the greeting, EHLO reply and Received: (default: the host's)");
  sub->add_option("--config", v->config,
                  "JSON file with the long options' names as keys (\"tls-cert\", \"max-recipients\", …) and "
                  "\"limits\" (session_limits fields); command-line options override it");
  sub->add_option("--tls-cert", o.tls_cert, "PEM certificate (chain) for STARTTLS");
  sub->add_option("--tls-key", o.tls_key, "PEM private key for STARTTLS");
  sub->add_option("--auth-users", o.auth_users, "File of user:password lines; enables AUTH PLAIN and LOGIN");
  sub->add_flag("--auth-plaintext", o.auth_plaintext, "Offer AUTH without TLS too");
  sub->add_option("--accept-domain", o.accept_domains,
                  "Accept recipients in this domain only (repeatable; default: every recipient)");
  sub->add_option("--reject-recipient", o.reject_recipients, "Refuse this recipient with 550 5.1.1 (repeatable)");
  sub->add_option("--milter", o.milters, "Milter to consult, inet:HOST:PORT (repeatable)");
  sub->add_flag("--lmtp", o.lmtp, "Speak LMTP (RFC 2033): LHLO, a reply per recipient after DATA");
  sub->add_option("--proxy", v->proxy, "PROXY protocol header expected before the greeting")
      ->check(CLI::IsMember(name_list<proxy_protocol>()));
  sub->add_option("--bare-newline", v->bare_newline, "Bare LF / bare CR: reject (default), normalize, accept")
      ->check(CLI::IsMember(name_list<newline_policy>()));
  sub->add_option("--max-message-size", v->max_message_size, "Largest message in octets (SIZE; default 10485760)");
  sub->add_option("--max-recipients", v->max_recipients, "Recipients per transaction (default 1000)");
  sub->add_option("--max-connections", o.max_connections, "Concurrent connections; more get 421 4.3.2")
      ->capture_default_str();
  sub->add_option("--threads", o.threads, "Threads running the event loop")->capture_default_str();
  sub->add_option("--log", o.log, "Log file, or - for stderr (one line per event)");
  sub->add_option("--log-level", v->level, "error, info (default) or debug")
      ->check(CLI::IsMember({"error", "info", "debug"}));
  sub->add_option("--pid-file", o.pid_file, "Write the process id here");
  sub->add_flag("--no-fsync", o.no_fsync,
                "UNSAFE, for benchmarks only: no fsync before the 250, so a crash or power loss can lose "
                "messages the server acknowledged");
  sub->add_flag("--raw-delivery", o.raw_delivery, "Store the message exactly as received, no headers prepended");
  sub->callback([v, sub]() {
    options r;
    if (!v->config.empty()) {
      if (auto e = load_config(v->config, r)) {
        std::fprintf(stderr, "smtpspec serve: %s\n", e->c_str());
        std::exit(2);
      }
    }
    const auto given = [sub](const char* name) { return sub->count(name) > 0; };
    const auto& c = v->o;
    if (given("--listen")) r.listen = c.listen;
    if (given("--maildir")) r.maildir = c.maildir;
    if (given("--hostname")) r.hostname = c.hostname;
    if (given("--tls-cert")) r.tls_cert = c.tls_cert;
    if (given("--tls-key")) r.tls_key = c.tls_key;
    if (given("--auth-users")) r.auth_users = c.auth_users;
    if (given("--auth-plaintext")) r.auth_plaintext = true;
    if (given("--accept-domain")) r.accept_domains = c.accept_domains;
    if (given("--reject-recipient")) r.reject_recipients = c.reject_recipients;
    if (given("--milter")) r.milters = c.milters;
    if (given("--lmtp")) r.lmtp = true;
    if (given("--proxy")) r.proxy = *bindings::enum_from_name<proxy_protocol>(v->proxy);
    if (given("--bare-newline")) r.bare_newline = *bindings::enum_from_name<newline_policy>(v->bare_newline);
    if (given("--max-message-size")) r.max_message_size = v->max_message_size;
    if (given("--max-recipients")) r.max_recipients = v->max_recipients;
    if (given("--max-connections")) r.max_connections = c.max_connections;
    if (given("--threads")) r.threads = c.threads;
    if (given("--log")) r.log = c.log;
    if (given("--log-level")) r.level = *level_from(v->level);
    if (given("--pid-file")) r.pid_file = c.pid_file;
    if (given("--no-fsync")) r.no_fsync = true;
    if (given("--raw-delivery")) r.raw_delivery = true;
    if (r.maildir.empty()) {
      std::fprintf(stderr, "smtpspec serve: --maildir is required (on the command line or in the config file)\n");
      std::exit(2);
    }
    std::exit(run(r));
  });
}

}  // namespace smtpspec::serve
