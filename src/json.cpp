// The canonical JSON form (schema: conformance/README.md). Keys in a fixed order, every key
// always present, no white space; strings escaped as: \" \\ \b \f \n \r \t, other octets below
// 0x20 and 0x7F as \u00xx (lower-case hex); everything else as is.
#include <string>

#include "json_escape.hpp"
#include "unicode.hpp"
#include "smtpspec/json.hpp"

namespace smtpspec {
namespace {

void str(std::string& o, std::string_view s) {
  o.push_back('"');
  for (char ch : s) detail::append_json_ascii(o, static_cast<unsigned char>(ch));
  o.push_back('"');
}

void str_or_null(std::string& o, std::string_view s, bool present) {
  if (present) str(o, s);
  else o += "null";
}

void key(std::string& o, std::string_view k) {
  o.push_back('"');
  o += k;
  o += "\":";
}

void write(std::string& o, const domain& d) {
  const bool literal = d.kind != domain_kind::name;
  o += '{';
  key(o, "text"); str(o, d.text);
  o += ','; key(o, "kind"); str(o, to_string(d.kind));
  o += ','; key(o, "tag"); str_or_null(o, d.tag, d.kind == domain_kind::ipv6 || d.kind == domain_kind::general);
  o += ','; key(o, "address"); str_or_null(o, d.address, literal);
  // Canonical forms (RFC 5890 §2.3.2.1): null for literals and for text that is no IDNA name.
  std::string a, u;
  const bool named = !literal && detail::idna_forms(d.text, a, u);
  o += ','; key(o, "ascii"); str_or_null(o, a, named);
  o += ','; key(o, "unicode"); str_or_null(o, u, named);
  o += '}';
}

void write(std::string& o, const std::string& s) { str(o, s); }

void write(std::string& o, const mailbox& m) {
  o += '{';
  key(o, "text"); str(o, m.text);
  o += ','; key(o, "local_part"); str(o, m.local_part);
  o += ','; key(o, "local_part_kind"); str(o, to_string(m.local_kind));
  o += ','; key(o, "local_part_value"); str(o, m.local_part_value());
  o += ','; key(o, "domain"); write(o, m.domain);
  o += '}';
}

void write(std::string& o, const path& p) {
  o += '{';
  key(o, "text"); str(o, p.text);
  o += ','; key(o, "kind"); str(o, to_string(p.kind));
  o += ','; key(o, "source_route"); o += '[';
  for (std::size_t i = 0; i < p.source_route.size(); ++i) {
    if (i) o += ',';
    write(o, p.source_route[i]);
  }
  o += ']';
  o += ','; key(o, "mailbox");
  if (p.kind == path_kind::mailbox || p.kind == path_kind::postmaster_at_domain) write(o, p.mailbox);
  else o += "null";
  o += '}';
}

// PARAM (conformance/README.md, "ESMTP parameters"): keyword and value as written, the
// extension, and the typed value by kind (null for a keyword smtpspec does not type).
void write_typed(std::string& o, const esmtp_param& p) {
  const auto num = [&o](std::string_view k, auto n) { key(o, k); o += std::to_string(n); };
  o += '{';
  switch (p.kind) {
    case param_kind::size: num("size", p.number); break;
    case param_kind::holdfor: num("seconds", p.number); break;
    case param_kind::mt_priority: num("priority", p.integer); break;
    case param_kind::body: key(o, "body"); str(o, to_string(p.body)); break;
    case param_kind::ret: key(o, "ret"); str(o, to_string(p.ret)); break;
    case param_kind::envid: key(o, "envid"); str(o, p.decoded()); break;
    case param_kind::notify: {
      key(o, "notify"); o += '[';
      if (p.notify & notify_never) o += "\"NEVER\"";
      std::string_view sep;
      for (const auto& [bit, name] : {std::pair{notify_success, "SUCCESS"}, std::pair{notify_failure, "FAILURE"},
                                      std::pair{notify_delay, "DELAY"}}) {
        if ((p.notify & bit) == 0) continue;
        o += sep; str(o, name); sep = ",";
      }
      o += ']';
      break;
    }
    case param_kind::orcpt:
      key(o, "addr_type"); str(o, p.addr_type);
      o += ','; key(o, "address"); str(o, p.decoded());
      o += ','; key(o, "encoding"); str(o, to_string(p.encoding));
      break;
    case param_kind::auth: key(o, "mailbox"); str_or_null(o, p.decoded(), p.has_text); break;
    case param_kind::by:
      num("time", p.integer);
      o += ','; key(o, "mode"); str(o, to_string(p.mode));
      o += ','; key(o, "trace"); o += p.trace ? "true" : "false";
      break;
    case param_kind::holduntil: key(o, "until"); str(o, p.text); break;
    case param_kind::rrvs:
      key(o, "time"); str(o, p.text);
      o += ','; key(o, "mode");
      str_or_null(o, p.rrvs == rrvs_action::cont ? "C" : "R", p.rrvs != rrvs_action::none);
      break;
    case param_kind::smtputf8: case param_kind::requiretls: case param_kind::other: break;
  }
  o += '}';
}

void write(std::string& o, const esmtp_param& p) {
  o += '{'; key(o, "keyword"); str(o, p.keyword);
  o += ','; key(o, "value"); str_or_null(o, p.value, p.has_value);
  const auto ext = p.extension();
  o += ','; key(o, "extension"); str_or_null(o, ext ? to_string(*ext) : std::string_view{}, ext.has_value());
  o += ','; key(o, "typed");
  if (p.kind == param_kind::other) o += "null";
  else write_typed(o, p);
  o += '}';
}

void write(std::string& o, const std::vector<esmtp_param>& ps) {
  o += '[';
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (i) o += ',';
    write(o, ps[i]);
  }
  o += ']';
}

void write(std::string& o, const command& c) {
  o += '{';
  key(o, "verb"); str(o, to_string(c.verb));
  switch (c.verb) {
    case verb::ehlo: case verb::helo: case verb::lhlo:
      o += ','; key(o, "domain"); write(o, c.domain);
      break;
    case verb::mail: case verb::rcpt:
      o += ','; key(o, "path"); write(o, c.path);
      o += ','; key(o, "params"); write(o, c.params);
      break;
    case verb::vrfy: case verb::expn: case verb::help: case verb::noop:
      o += ','; key(o, "argument"); str_or_null(o, c.argument, c.has_argument);
      break;
    case verb::auth:
      o += ','; key(o, "mechanism"); str(o, c.mechanism);
      o += ','; key(o, "initial_response"); str_or_null(o, c.initial_response, c.has_initial_response);
      break;
    case verb::bdat:
      o += ','; key(o, "chunk_size"); o += std::to_string(c.chunk_size);
      o += ','; key(o, "last"); o += c.last ? "true" : "false";
      break;
    default:
      break;
  }
  o += '}';
}

void write(std::string& o, const error& e) {
  const auto& i = info(e.code);
  o += '{';
  key(o, "code"); str(o, i.name);
  o += ','; key(o, "offset"); o += std::to_string(e.offset);
  o += ','; key(o, "expected"); str(o, e.expected);
  o += ','; key(o, "rfc"); str(o, e.rfc);
  o += ','; key(o, "reply"); str(o, e.reply);
  o += ','; key(o, "message"); str(o, i.message);
  o += '}';
}

void write(std::string& o, const diagnostics& ds) {
  o += '[';
  for (std::size_t n = 0; n < ds.size(); ++n) {
    const auto& i = info(ds[n].id);
    if (n) o += ',';
    o += '{';
    key(o, "id"); str(o, i.name);
    o += ','; key(o, "severity"); str(o, to_string(i.level));
    o += ','; key(o, "offset"); o += std::to_string(ds[n].offset);
    o += ','; key(o, "rfc"); str(o, i.rfc);
    o += ','; key(o, "message"); str(o, i.message);
    o += '}';
  }
  o += ']';
}

template <class T>
std::string envelope(const result<T>& r, bool verb_key = false, std::string_view verb_name = {}) {
  std::string o;
  o.reserve(256);
  o += '{';
  key(o, "ok"); o += r.ok() ? "true" : "false";
  if (verb_key) {
    o += ','; key(o, "verb"); str_or_null(o, verb_name, !verb_name.empty());
  }
  if (r.ok()) {
    o += ','; key(o, "value"); write(o, r.value());
  } else {
    o += ','; key(o, "error"); write(o, r.error());
  }
  o += ','; key(o, "diagnostics"); write(o, r.diags());
  o += '}';
  return o;
}

}  // namespace

