// smtpspec — the server session's names, its diagnostic catalogue and the canonical JSON of its
// events (conformance/README.md, "Server session").
#include <array>

#include "json_escape.hpp"
#include "smtpspec/session.hpp"

namespace smtpspec {

namespace {

constexpr std::array<std::string_view, hook_count> hook_names{
    "connect", "helo", "ehlo", "capabilities", "mail", "rcpt", "rcpt_ok", "data", "data_post", "queue",
    "rset", "quit", "vrfy", "noop", "help", "unrecognized_command", "auth", "starttls", "disconnect", "deny",
    "xclient", "xforward",
};

constexpr std::array<hook, hook_count> hooks_in_order{
    hook::connect, hook::helo, hook::ehlo, hook::capabilities, hook::mail, hook::rcpt, hook::rcpt_ok,
    hook::data, hook::data_post, hook::queue, hook::rset, hook::quit, hook::vrfy, hook::noop, hook::help,
    hook::unrecognized_command, hook::auth, hook::starttls, hook::disconnect, hook::deny, hook::xclient,
    hook::xforward,
};
static_assert(static_cast<std::size_t>(hook::xforward) + 1 == hook_count);

constexpr std::array<std::string_view, 6> verdict_names{"CONT",     "OK",             "DENY",
                                                         "DENYSOFT", "DENYDISCONNECT", "DISCONNECT"};

constexpr session_diagnostic_info session_diags[] = {
#define SMTPSPEC_SESSION_DIAGNOSTIC(id, sev, rfc, message) \
  {session_diagnostic_id::id, #id, severity::sev, rfc, message},
#include "smtpspec/catalogue/session_diagnostics.inc"
#undef SMTPSPEC_SESSION_DIAGNOSTIC
};

char upper_ascii(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

void params_json(detail::json_writer& w, const std::vector<session_param>& params) {
  w.array(params, [&w](const session_param& p) {
    w.raw("{").key("keyword", true).str(p.keyword).key("value");
    if (p.value) w.str(*p.value);
    else w.null();
    w.raw("}");
  });
}

void event_json(detail::json_writer& w, const session_event& e) {
  w.raw("{").key("kind", true).str(to_string(e.kind));
  switch (e.kind) {
    case event_kind::hook:
      w.key("hook").str(to_string(e.hook));
      w.key("handle").num(e.handle).key("needs_answer").boolean(e.needs_answer);
      w.key("argument").str(e.argument);
      w.key("params");
      params_json(w, e.params);
      if (e.hook == hook::auth) {
        w.key("authzid").str(e.authzid).key("username").str(e.username).key("password").str(e.password);
        w.key("sasl_response");
        if (e.has_sasl_response) w.str(e.sasl_response);
        else w.null();
      }
      if (e.hook == hook::data_post) w.key("data").str(e.data);
      if (e.hook == hook::deny) w.key("verdict").str(to_string(e.verdict)).key("reply").str(e.reply);
      break;
    case event_kind::message_data:
      w.key("data").str(e.data);
      break;
    case event_kind::message_aborted:
      w.key("diagnostic");
      if (e.diagnostic) w.str(to_string(*e.diagnostic));
      else w.null();
      w.key("offset").num(e.offset);
      break;
    case event_kind::diagnostic:
      w.key("id").str(e.diagnostic ? to_string(*e.diagnostic) : std::string_view());
      w.key("offset").num(e.offset);
      break;
    case event_kind::start_tls:
    case event_kind::close:
    case event_kind::slow_down:
      break;
  }
  w.raw("}");
}

}  // namespace

std::string_view to_string(hook h) noexcept {
  const auto i = static_cast<std::size_t>(h);
  return i < hook_names.size() ? hook_names[i] : std::string_view("unknown");
}

std::optional<hook> hook_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < hook_names.size(); ++i)
    if (hook_names[i] == name) return hooks_in_order[i];
  return std::nullopt;
}

std::span<const hook> all_hooks() noexcept { return hooks_in_order; }

std::string_view to_string(verdict v) noexcept {
  const auto i = static_cast<std::size_t>(v);
  return i < verdict_names.size() ? verdict_names[i] : std::string_view("CONT");
}

std::optional<verdict> verdict_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < verdict_names.size(); ++i) {
    const auto n = verdict_names[i];
    if (n.size() != name.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < n.size() && same; ++k) same = upper_ascii(name[k]) == n[k];
    if (same) return static_cast<verdict>(i);
  }
  return std::nullopt;
}

std::string_view to_string(event_kind k) noexcept {
  switch (k) {
    case event_kind::hook: return "hook";
    case event_kind::message_data: return "message_data";
    case event_kind::message_aborted: return "message_aborted";
    case event_kind::start_tls: return "start_tls";
    case event_kind::close: return "close";
    case event_kind::diagnostic: return "diagnostic";
    case event_kind::slow_down: return "slow_down";
  }
  return "hook";
}

std::string_view to_string(session_state s) noexcept {
  switch (s) {
    case session_state::proxy_header: return "proxy_header";
    case session_state::connecting: return "connecting";
    case session_state::command: return "command";
    case session_state::data: return "data";
    case session_state::bdat: return "bdat";
    case session_state::auth: return "auth";
    case session_state::tls_pending: return "tls_pending";
    case session_state::closed: return "closed";
  }
  return "closed";
}

std::span<const session_diagnostic_info> session_diagnostic_catalogue() noexcept { return session_diags; }

const session_diagnostic_info& info(session_diagnostic_id d) noexcept {
  const auto i = static_cast<std::size_t>(d);
  return i < std::size(session_diags) ? session_diags[i] : session_diags[0];
}

std::string_view to_string(session_diagnostic_id d) noexcept { return info(d).name; }

std::string to_json(const session_event& e) {
  detail::json_writer w;
  event_json(w, e);
  return std::move(w.out);
}

std::string to_json(const session_events& events) {
  detail::json_writer w;
  w.array(events, [&w](const session_event& e) { event_json(w, e); });
  return std::move(w.out);
}

// {"diagnostics":[{"id","severity","rfc","message"}…],"hooks":[{"name","needs_answer"}…],
//  "verdicts":["CONT",…]}
std::string session_diagnostic_catalogue_json() {
  detail::json_writer w;
  w.raw("{").key("diagnostics", true);
  w.array(session_diagnostic_catalogue(), [&w](const session_diagnostic_info& d) {
    w.raw("{").key("id", true).str(d.name).key("severity").str(to_string(d.level));
    w.key("rfc").str(d.rfc).key("message").str(d.message).raw("}");
  });
  w.key("hooks");
  w.array(all_hooks(), [&w](hook h) {
    w.raw("{").key("name", true).str(to_string(h)).key("needs_answer").boolean(hook_needs_answer(h)).raw("}");
  });
  w.key("verdicts");
  w.array(verdict_names, [&w](std::string_view v) { w.str(v); });
  w.raw("}");
  return std::move(w.out);
}

}  // namespace smtpspec
