// Canonical JSON for enhanced status codes, replies, EHLO replies, formatted replies, the DSN
// catalogue and explanations (schema: conformance/README.md, "Replies and status codes"). Same
// rules as src/json.cpp: fixed key order, every key present, null for absent, no white space,
// strings escaped as \" \\ \b \f \n \r \t and \u00xx for other octets below 0x20 and 0x7F; text
// that is not UTF-8 (replies are received octets) has U+FFFD per maximal ill-formed subsequence.
#include "json_escape.hpp"
#include <string>
#include <utility>

#include "smtpspec/dsn.hpp"
#include "smtpspec/reply.hpp"

namespace smtpspec {
namespace {

using writer = detail::json_writer;

void write(writer& w, const enhanced_status& s) {
  w.raw("{").key("text", true).str(s.to_string());
  w.key("class").num(s.cls).key("subject").num(s.subject).key("detail").num(s.detail).raw("}");
}

void write_opt(writer& w, const std::optional<enhanced_status>& s) {
  if (s) write(w, *s);
  else w.null();
}

void write(writer& w, const error& e) {
  const auto& i = info(e.code);
  w.raw("{").key("code", true).str(i.name).key("offset").num(e.offset).key("expected").str(e.expected);
  w.key("rfc").str(e.rfc).key("reply").str(e.reply).key("message").str(i.message).raw("}");
}

void write(writer& w, const diagnostics& ds) {
  w.array(ds, [&](const diagnostic& d) {
    const auto& i = info(d.id);
    w.raw("{").key("id", true).str(i.name).key("severity").str(to_string(i.level)).key("offset").num(d.offset);
    w.key("rfc").str(i.rfc).key("message").str(i.message).raw("}");
  });
}

void write(writer& w, const std::vector<reply_diagnostic>& ds) {
  w.array(ds, [&](const reply_diagnostic& d) {
    const auto& i = info(d.id);
    w.raw("{").key("id", true).str(i.name).key("severity").str(to_string(i.level)).key("offset").num(d.offset);
    w.key("rfc").str(i.rfc).key("message").str(i.message).raw("}");
  });
}

template <class T, class F>
std::string envelope(const result<T>& r, F value) {
  writer w;
  w.raw("{").key("ok", true).boolean(r.ok());
  if (r.ok()) {
    w.key("value");
    value(w, r.value());
  } else {
    w.key("error");
    write(w, r.error());
  }
  w.key("diagnostics");
  write(w, r.diags());
  w.raw("}");
  return std::move(w.out);
}

void write(writer& w, const reply& r) {
  w.raw("{").key("code", true);
  if (r.code) w.num(*r.code);
  else w.null();
  w.key("enhanced");
  write_opt(w, r.enhanced);
  w.key("multiline").boolean(r.multiline()).key("offset").num(r.offset).key("length").num(r.length);
  w.key("line_count").num(r.line_count).key("lines");
  w.array(r.lines, [&](const reply_line& l) { w.raw("{").key("offset", true).num(l.offset).key("text").str(l.text).raw("}"); });
  w.key("diagnostics");
  write(w, r.diagnostics);
  w.raw("}");
}

void write(writer& w, const status_class_info& c) {
  w.raw("{").key("class", true).num(c.cls).key("summary").str(c.summary).key("rfc").str(c.rfc);
  w.key("description").str(c.description).raw("}");
}
void write(writer& w, const status_subject_info& s) {
  w.raw("{").key("subject", true).num(s.subject).key("summary").str(s.summary).key("rfc").str(s.rfc);
  w.key("description").str(s.description).raw("}");
}
void write(writer& w, const enhanced_status_info& c) {
  w.raw("{").key("code", true).str(c.code).key("subject").num(c.subject).key("detail").num(c.detail);
  w.key("text").str(c.text).key("basic_codes").str(c.basic_codes).key("basic_list");
  w.array(c.basic_list(), [&](std::uint16_t b) { w.num(static_cast<unsigned>(b)); });
  w.key("rfc").str(c.rfc).key("description").str(c.description).raw("}");
}
void write(writer& w, const standard_reply_info& s) {
  w.raw("{").key("code", true).num(s.code).key("text").str(s.text).key("note").str_or_null(s.note).raw("}");
}
void write(writer& w, const reply_sequence_info& s) {
  w.raw("{").key("stage", true).str(to_string(s.stage)).key("kind").str(to_string(s.kind)).key("code").num(s.code);
  w.key("note").str_or_null(s.note).raw("}");
}
void write(writer& w, const dsn::function_info& f) {
  w.raw("{").key("name", true).str(f.name).key("section").str(f.section).key("default_code").num(f.default_code);
  w.key("subject").num(f.subject).key("detail").num(f.detail).key("default_msg").str_or_null(f.default_msg);
  w.key("alias_of").str_or_null(f.alias_of).raw("}");
}

template <class T>
void write_ptr(writer& w, const T* p) {
  if (p) write(w, *p);
  else w.null();
}

void write(writer& w, const dsn::dsn_reply& d) {
  w.raw("{").key("code", true).num_or_str(d.code).key("msg");
  if (!d.msg) {
    w.null();
  } else if (const auto* s = std::get_if<std::string>(&*d.msg)) {
    w.str(*s);
  } else {
    w.array(std::get<std::vector<std::string>>(*d.msg), [&](const std::string& m) { w.str(m); });
  }
  w.key("cls").num(d.cls).key("sub").num_or_str(d.sub).key("det").num_or_str(d.det);
  w.key("default_msg").str(d.default_msg).key("reply");
  if (d.reply_is_list) w.array(d.reply, [&](const std::string& m) { w.str(m); });
  else w.str(d.reply.empty() ? std::string_view() : std::string_view(d.reply[0]));
  w.raw("}");
}

}  // namespace

// ---- enhanced status ----------------------------------------------------------------------------

std::string to_json(const enhanced_status& s) {
  writer w;
  write(w, s);
  return std::move(w.out);
}

std::string to_json(const result<enhanced_status>& r) {
  return envelope(r, [](writer& w, const enhanced_status& s) { write(w, s); });
}

std::string enhanced_status_catalogue_json() {
  writer w;
  w.raw("{").key("classes", true);
  w.array(status_class_catalogue(), [&](const status_class_info& c) { write(w, c); });
  w.key("subjects");
  w.array(status_subject_catalogue(), [&](const status_subject_info& s) { write(w, s); });
  w.key("codes");
  w.array(enhanced_status_catalogue(), [&](const enhanced_status_info& c) { write(w, c); });
  w.raw("}");
  return std::move(w.out);
}

// ---- replies ------------------------------------------------------------------------------------

std::string to_json(const reply& r) {
  writer w;
  write(w, r);
  return std::move(w.out);
}

std::string to_json(std::span<const reply> replies) {
  writer w;
  w.array(replies, [&](const reply& r) { write(w, r); });
  return std::move(w.out);
}

// The typed view of a keyword's parameters (conformance/README.md, EHLO): an object whose keys
// depend on the extension, or null (no typed view, or parameters that break the syntax).
static void write_ehlo_value(writer& w, const ehlo_keyword& k) {
  if (!k.extension || !k.params_ok) {
    w.null();
    return;
  }
  const auto opt_num = [&](const auto& n) {
    if (n) w.num(*n);
    else w.null();
  };
  switch (info(*k.extension).ehlo) {
    case ehlo_syntax::size:
      w.raw("{").key("size", true);
      opt_num(k.size);
      w.raw("}");
      return;
    case ehlo_syntax::auth:
      w.raw("{").key("mechanisms", true);
      w.array(k.mechanisms, [&](const std::string& m) { w.str(m); });
      w.raw("}");
      return;
    case ehlo_syntax::deliverby:
      w.raw("{").key("min_by_time", true);
      opt_num(k.min_by_time);
      w.raw("}");
      return;
    case ehlo_syntax::futurerelease:
      w.raw("{").key("max_interval", true);
      opt_num(k.max_interval);
      w.key("max_date_time");
      if (k.max_date_time) w.str(*k.max_date_time);
      else w.null();
      w.raw("}");
      return;
    case ehlo_syntax::mt_priority:
      w.raw("{").key("policy", true);
      if (k.policy) w.str(*k.policy);
      else w.null();
      w.raw("}");
      return;
    case ehlo_syntax::limits:
      w.raw("{").key("limits", true);
      w.array(k.limits, [&](const ehlo_limit& l) {
        w.raw("{").key("name", true).str(l.name).key("value").str_or_null(l.value).key("number");
        opt_num(l.number);
        w.raw("}");
      });
      w.raw("}");
      return;
    default:
      w.null();
  }
}

std::string ehlo_value_json(const ehlo_keyword& k) {
  writer w;
  write_ehlo_value(w, k);
  return std::move(w.out);
}

std::string to_json(const result<ehlo_reply>& r) {
  return envelope(r, [](writer& w, const ehlo_reply& e) {
    w.raw("{").key("domain", true).str(e.domain).key("greeting");
    if (e.greeting) w.str(*e.greeting);
    else w.null();
    w.key("keywords");
    w.array(e.keywords, [&](const ehlo_keyword& k) {
      w.raw("{").key("keyword", true).str(k.keyword).key("params");
      w.array(k.params, [&](const std::string& p) { w.str(p); });
      w.key("extension");
      if (k.extension) w.str(to_string(*k.extension));
      else w.null();
      w.key("value");
      write_ehlo_value(w, k);
      w.raw("}");
    });
    // ehlo_reply::extensions(), in catalogue order: what a client may use.
    w.key("extensions").raw("[");
    const extension_set offered = e.extensions();
    bool first = true;
    for (const auto& row : extension_catalogue()) {
      if (!offered.has(row.id)) continue;
      if (!first) w.raw(",");
      first = false;
      w.str(row.keyword);
    }
    w.raw("]");
    w.key("diagnostics");
    write(w, e.diagnostics);
    w.raw("}");
  });
}

std::string to_json(const result<formatted_reply>& r) {
  return envelope(r, [](writer& w, const formatted_reply& f) {
    w.raw("{").key("text", true).str(f.text).key("lines");
    std::vector<std::string_view> lines;
    std::string_view rest = f.text;
    while (!rest.empty()) {
      const std::size_t end = rest.find("\r\n");
      lines.push_back(rest.substr(0, end));
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 2);
    }
    w.array(lines, [&](std::string_view l) { w.str(l); });
    w.raw("}");
  });
}

