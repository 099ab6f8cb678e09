// Canonical JSON for milter packets, errors, decoded streams, session events and the catalogues
// (schema: conformance/README.md, "Milter"). Same rules as src/json_reply.cpp: fixed key order,
// every key present, null for absent, no white space; strings are received octets, so valid UTF-8
// is copied and each maximal ill-formed subsequence becomes U+FFFD (TextDecoder's and Python's
// errors="replace" answer), which keeps the three surfaces byte-identical.
#include <cstdio>
#include <string>
#include <utility>

#include "json_escape.hpp"
#include "smtpspec/json.hpp"
#include "smtpspec/milter.hpp"

namespace smtpspec::milter {
namespace {

using writer = detail::json_writer;

void flag_names(writer& w, std::uint32_t bits, std::span<const flag_info> table) {
  w.raw("[");
  bool first = true;
  for (unsigned b = 0; b < 32; ++b) {
    const std::uint32_t m = 1U << b;
    if ((bits & m) == 0) continue;
    if (!first) w.raw(",");
    first = false;
    std::string_view name;
    for (const auto& f : table)
      if (f.bit == m) name = f.name;
    if (!name.empty()) {
      w.str(name);
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "0x%08x", m);
      w.str(buf);
    }
  }
  w.raw("]");
}

void write_problems(writer& w, const std::vector<replycode_problem>& ps) {
  w.array(ps, [&](const replycode_problem& p) {
    w.raw("{").key("id", true).str(to_string(p.id)).key("offset").num(p.offset).raw("}");
  });
}

bool has_smtputf8(const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a.size() != 8) continue;
    std::string u = a;
    for (char& c : u)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (u == "SMTPUTF8") return true;
  }
  return false;
}

void write(writer& w, const packet& p) {
  const auto& pi = info(p.kind);
  w.raw("{").key("type", true).str(pi.name).key("code").str(std::string_view(&pi.byte, 1));
  switch (pi.shape) {
    case payload_shape::empty: break;
    case payload_shape::optneg:
      w.key("version").num(p.version).key("actions").num(p.actions).key("protocol").num(p.protocol);
      w.key("action_names");
      flag_names(w, p.actions, action_flags());
      w.key("protocol_names");
      flag_names(w, p.protocol, protocol_flags());
      w.key("symbol_lists").array(p.symbol_lists, [&](const symbol_list& l) {
        w.raw("{").key("stage", true).num(l.stage).key("macros").str(l.macros).raw("}");
      });
      break;
    case payload_shape::macro:
      w.key("stage").str(std::string_view(&p.stage, 1)).key("macros").array(p.macros, [&](const macro_pair& m) {
        w.raw("{").key("name", true).str(m.name).key("value").str(m.value).raw("}");
      });
      break;
    case payload_shape::connect:
      w.key("hostname").str(p.hostname).key("family").str(std::string_view(&p.family, 1)).key("port");
      if (p.family == 'U') w.null().key("address").null();
      else w.num(p.port).key("address").str(p.address);
      break;
    case payload_shape::text:
      w.key(pi.text_key).str(p.text);
      if (p.kind == packet_kind::smfir_replycode) {
        w.key("problems");
        write_problems(w, check_replycode(p.text));
      }
      break;
    case payload_shape::text_args:
      w.key(pi.text_key).str(p.text).key("esmtp_args");
      if (p.esmtp_args) w.str(*p.esmtp_args);
      else w.null();
      break;
    case payload_shape::args: {
      w.key("args").array(p.args, [&](const std::string& a) { w.str(a); });
      // The arguments as the SMTP command they came from, through smtpspec's own grammar: offsets
      // count into "MAIL FROM:" / "RCPT TO:" followed by the strings joined by SP.
      std::string line = p.kind == packet_kind::smfic_mail ? "MAIL FROM:" : "RCPT TO:";
      for (std::size_t i = 0; i < p.args.size(); ++i) {
        if (i > 0) line.push_back(' ');
        line += p.args[i];
      }
      parse_options o;
      o.smtputf8 = has_smtputf8(p.args);
      w.key("smtp").raw(smtpspec::to_json(smtpspec::parse_command(std::string_view(line), o)));
      break;
    }
    case payload_shape::index_header: w.key("index").num(p.index); [[fallthrough]];
    case payload_shape::header: w.key("name").str(p.name).key("value").str(p.value); break;
    case payload_shape::bytes: w.key("length").num(p.data.size()).key("data").str(p.data); break;
  }
  w.raw("}");
}

void write(writer& w, const error& e) {
  w.raw("{").key("code", true).str(to_string(e.code)).key("offset").num(e.offset).key("byte");
  if (e.byte == 0) w.null();
  else w.num(static_cast<unsigned>(static_cast<unsigned char>(e.byte)));
  w.key("message").str(error_catalogue()[static_cast<std::size_t>(e.code)].message).raw("}");
}

