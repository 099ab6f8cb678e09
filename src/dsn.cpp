// The haraka-dsn 1.2.1 catalogue (include/smtpspec/catalogue/dsn.inc), its reply objects, and
// `explain` for `smtpspec dsn <code|name>`.
#include <array>
#include <iterator>

#include "smtpspec/dsn.hpp"

namespace smtpspec::dsn {
namespace {

struct raw_function {
  std::string_view name, section;
  int code;
  unsigned subject, detail;
  std::string_view msg;
};
constexpr raw_function raw_functions[] = {
#define SMTPSPEC_DSN(name, section, code, s, d, msg) {#name, section, code, s, d, msg},
#include "smtpspec/catalogue/dsn.inc"
#undef SMTPSPEC_DSN
};
struct raw_alias {
  std::string_view name, target, note;
};
constexpr raw_alias raw_aliases[] = {
#define SMTPSPEC_DSN_ALIAS(name, target, note) {#name, #target, note},
#include "smtpspec/catalogue/dsn.inc"
#undef SMTPSPEC_DSN_ALIAS
};
constexpr text_info texts[] = {
#define SMTPSPEC_DSN_TEXT(s, d, text, rfc) {s, d, text, rfc},
#include "smtpspec/catalogue/dsn.inc"
#undef SMTPSPEC_DSN_TEXT
};

// An alias naming no helper indexes past the array, which stops the constant evaluation: a typo
// in dsn.inc is a compile error.
constexpr std::size_t index_of(std::string_view name) {
  std::size_t i = 0;
  while (i < std::size(raw_functions) && raw_functions[i].name != name) ++i;
  return i;
}

constexpr auto functions = [] {
  std::array<function_info, std::size(raw_functions) + std::size(raw_aliases)> out{};
  std::size_t n = 0;
  for (const auto& f : raw_functions) out[n++] = {f.name, f.section, f.code, f.subject, f.detail, f.msg, {}, {}};
  for (const auto& a : raw_aliases) {
    const auto& f = raw_functions[index_of(a.target)];
    out[n++] = {a.name, f.section, f.code, f.subject, f.detail, f.msg, a.target, a.note};
  }
  return out;
}();

// JavaScript's array index for a property key: a canonical decimal ("0", "7", not "07" or "+7").
std::optional<unsigned> js_index(std::string_view key) noexcept {
  if (key.empty() || key.size() > 9 || (key.size() > 1 && key[0] == '0')) return std::nullopt;
  unsigned v = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

// haraka: /^[245]\d{2}/.exec(code) — a prefix match.
bool code_matches(std::string_view code) noexcept {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return code.size() >= 3 && (code[0] == '2' || code[0] == '4' || code[0] == '5') && digit(code[1]) && digit(code[2]);
}

dsn_reply build(std::optional<std::string_view> code, const std::optional<message>& msg, int default_code,
                std::string_view sub, std::string_view det) {
  dsn_reply r;
  r.code_from_caller = code.has_value() && code_matches(*code);
  r.code = r.code_from_caller ? std::string(*code) : std::to_string(default_code != 0 ? default_code : 450);
  r.msg = msg;
  r.cls = static_cast<unsigned>(r.code[0] - '0');
  r.sub = std::string(sub);
  r.det = std::string(det);
  r.default_msg = default_text(sub, det);
  const std::string prefix = std::to_string(r.cls) + '.' + r.sub + '.' + r.det + ' ';
  if (msg && std::holds_alternative<std::vector<std::string>>(*msg)) {
    r.reply_is_list = true;
    for (const auto& m : std::get<std::vector<std::string>>(*msg)) r.reply.push_back(prefix + sanitize(m));
  } else {
    const std::string* text = msg ? &std::get<std::string>(*msg) : nullptr;
    r.reply.push_back(prefix + sanitize(text != nullptr && !text->empty() ? std::string_view(*text) : r.default_msg));
  }
  return r;
}

bool is_empty_text(const std::optional<message>& msg) {
  return !msg || (std::holds_alternative<std::string>(*msg) && std::get<std::string>(*msg).empty());
}

}  // namespace

std::span<const function_info> function_catalogue() noexcept { return functions; }
std::span<const text_info> text_catalogue() noexcept { return texts; }

const function_info* find_function(std::string_view name) noexcept {
  for (const auto& f : functions)
    if (f.name == name) return &f;
  return nullptr;
}

std::string_view default_text(unsigned subject, unsigned detail) noexcept {
  for (const auto& t : texts)
    if (t.subject == subject && t.detail == detail) return t.text;
  return {};
}

std::string_view default_text(std::string_view subject, std::string_view detail) noexcept {
  const auto s = js_index(subject), d = js_index(detail);
  if (!s || !d) return {};
  return default_text(*s, *d);
}

std::string sanitize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) out.push_back(c);
  }
  return out;
}