std::string reply_catalogue_json() {
  writer w;
  w.raw("{").key("standard_replies", true);
  w.array(standard_replies(), [&](const standard_reply_info& s) { write(w, s); });
  w.key("sequences");
  w.array(reply_sequences(), [&](const reply_sequence_info& s) { write(w, s); });
  w.key("reply_diagnostics");
  w.array(reply_diagnostic_catalogue(), [&](const reply_diagnostic_info& d) {
    w.raw("{").key("id", true).str(d.name).key("severity").str(to_string(d.level)).key("rfc").str(d.rfc);
    w.key("message").str(d.message).raw("}");
  });
  w.raw("}");
  return std::move(w.out);
}

// ---- service extensions -------------------------------------------------------------------------

std::string extension_catalogue_json() {
  writer w;
  const auto words = [&](std::string_view list) {
    w.raw("[");
    bool first = true;
    while (!list.empty()) {
      const std::size_t sp = list.find(' ');
      if (!first) w.raw(",");
      first = false;
      w.str(list.substr(0, sp));
      list.remove_prefix(sp == std::string_view::npos ? list.size() : sp + 1);
    }
    w.raw("]");
  };
  w.raw("{").key("extensions", true);
  w.array(extension_catalogue(), [&](const extension_info& e) {
    w.raw("{").key("keyword", true).str(e.keyword).key("rfc").str(e.rfc).key("status");
    w.str(e.status == extension_status::standard ? "standard"
          : e.status == extension_status::legacy ? "legacy"
                                                  : "deprecated");
    w.key("description").str(e.description).key("ehlo").str(to_string(e.ehlo));
    w.key("mail_params");
    words(e.mail_params);
    w.key("rcpt_params");
    words(e.rcpt_params);
    w.raw("}");
  });
  w.key("server_limits");
  w.array(server_limit_catalogue(), [&](const server_limit_info& l) {
    w.raw("{").key("name", true).str(l.name).key("rfc").str(l.rfc).key("description").str(l.description).raw("}");
  });
  w.raw("}");
  return std::move(w.out);
}