void write_opt(writer& w, const std::optional<error>& e) {
  if (e) write(w, *e);
  else w.null();
}

void write_macros(writer& w, const std::vector<macro_pair>& ms) {
  w.array(ms, [&](const macro_pair& m) { w.raw("{").key("name", true).str(m.name).key("value").str(m.value).raw("}"); });
}

}  // namespace

std::string to_json(const packet& p) {
  writer w;
  write(w, p);
  return std::move(w.out);
}

std::string to_json(const error& e) {
  writer w;
  write(w, e);
  return std::move(w.out);
}

std::string to_json(const decoded_stream& s) {
  writer w;
  w.raw("{").key("packets", true).array(s.packets, [&](const packet& p) { write(w, p); }).key("error");
  write_opt(w, s.error);
  w.raw("}");
  return std::move(w.out);
}

std::string to_json(const filter_event& e) {
  static constexpr std::string_view names[] = {"negotiated", "command", "closed", "error"};
  writer w;
  w.raw("{").key("event", true).str(names[static_cast<std::size_t>(e.kind)]).key("packet");
  if (e.kind == filter_event::type::command || e.kind == filter_event::type::negotiated ||
      (e.kind == filter_event::type::closed && e.command.kind == packet_kind::smfic_quit))
    write(w, e.command);
  else
    w.null();
  w.key("macros");
  write_macros(w, e.macros);
  w.key("reply_expected").boolean(e.reply_expected).key("error");
  write_opt(w, e.error);
  w.raw("}");
  return std::move(w.out);
}

std::string to_json(const mta_event& e) {
  static constexpr std::string_view names[] = {"negotiated", "progress", "modification", "reply", "shutdown", "error"};
  writer w;
  w.raw("{").key("event", true).str(names[static_cast<std::size_t>(e.kind)]).key("packet");
  if (e.kind == mta_event::type::error) w.null().key("answers").null();
  else {
    write(w, e.reply);
    w.key("answers").str(to_string(e.answers));
  }
  w.key("problems");
  write_problems(w, e.problems);
  w.key("error");
  write_opt(w, e.error);
  w.raw("}");
  return std::move(w.out);
}

std::string to_json(const negotiated& n) {
  writer w;
  w.raw("{").key("version", true).num(n.version).key("actions").num(n.actions).key("protocol").num(n.protocol);
  w.key("offered_protocol").num(n.offered_protocol).key("max_payload").num(n.max_payload);
  w.key("symbol_lists").array(n.symbol_lists, [&](const symbol_list& l) {
    w.raw("{").key("stage", true).num(l.stage).key("macros").str(l.macros).raw("}");
  });
  w.raw("}");
  return std::move(w.out);
}

std::string catalogue_json() {
  static constexpr std::string_view dirs[] = {"to_filter", "to_mta"};
  static constexpr std::string_view shapes[] = {"empty", "optneg", "macro", "connect", "text",
                                                "args", "header", "index_header", "text_args", "bytes"};
  static constexpr std::string_view kinds[] = {"action", "skip", "no_reply", "capability", "format", "internal"};
  writer w;
  w.raw("{").key("packets", true).array(packet_catalogue(), [&](const packet_info& p) {
    w.raw("{").key("name", true).str(p.name).key("code").str(std::string_view(&p.byte, 1));
    w.key("direction").str(dirs[static_cast<std::size_t>(p.direction)]).key("since").num(p.since);
    w.key("shape").str(shapes[static_cast<std::size_t>(p.shape)]).key("text_key");
    if (p.text_key.empty()) w.null();
    else w.str(p.text_key);
    w.key("action").num(p.action).raw("}");
  });
  const auto flags = [&](std::span<const flag_info> t) {
    w.array(t, [&](const flag_info& f) {
      w.raw("{").key("name", true).str(f.name).key("bit").num(f.bit).key("since").num(f.since);
      w.key("kind").str(kinds[static_cast<std::size_t>(f.kind)]).raw("}");
    });
  };
  w.key("actions");
  flags(action_flags());
  w.key("protocol");
  flags(protocol_flags());
  w.key("errors").array(error_catalogue(), [&](const error_info& e) {
    w.raw("{").key("code", true).str(e.name).key("message").str(e.message).raw("}");
  });
  w.key("replycode_problems").array(replycode_problem_catalogue(), [&](const replycode_problem_info& p) {
    w.raw("{").key("id", true).str(p.name).key("message").str(p.message).raw("}");
  });
  w.raw("}");
  return std::move(w.out);
}

}  // namespace smtpspec::milter
