// smtpspec serve — a real SMTP/LMTP server on smtpspec::server_session: standalone Asio for the
// sockets, OpenSSL for STARTTLS, delivery into a Maildir (the 250 after DATA only once the message
// file and its directory entry are on disk), optional milters through milter::mta_session.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smtpspec/session.hpp"

namespace CLI {
class App;
}

namespace smtpspec::serve {

enum class log_level : std::uint8_t { error, info, debug };

struct options {
  std::string listen = "127.0.0.1:2525";
  std::string maildir;
  std::string hostname;  // empty: the machine's name
  std::string tls_cert, tls_key;
  std::string auth_users;  // file of user:password lines
  bool auth_plaintext = false;
  std::vector<std::string> accept_domains;     // empty: every recipient is accepted
  std::vector<std::string> reject_recipients;  // 550 5.1.1
  std::vector<std::string> milters;            // inet:HOST:PORT
  bool lmtp = false;
  proxy_protocol proxy = proxy_protocol::none;
  newline_policy bare_newline = newline_policy::reject;
  std::optional<std::uint64_t> max_message_size;
  std::optional<std::size_t> max_recipients;
  std::size_t max_connections = 1000;
  unsigned threads = 1;
  std::string log = "-";  // "-": stderr
  log_level level = log_level::info;
  std::string pid_file;
  bool no_fsync = false;      // benchmarks only: a crash can lose acknowledged messages
  bool raw_delivery = false;  // store the message exactly as received, no headers prepended
  session_limits limits{};    // the config file's "limits"; --max-* override
};

// Reads a JSON config file into `o` (keys: the long options without their dashes, "limits" an
// object of session_limits fields). An unknown key, a wrong type or an unreadable file: the error
// text; nullopt on success.
[[nodiscard]] std::optional<std::string> load_config(const std::string& path, options& o);

// Runs the server until SIGTERM/SIGINT; returns the exit status.
int run(const options& o);

// Adds the `serve` subcommand to the smtpspec command-line tool.
void add_subcommand(CLI::App& app);

}  // namespace smtpspec::serve
