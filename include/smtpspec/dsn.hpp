// smtpspec — the DSN catalogue: haraka-dsn 1.2.1's helpers as data (catalogue/dsn.inc), its reply
// objects reproduced exactly, and `explain` (what `smtpspec dsn <code|name>` prints).
//
// "DSN" here is haraka's name for an SMTP reply with an enhanced status code, not an RFC 3464
// delivery status notification. haraka-dsn's object model, which this reproduces:
//   code        the caller's code if /^[245]\d{2}/ matches it (not end-anchored), else the
//               helper's default (450 for create())
//   msg         the caller's message, or the helper's own default text when the caller's is
//               empty/absent (`msg || '…'`)
//   cls         the first digit of code; sub, det: the helper's subject and detail
//   default_msg haraka's text for X.sub.det (not always the IANA text), or ""
//   reply       "<cls>.<sub>.<det> " + sanitize(msg || default_msg); one per element when msg is
//               a list. sanitize removes every C0 control and DEL.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smtpspec/enhanced_status.hpp"
#include "smtpspec/reply.hpp"

namespace smtpspec::dsn {

inline constexpr std::string_view haraka_dsn_version = "1.2.1";

// One helper of haraka-dsn (or an alias row: alias_of names the helper it calls).
struct function_info {
  std::string_view name;
  std::string_view section;      // haraka's source heading: "addr_*", "RFC4954", …
  int default_code;
  unsigned subject;
  unsigned detail;
  std::string_view default_msg;  // the helper's own `msg || '…'` text; "" when none
  std::string_view alias_of;     // "" for haraka's own helpers
  std::string_view note;         // why an alias exists
};

// haraka-dsn's own X.sub.det text table.
struct text_info {
  unsigned subject;
  unsigned detail;
  std::string_view text;
  std::string_view rfc;  // "" where haraka's source names none (RFC 3463)
};

// haraka's 71 helpers in source order, then the alias rows.
[[nodiscard]] std::span<const function_info> function_catalogue() noexcept;
[[nodiscard]] std::span<const text_info> text_catalogue() noexcept;
// Exact (case-sensitive, as JavaScript property names are); nullptr when unknown.
[[nodiscard]] const function_info* find_function(std::string_view name) noexcept;

// haraka's default_msg for X.subject.detail, "" when its table has none.
[[nodiscard]] std::string_view default_text(unsigned subject, unsigned detail) noexcept;
// The same for subject and detail as JavaScript property keys (String(sub)): only canonical
// decimal indexes ("7", not "07" or "7.0") find a text.
[[nodiscard]] std::string_view default_text(std::string_view subject, std::string_view detail) noexcept;

// haraka-utils sanitize(): removes every octet 0x00-0x1F and 0x7F.
[[nodiscard]] std::string sanitize(std::string_view text);

// A message: one text, or a list (a multi-line reply).
using message = std::variant<std::string, std::vector<std::string>>;

// haraka-dsn's DSN object.
struct dsn_reply {
  std::string code;               // the code as used, as text ("550", or the caller's "5500")
  bool code_from_caller = false;  // the caller's code matched /^[245]\d{2}/
  std::optional<message> msg;     // as the object holds it (a helper's default applied)
  unsigned cls = 4;
  std::string sub = "0";          // as haraka writes them into reply
  std::string det = "0";
  std::string_view default_msg;
  std::vector<std::string> reply;  // one entry, or one per element of a list msg
  bool reply_is_list = false;

  [[nodiscard]] int basic_code() const noexcept;          // the first three digits of code
  [[nodiscard]] std::string to_string() const;            // toString(): reply, or the list joined by "\n"
  [[nodiscard]] std::optional<enhanced_status> status() const noexcept;  // cls.sub.det if valid
};

// haraka's DSN.<name>(msg, code); nullopt for an unknown name. An empty text message counts as
// absent (haraka: `msg || …`); a list never does. `code` is what String(code) gives in JavaScript.
[[nodiscard]] std::optional<dsn_reply> make(std::string_view function_name, const std::optional<message>& msg = {},
                                            std::optional<std::string_view> code = {});
// haraka's DSN.create(code, msg, subject, detail).
[[nodiscard]] dsn_reply create(std::optional<std::string_view> code, const std::optional<message>& msg = {},
                               unsigned subject = 0, unsigned detail = 0);
// The same with subject and detail as JavaScript would print them (String(subject || 0)).
[[nodiscard]] dsn_reply create_text(std::optional<std::string_view> code, const std::optional<message>& msg,
                                    std::string_view subject, std::string_view detail);

// haraka's own enumerable fields, in its order:
// {"code":N|S,"msg":null|S|[S…],"cls":N,"sub":N|S,"det":N|S,"default_msg":S,"reply":S|[S…]}
// (code, sub and det are numbers when they are plain decimal numbers).
[[nodiscard]] std::string to_json(const dsn_reply& d);
// {"version":"1.2.1","functions":[…],"texts":[…]}
[[nodiscard]] std::string catalogue_json();

// ---- explain: what `smtpspec dsn <query>` prints ---------------------------------------------

enum class query_kind : unsigned char {
  none,             // not understood
  enhanced_status,  // "5.1.1", or a registry key "X.1.1"
  dsn_function,     // "no_such_user"
  reply_code,       // "550"
};

struct explanation {
  std::string query;
  query_kind kind = query_kind::none;
  bool found = false;  // the code is registered / the name exists / the basic code is standard
  std::optional<enhanced_status> status;                // absent for "X.s.d" and basic codes
  const status_class_info* class_info = nullptr;
  const status_subject_info* subject_info = nullptr;
  const enhanced_status_info* registry = nullptr;
  const function_info* function = nullptr;
  std::optional<dsn_reply> dsn;                         // the helper called without arguments
  std::vector<std::string_view> dsn_functions;          // helpers that use X.subject.detail
  const standard_reply_info* standard = nullptr;        // basic code (or the default reply's)
  std::vector<const reply_sequence_info*> sequences;    // where §4.3.2 lists the basic code
  std::optional<std::string> default_reply;             // "550 5.1.1 Bad destination mailbox address"
};

[[nodiscard]] explanation explain(std::string_view query);
[[nodiscard]] std::string to_json(const explanation& e);
// A few readable lines (for the CLI).
[[nodiscard]] std::string to_text(const explanation& e);

}  // namespace smtpspec::dsn
