// smtpspec — the native half of the issue-4 JavaScript surface (npm/reply.js, npm/dsn.js):
// enhanced status codes, replies (parser, formatter, EHLO), the standard replies and the
// haraka-dsn catalogue. Nothing here is hot, so every answer is the core's canonical JSON
// (conformance/README.md, "Replies and status codes"), which the JS side JSON.parse()s; the
// conformance test compares those octets with what tests/reply/vector_kinds.hpp computes.
//
// Texts arrive as Uint8Array (reply.js encodes strings with TextEncoder, so a lone surrogate is
// U+FFFD here as in the rest of the package); lists arrive as JS arrays of them.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "smtpspec/smtpspec.hpp"

namespace {

using namespace smtpspec;
using emscripten::val;

std::vector<std::string> strings(const val& list) { return emscripten::vecFromJSArray<std::string>(list); }

reply_parse_options parse_options_of(unsigned max_line, unsigned max_lines, unsigned max_diagnostics, bool lf_ends_line) {
  reply_parse_options o;
  o.max_line = max_line;
  o.max_lines = max_lines;
  o.max_diagnostics = max_diagnostics;
  o.lf_ends_line = lf_ends_line;
  return o;
}

format_options format_options_of(bool enhanced_codes, unsigned max_line, bool neutralise, bool utf8) {
  format_options o;
  o.enhanced_codes = enhanced_codes;
  o.max_line = max_line;
  o.policy = neutralise ? text_policy::neutralise : text_policy::refuse;
  o.utf8 = utf8;
  return o;
}

// ---- enhanced status codes, catalogues ---------------------------------------------------------

std::string enhanced_status_json(const std::string& code) { return to_json(parse_enhanced_status(code)); }
std::string status_catalogue_json() { return enhanced_status_catalogue_json(); }
std::string replies_catalogue_json() { return reply_catalogue_json(); }
std::string dsn_catalogue_json() { return dsn::catalogue_json(); }
std::string extensions_catalogue_json() { return extension_catalogue_json(); }  // issue 3
std::string explain_json(const std::string& query) { return dsn::to_json(dsn::explain(query)); }

// The options' defaults and the policy names, so that reply.js retypes none of them.
std::string defaults_json() {
  const reply_parse_options p;
  const format_options f;
  const auto n = [](std::size_t v) { return std::to_string(v); };
  const auto b = [](bool v) { return std::string(v ? "true" : "false"); };
  return "{\"parse\":{\"max_line\":" + n(p.max_line) + ",\"max_lines\":" + n(p.max_lines) +
         ",\"max_diagnostics\":" + n(p.max_diagnostics) + ",\"lf_ends_line\":" + b(p.lf_ends_line) +
         "},\"format\":{\"enhanced_codes\":" + b(f.enhanced_codes) + ",\"max_line\":" + n(f.max_line) +
         ",\"policy\":\"" + (f.policy == text_policy::refuse ? "refuse" : "neutralise") + "\",\"utf8\":" + b(f.utf8) +
         "},\"policies\":[\"refuse\",\"neutralise\"]}";
}

// ---- reply parser ------------------------------------------------------------------------------

std::string parse_replies_json(const std::string& stream, unsigned max_line, unsigned max_lines,
                               unsigned max_diagnostics, bool lf_ends_line) {
  const auto rs = parse_replies(stream, parse_options_of(max_line, max_lines, max_diagnostics, lf_ends_line));
  return to_json(std::span<const reply>(rs));
}

// Incremental parsers by handle: reply.js frees each one when its ReplyParser is closed or
// collected (a FinalizationRegistry), so nothing here outlives its JS object.
std::unordered_map<int, std::unique_ptr<reply_parser>> parsers;
int next_parser = 1;

reply_parser* parser(int id) {
  const auto it = parsers.find(id);
  return it == parsers.end() ? nullptr : it->second.get();
}

int parser_new(unsigned max_line, unsigned max_lines, unsigned max_diagnostics, bool lf_ends_line) {
  const int id = next_parser++;
  parsers.emplace(id, std::make_unique<reply_parser>(parse_options_of(max_line, max_lines, max_diagnostics, lf_ends_line)));
  return id;
}

// The replies completed so far, as a JSON array; they leave the parser's queue, so a caller that
// reads every answer keeps the parser's memory bounded by its options.
std::string drained(reply_parser& p) {
  const auto rs = p.take();
  return to_json(std::span<const reply>(rs));
}

std::string parser_feed(int id, const std::string& bytes) {
  reply_parser* p = parser(id);
  if (p == nullptr) return "[]";
  p->feed(bytes);
  return drained(*p);
}

std::string parser_finish(int id) {
  reply_parser* p = parser(id);
  if (p == nullptr) return "[]";
  p->finish();
  return drained(*p);
}

void parser_reset(int id) {
  if (reply_parser* p = parser(id)) p->reset();
}

double parser_consumed(int id) {
  const reply_parser* p = parser(id);
  return p == nullptr ? 0 : static_cast<double>(p->consumed());
}

bool parser_finished(int id) {
  const reply_parser* p = parser(id);
  return p == nullptr || p->finished();
}

void parser_free(int id) { parsers.erase(id); }

// ---- EHLO replies ------------------------------------------------------------------------------

// The first reply of a stream (a stream without any is a reply without a code).
std::string ehlo_from_stream(const std::string& stream, unsigned max_line, unsigned max_lines,
                             unsigned max_diagnostics, bool lf_ends_line) {
  const auto rs = parse_replies(stream, parse_options_of(max_line, max_lines, max_diagnostics, lf_ends_line));
  return to_json(parse_ehlo_reply(rs.empty() ? reply{} : rs.front()));
}

// A reply the caller holds as a REPLY object: what parse_ehlo_reply reads of it (code, offset,
// each line's offset and text). code < 0 stands for null.
std::string ehlo_from_reply(int code, double offset, const val& line_offsets, const val& line_texts) {
  reply r;
  if (code >= 0) r.code = code;
  r.offset = static_cast<std::size_t>(offset);
  const auto offsets = emscripten::vecFromJSArray<double>(line_offsets);
  auto texts = strings(line_texts);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    r.lines.push_back({i < offsets.size() ? static_cast<std::size_t>(offsets[i]) : 0, std::move(texts[i])});
  }
  r.line_count = r.lines.size();
  return to_json(parse_ehlo_reply(r));
}