std::string_view to_string(domain_kind k) noexcept {
  switch (k) {
    case domain_kind::name: return "name";
    case domain_kind::ipv4: return "ipv4";
    case domain_kind::ipv6: return "ipv6";
    case domain_kind::general: return "general";
  }
  return "name";
}
std::string_view to_string(local_part_kind k) noexcept {
  return k == local_part_kind::quoted_string ? "quoted_string" : "dot_string";
}
std::string_view to_string(path_kind k) noexcept {
  switch (k) {
    case path_kind::null: return "null";
    case path_kind::postmaster: return "postmaster";
    case path_kind::postmaster_at_domain: return "postmaster_at_domain";
    case path_kind::mailbox: return "mailbox";
  }
  return "mailbox";
}

std::string to_json(const result<domain>& r) { return envelope(r); }
std::string to_json(const result<mailbox>& r) { return envelope(r); }
std::string to_json(const result<path>& r) { return envelope(r); }
std::string to_json(const result<std::vector<esmtp_param>>& r) { return envelope(r); }
std::string to_json(const esmtp_param& p) {
  std::string o;
  write(o, p);
  return o;
}
std::string to_json(const result<std::string>& r) { return envelope(r); }
std::string to_json(const result<command>& r) {
  std::string_view v;
  if (const auto cv = command_verb(r)) v = to_string(*cv);
  return envelope(r, true, v);
}

std::string catalogue_json() {
  std::string o = "{\"errors\":[";
  bool first = true;
  for (const auto& e : error_catalogue()) {
    if (!first) o += ',';
    first = false;
    o += '{'; key(o, "code"); str(o, e.name);
    o += ','; key(o, "rfc"); str(o, e.rfc);
    o += ','; key(o, "reply"); str(o, e.reply);
    o += ','; key(o, "message"); str(o, e.message);
    o += '}';
  }
  o += "],\"diagnostics\":[";
  first = true;
  for (const auto& d : diagnostic_catalogue()) {
    if (!first) o += ',';
    first = false;
    o += '{'; key(o, "id"); str(o, d.name);
    o += ','; key(o, "severity"); str(o, to_string(d.level));
    o += ','; key(o, "rfc"); str(o, d.rfc);
    o += ','; key(o, "message"); str(o, d.message);
    o += '}';
  }
  o += "],\"verbs\":[";
  first = true;
  for (verb v : all_verbs()) {
    if (!first) o += ',';
    first = false;
    str(o, to_string(v));
  }
  o += "]}";
  return o;
}

}  // namespace smtpspec