// ---- DSN ----------------------------------------------------------------------------------------

namespace dsn {

std::string to_json(const dsn_reply& d) {
  writer w;
  write(w, d);
  return std::move(w.out);
}

std::string catalogue_json() {
  writer w;
  w.raw("{").key("version", true).str(haraka_dsn_version).key("functions");
  w.array(function_catalogue(), [&](const function_info& f) { write(w, f); });
  w.key("texts");
  w.array(text_catalogue(), [&](const text_info& t) {
    w.raw("{").key("subject", true).num(t.subject).key("detail").num(t.detail).key("text").str(t.text);
    w.key("rfc").str_or_null(t.rfc).raw("}");
  });
  w.raw("}");
  return std::move(w.out);
}

std::string to_json(const explanation& e) {
  static constexpr std::string_view kinds[] = {"none", "enhanced_status", "dsn_function", "reply_code"};
  writer w;
  w.raw("{").key("query", true).str(e.query).key("kind");
  if (e.kind == query_kind::none) w.null();
  else w.str(kinds[static_cast<std::size_t>(e.kind)]);
  w.key("found").boolean(e.found).key("status");
  write_opt(w, e.status);
  w.key("class");
  write_ptr(w, e.class_info);
  w.key("subject");
  write_ptr(w, e.subject_info);
  w.key("registry");
  write_ptr(w, e.registry);
  w.key("function");
  write_ptr(w, e.function);
  w.key("dsn");
  if (e.dsn) write(w, *e.dsn);
  else w.null();
  w.key("dsn_functions");
  w.array(e.dsn_functions, [&](std::string_view n) { w.str(n); });
  w.key("standard_reply");
  write_ptr(w, e.standard);
  w.key("sequences");
  w.array(e.sequences, [&](const reply_sequence_info* s) { write(w, *s); });
  w.key("default_reply");
  if (e.default_reply) w.str(*e.default_reply);
  else w.null();
  w.raw("}");
  return std::move(w.out);
}

}  // namespace dsn
}  // namespace smtpspec