// ---- formatter ---------------------------------------------------------------------------------

// `enhanced` is used when has_enhanced; a code that does not parse gives parse_enhanced_status's
// error (its offset is into that code), as the Python module does.
std::string format_reply_json(int code, bool has_enhanced, const std::string& enhanced, const val& lines,
                              bool enhanced_codes, unsigned max_line, bool neutralise, bool utf8) {
  std::optional<enhanced_status> status;
  if (has_enhanced) {
    auto s = parse_enhanced_status(enhanced);
    if (!s.ok()) return to_json(result<formatted_reply>(s.error()));
    status = s.value();
  }
  const auto texts = strings(lines);
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  return to_json(format_reply(code, status, views, format_options_of(enhanced_codes, max_line, neutralise, utf8)));
}

// keywords: an array of [keyword, [param…]].
std::string format_ehlo_reply_json(const std::string& domain, const std::string& greeting, const val& keywords,
                                   unsigned max_line, bool neutralise, bool utf8) {
  std::vector<ehlo_keyword> list;
  const auto n = keywords["length"].as<unsigned>();
  list.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    const val k = keywords[i];
    list.push_back({k[0].as<std::string>(), strings(k[1])});
  }
  return to_json(format_ehlo_reply(domain, greeting, list, format_options_of(false, max_line, neutralise, utf8)));
}

// ---- haraka-dsn --------------------------------------------------------------------------------

// msg_kind: 0 absent, 1 one text, 2 a list of texts.
std::optional<dsn::message> message_of(int msg_kind, const val& msg) {
  if (msg_kind == 1) return dsn::message(msg.as<std::string>());
  if (msg_kind == 2) return dsn::message(strings(msg));
  return std::nullopt;
}

// [from_caller, DSN]: whether `code` was the caller's (reply.js then keeps the caller's own
// value in .code, as haraka does), and the object's canonical JSON.
std::string dsn_answer(const dsn::dsn_reply& d) {
  return std::string(d.code_from_caller ? "[true," : "[false,") + dsn::to_json(d) + "]";
}

// haraka's DSN.<name>(msg, code); "null" for an unknown name.
std::string dsn_make(const std::string& name, int msg_kind, const val& msg, bool has_code, const std::string& code) {
  const auto d = dsn::make(name, message_of(msg_kind, msg),
                           has_code ? std::optional<std::string_view>(code) : std::nullopt);
  return d ? dsn_answer(*d) : std::string("null");
}

// haraka's new DSN(code, msg, null, subject, detail), subject and detail as String() gives them.
std::string dsn_create(bool has_code, const std::string& code, int msg_kind, const val& msg, const std::string& subject,
                       const std::string& detail) {
  return dsn_answer(dsn::create_text(has_code ? std::optional<std::string_view>(code) : std::nullopt,
                                     message_of(msg_kind, msg), subject, detail));
}

}  // namespace

EMSCRIPTEN_BINDINGS(smtpspec_reply) {
  using emscripten::function;
  function("enhancedStatusJson", &enhanced_status_json);
  function("enhancedStatusCatalogueJson", &status_catalogue_json);
  function("replyCatalogueJson", &replies_catalogue_json);
  function("dsnCatalogueJson", &dsn_catalogue_json);
  function("extensionCatalogueJson", &extensions_catalogue_json);
  function("explainDsnJson", &explain_json);
  function("replyDefaultsJson", &defaults_json);
  function("parseRepliesJson", &parse_replies_json);
  function("replyParserNew", &parser_new);
  function("replyParserFeed", &parser_feed);
  function("replyParserFinish", &parser_finish);
  function("replyParserReset", &parser_reset);
  function("replyParserConsumed", &parser_consumed);
  function("replyParserFinished", &parser_finished);
  function("replyParserFree", &parser_free);
  function("ehloFromStreamJson", &ehlo_from_stream);
  function("ehloFromReplyJson", &ehlo_from_reply);
  function("formatReplyJson", &format_reply_json);
  function("formatEhloReplyJson", &format_ehlo_reply_json);
  function("dsnMakeJson", &dsn_make);
  function("dsnCreateJson", &dsn_create);
}