int dsn_reply::basic_code() const noexcept {
  return (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
}

std::string dsn_reply::to_string() const {
  std::string out;
  for (std::size_t i = 0; i < reply.size(); ++i) {
    if (i) out.push_back('\n');
    out += reply[i];
  }
  return out;
}

std::optional<enhanced_status> dsn_reply::status() const noexcept {
  const std::string text = std::to_string(cls) + '.' + sub + '.' + det;
  auto r = parse_enhanced_status(text);
  if (!r.ok()) return std::nullopt;
  return r.value();
}

std::optional<dsn_reply> make(std::string_view function_name, const std::optional<message>& msg,
                              std::optional<std::string_view> code) {
  const function_info* f = find_function(function_name);
  if (f == nullptr) return std::nullopt;
  const std::string sub = std::to_string(f->subject), det = std::to_string(f->detail);
  // haraka: `msg || 'No such user'`: the helper's own text replaces an empty or absent message.
  if (!f->default_msg.empty() && is_empty_text(msg))
    return build(code, message(std::string(f->default_msg)), f->default_code, sub, det);
  return build(code, msg, f->default_code, sub, det);
}

dsn_reply create(std::optional<std::string_view> code, const std::optional<message>& msg, unsigned subject,
                 unsigned detail) {
  return build(code, msg, 0, std::to_string(subject), std::to_string(detail));
}

dsn_reply create_text(std::optional<std::string_view> code, const std::optional<message>& msg,
                      std::string_view subject, std::string_view detail) {
  return build(code, msg, 0, subject, detail);
}

// ---- explain ----------------------------------------------------------------------------------

namespace {

void fill_status(explanation& e, unsigned subject, unsigned detail) {
  e.subject_info = lookup_status_subject(subject);
  e.registry = lookup_enhanced_status(subject, detail);
  for (const auto& f : functions)
    if (f.alias_of.empty() && f.subject == subject && f.detail == detail) e.dsn_functions.push_back(f.name);
}

bool three_digits(std::string_view s) {
  return s.size() == 3 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9';
}

}  // namespace

explanation explain(std::string_view query) {
  explanation e;
  e.query = std::string(query);
  if (auto r = parse_enhanced_status(query); r.ok()) {
    const enhanced_status s = r.value();
    e.kind = query_kind::enhanced_status;
    e.status = s;
    e.class_info = lookup_status_class(s.cls);
    fill_status(e, s.subject, s.detail);
    e.found = e.registry != nullptr;
    const int code = default_reply_code(s);
    e.standard = lookup_standard_reply(code);
    std::string reply = std::to_string(code) + ' ' + s.to_string();
    if (e.registry != nullptr && !e.registry->text.empty()) reply += ' ' + std::string(e.registry->text);
    else if (e.subject_info != nullptr) reply += ' ' + std::string(e.subject_info->summary);
    e.default_reply = std::move(reply);
    return e;
  }
  if (query.size() > 2 && (query[0] == 'X' || query[0] == 'x') && query[1] == '.') {
    // A registry key: any class.
    std::string as_code(1, '2');
    as_code.append(query.substr(1));
    if (auto r = parse_enhanced_status(as_code); r.ok()) {
      e.kind = query_kind::enhanced_status;
      fill_status(e, r->subject, r->detail);
      e.found = e.registry != nullptr;
      return e;
    }
  }
  if (const function_info* f = find_function(query)) {
    e.kind = query_kind::dsn_function;
    e.found = true;
    e.function = f;
    e.dsn = make(query);
    e.status = e.dsn->status();
    e.class_info = lookup_status_class(e.dsn->cls);
    fill_status(e, f->subject, f->detail);
    e.standard = lookup_standard_reply(f->default_code);
    e.default_reply = std::to_string(f->default_code) + ' ' + e.dsn->to_string();
    return e;
  }
  if (three_digits(query)) {
    const int code = (query[0] - '0') * 100 + (query[1] - '0') * 10 + (query[2] - '0');
    e.kind = query_kind::reply_code;
    e.standard = lookup_standard_reply(code);
    e.found = e.standard != nullptr;
    for (const auto& row : reply_sequences())
      if (row.code == code) e.sequences.push_back(&row);
    if (e.standard != nullptr) e.default_reply = std::string(query) + ' ' + std::string(e.standard->text);
  }
  return e;
}

std::string to_text(const explanation& e) {
  std::string o;
  const auto line = [&o](std::string_view label, std::string_view value) {
    if (value.empty()) return;
    o += "  ";
    o += label;
    o.append(label.size() < 9 ? 9 - label.size() : 1, ' ');
    o += value;
    o += '\n';
  };
  switch (e.kind) {
    case query_kind::none:
      return e.query + ": not an enhanced status code, a haraka-dsn function or a reply code\n";
    case query_kind::reply_code: {
      o += e.query + "  " + (e.standard ? std::string(e.standard->text) : std::string("(not a standard reply code)")) + '\n';
      if (e.standard) {
        line("note", e.standard->note);
        line("rfc", "RFC 5321 §4.2.2, §4.2.3");
      }
      std::string after;
      for (const auto* s : e.sequences) {
        if (!after.empty()) after += ", ";
        after += std::string(to_string(s->stage)) + " (" + std::string(to_string(s->kind)) + ')';
      }
      line("after", after);
      return o;
    }
    case query_kind::dsn_function:
      o += e.query + "  (haraka-dsn " + std::string(haraka_dsn_version) + ", " + std::string(e.function->section) + ")\n";
      if (!e.function->alias_of.empty()) line("alias of", e.function->alias_of);
      break;
    case query_kind::enhanced_status:
      o += (e.status ? e.status->to_string() : e.registry ? std::string(e.registry->code) : e.query);
      o += "  ";
      o += e.registry ? (e.registry->text.empty() ? std::string("(deprecated)") : std::string(e.registry->text))
                      : std::string("(not registered)");
      o += '\n';
      break;
  }
  if (e.default_reply) line("reply", *e.default_reply);
  if (e.class_info) line("class", std::to_string(e.class_info->cls) + "  " + std::string(e.class_info->summary));
  if (e.subject_info) line("subject", std::to_string(e.subject_info->subject) + "  " + std::string(e.subject_info->summary));
  if (e.registry) {
    line("code", e.registry->code);
    line("rfc", e.registry->rfc);
    line("basic", e.registry->basic_codes);
    line("about", e.registry->description);
  }
  std::string names;
  for (auto n : e.dsn_functions) {
    if (!names.empty()) names += ", ";
    names += n;
  }
  line("haraka", names);
  return o;
}

}  // namespace smtpspec::dsn
