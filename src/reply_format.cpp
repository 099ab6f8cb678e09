// The reply formatter (RFC 5321 §4.2, §4.5.3.1.5; RFC 2034 §3-§4), the EHLO reply builder
// (§4.1.1.1) and the standard reply tables (include/smtpspec/catalogue/standard_replies.inc).
#include <tao/pegtl.hpp>

#include "smtpspec/grammar/rfc5321_reply.hpp"
#include "smtpspec/reply.hpp"

namespace smtpspec {
namespace {
namespace pegtl = tao::pegtl;
namespace g = grammar::rfc5321;

error make_err(error_code c, std::size_t offset, std::string expected) {
  error e;
  e.code = c;
  e.offset = offset;
  e.expected = std::move(expected);
  e.rfc = info(c).rfc;
  e.reply = info(c).reply;
  return e;
}

template <class Rule>
bool matches(std::string_view s) {
  pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::crlf> in(s.data(), s.size(), "");
  return pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in);
}

// §4.2 Reply-code = %x32-35 %x30-35 %x30-39
bool valid_reply_code(int code) noexcept {
  return code >= 200 && code <= 599 && (code / 10) % 10 <= 5;
}

// Octets textstring (§4.2) excludes: controls other than HT, DEL, and 8-bit unless utf8.
bool forbidden(unsigned char c, bool utf8) noexcept {
  return (c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && !utf8);
}

// Applies the policy to `text`: the cleaned text, or the index of the first forbidden octet.
std::optional<std::size_t> clean(std::string_view text, const format_options& o, std::string& out) {
  out.assign(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!forbidden(static_cast<unsigned char>(out[i]), o.utf8)) continue;
    if (o.policy == text_policy::refuse) return i;
    out[i] = ' ';
  }
  return std::nullopt;
}

constexpr const char* textstring_expected = "textstring (HT, SP, printable US-ASCII; no CR, LF or NUL)";

// Splits `text` into pieces of at most `room` octets: at the last SP that fits (dropped), else
// at `room` (moved back to a UTF-8 character boundary when 8-bit text is allowed).
void wrap(std::string_view text, std::size_t room, bool utf8, std::vector<std::string>& out) {
  while (text.size() > room) {
    const std::size_t sp = text.rfind(' ', room);
    if (sp != std::string_view::npos && sp > 0) {
      out.emplace_back(text.substr(0, sp));
      text.remove_prefix(sp + 1);
      continue;
    }
    std::size_t cut = room;
    if (utf8) {
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      if (cut == 0) cut = room;
    }
    out.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut);
  }
  out.emplace_back(text);
}

constexpr standard_reply_info standard[] = {
#define SMTPSPEC_STANDARD_REPLY(code, text, note) {code, text, note},
#include "smtpspec/catalogue/standard_replies.inc"
#undef SMTPSPEC_STANDARD_REPLY
};

constexpr reply_kind kind_of(char k) {
  return k == 'I' ? reply_kind::intermediate : k == 'S' ? reply_kind::success : reply_kind::error;
}
constexpr reply_sequence_info sequences[] = {
#define SMTPSPEC_REPLY_SEQUENCE(stage, kind, code, note) {reply_stage::stage, kind_of(#kind[0]), code, note},
#include "smtpspec/catalogue/standard_replies.inc"
#undef SMTPSPEC_REPLY_SEQUENCE
};

}  // namespace

result<formatted_reply> format_reply(int code, const std::optional<enhanced_status>& enhanced,
                                     std::span<const std::string_view> lines, const format_options& o) {
  if (!valid_reply_code(code))
    return make_err(error_code::invalid_reply_code, 0, "Reply-code (%x32-35 %x30-35 %x30-39)");
  const std::string digits = std::to_string(code);
  std::string status;
  if (enhanced && o.enhanced_codes) {
    const auto& s = *enhanced;
    if (s.subject > 999 || s.detail > 999 || (s.cls != 2 && s.cls != 4 && s.cls != 5))
      return make_err(error_code::invalid_enhanced_status, 0, "status-code (RFC 3463 §2)");
    if (s.cls != static_cast<unsigned>(code / 100))
      return make_err(error_code::status_class_mismatch, 0,
                      code / 100 == 3 ? "no enhanced status code with a 3xx reply"
                                      : "enhanced status class " + digits.substr(0, 1));
    status = s.to_string() + ' ';
  }
  const std::size_t prefix = 4 + status.size();
  if (o.max_line < prefix + 3)
    return make_err(error_code::reply_line_too_long, 0, "max_line of at least " + std::to_string(prefix + 3));
  const std::size_t room = o.max_line - 2 - prefix;

  std::vector<std::string> pieces;
  std::string cleaned;
  std::size_t base = 0;  // offset of the current line in the lines joined by LF
  for (std::string_view line : lines) {
    if (auto bad = clean(line, o, cleaned)) return make_err(error_code::forbidden_reply_octet, base + *bad, textstring_expected);
    wrap(cleaned, room, o.utf8, pieces);
    base += line.size() + 1;
  }
  if (pieces.empty()) pieces.emplace_back();

  formatted_reply out;
  out.line_count = pieces.size();
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool last = i + 1 == pieces.size();
    out.text += digits;
    // §4.2: "Reply-code [ SP textstring ]" — a last line without any text is the bare code.
    if (last && status.empty() && pieces[i].empty()) {
      out.text += "\r\n";
      continue;
    }
    out.text += last ? ' ' : '-';
    out.text += status;
    out.text += pieces[i];
    out.text += "\r\n";
  }
  return out;
}

result<formatted_reply> format_reply(int code, const std::optional<enhanced_status>& enhanced,
                                     std::initializer_list<std::string_view> lines, const format_options& o) {
  return format_reply(code, enhanced, std::span<const std::string_view>(lines.begin(), lines.size()), o);
}

result<formatted_reply> format_ehlo_reply(std::string_view domain, std::string_view greeting,
                                          std::span<const ehlo_keyword> keywords, const format_options& o) {
  auto d = parse_domain(domain);
  if (!d.ok()) return d.error();
  std::string first(domain);
  if (!greeting.empty()) {
    std::string cleaned;
    if (auto bad = clean(greeting, o, cleaned)) return make_err(error_code::forbidden_reply_octet, *bad, textstring_expected);
    first += ' ';
    first += cleaned;
  }
  std::vector<std::string> lines{std::move(first)};
  for (std::size_t k = 0; k < keywords.size(); ++k) {
    const auto& kw = keywords[k];
    if (!matches<g::ehlo_keyword>(kw.keyword))
      return make_err(error_code::invalid_ehlo_keyword, k, "ehlo-keyword");
    std::string line = kw.keyword;
    for (const auto& p : kw.params) {
      if (!matches<g::ehlo_param>(p)) return make_err(error_code::invalid_ehlo_param, k, "ehlo-param");
      line += ' ';
      line += p;
    }
    lines.push_back(std::move(line));
  }
  formatted_reply out;
  out.line_count = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].size() + 6 > o.max_line)
      return make_err(error_code::reply_line_too_long, i == 0 ? 0 : i - 1,
                      "at most " + std::to_string(o.max_line > 6 ? o.max_line - 6 : 0) + " octets after \"250-\"");
    out.text += i + 1 == lines.size() ? "250 " : "250-";
    out.text += lines[i];
    out.text += "\r\n";
  }
  return out;
}

// ---- standard replies ------------------------------------------------------------------------

std::span<const standard_reply_info> standard_replies() noexcept { return standard; }

const standard_reply_info* lookup_standard_reply(int code) noexcept {
  for (const auto& r : standard)
    if (r.code == code) return &r;
  return nullptr;
}

std::span<const reply_sequence_info> reply_sequences() noexcept { return sequences; }

bool is_listed_reply(reply_stage stage, int code) noexcept {
  for (const auto& r : sequences)
    if (r.code == code && (r.stage == stage || r.stage == reply_stage::any)) return true;
  return false;
}

std::optional<reply_stage> reply_stage_for(verb v) noexcept {
  switch (v) {
    case verb::ehlo: case verb::lhlo: return reply_stage::ehlo;
    case verb::helo: return reply_stage::helo;
    case verb::mail: return reply_stage::mail;
    case verb::rcpt: return reply_stage::rcpt;
    case verb::data: return reply_stage::data;
    case verb::rset: return reply_stage::rset;
    case verb::vrfy: return reply_stage::vrfy;
    case verb::expn: return reply_stage::expn;
    case verb::help: return reply_stage::help;
    case verb::noop: return reply_stage::noop;
    case verb::quit: return reply_stage::quit;
    case verb::starttls: case verb::auth: case verb::bdat: return std::nullopt;
  }
  return std::nullopt;
}

std::string_view to_string(reply_stage s) noexcept {
  switch (s) {
    case reply_stage::any: return "any";
    case reply_stage::connection: return "connection";
    case reply_stage::ehlo: return "ehlo";
    case reply_stage::helo: return "helo";
    case reply_stage::mail: return "mail";
    case reply_stage::rcpt: return "rcpt";
    case reply_stage::data: return "data";
    case reply_stage::data_end: return "data_end";
    case reply_stage::rset: return "rset";
    case reply_stage::vrfy: return "vrfy";
    case reply_stage::expn: return "expn";
    case reply_stage::help: return "help";
    case reply_stage::noop: return "noop";
    case reply_stage::quit: return "quit";
  }
  return "any";
}

std::string_view to_string(reply_kind k) noexcept {
  switch (k) {
    case reply_kind::intermediate: return "intermediate";
    case reply_kind::success: return "success";
    case reply_kind::error: return "error";
  }
  return "error";
}

}  // namespace smtpspec
