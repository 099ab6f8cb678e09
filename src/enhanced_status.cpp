// Enhanced status codes: the RFC 3463 §2 grammar and the IANA registry tables
// (include/smtpspec/catalogue/enhanced_status.inc).
#include <tao/pegtl.hpp>

#include "smtpspec/enhanced_status.hpp"
#include "smtpspec/grammar/rfc3463.hpp"

namespace smtpspec {
namespace {
namespace pegtl = tao::pegtl;
namespace g = grammar::rfc3463;

// The three-digit codes named in a registry "Associated basic status code" text ("451, 550",
// "250 or 251", "451/550", "552 (other 4XX or 5XX codes are allowed)"); "5XX" names none.
struct basic_list {
  std::uint16_t codes[16]{};
  std::uint8_t count = 0;
};
constexpr basic_list extract_basic(std::string_view s) {
  basic_list out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    const bool word_end = j == s.size() || !((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a' && s[j] <= 'z'));
    if (j - i == 3 && word_end && out.count < 16) {
      out.codes[out.count++] =
          static_cast<std::uint16_t>((s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0'));
    }
    i = j == i ? i + 1 : j;
  }
  return out;
}

#define SMTPSPEC_STR2(x) #x
#define SMTPSPEC_STR(x) SMTPSPEC_STR2(x)

constexpr status_class_info classes[] = {
#define SMTPSPEC_STATUS_CLASS(c, summary, rfc, description) {c, summary, rfc, description},
#include "smtpspec/catalogue/enhanced_status.inc"
#undef SMTPSPEC_STATUS_CLASS
};
constexpr status_subject_info subjects[] = {
#define SMTPSPEC_STATUS_SUBJECT(s, summary, rfc, description) {s, summary, rfc, description},
#include "smtpspec/catalogue/enhanced_status.inc"
#undef SMTPSPEC_STATUS_SUBJECT
};

constexpr enhanced_status_info make_row(unsigned s, unsigned d, std::string_view key, std::string_view text,
                                        std::string_view basic, std::string_view rfc, std::string_view desc) {
  const basic_list b = extract_basic(basic);
  enhanced_status_info row{s, d, key, text, basic, rfc, desc, {}, b.count};
  for (std::size_t i = 0; i < b.count; ++i) row.basic[i] = b.codes[i];
  return row;
}

constexpr enhanced_status_info codes[] = {
#define SMTPSPEC_ENHANCED_STATUS(s, d, text, basic, rfc, description) \
  make_row(s, d, "X." SMTPSPEC_STR(s) "." SMTPSPEC_STR(d), text, basic, rfc, description),
#include "smtpspec/catalogue/enhanced_status.inc"
#undef SMTPSPEC_ENHANCED_STATUS
};

unsigned number(std::string_view digits) noexcept {
  unsigned v = 0;
  for (char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
  return v;
}

// Where a non-matching input first breaks the §2 rules, and what was expected there.
error diagnose(std::string_view s) {
  const auto fail = [](std::size_t at, const char* expected) {
    error e;
    e.code = error_code::invalid_enhanced_status;
    e.offset = at;
    e.expected = expected;
    e.rfc = info(error_code::invalid_enhanced_status).rfc;
    e.reply = info(error_code::invalid_enhanced_status).reply;
    return e;
  };
  std::size_t i = 0;
  if (s.empty() || (s[0] != '2' && s[0] != '4' && s[0] != '5')) return fail(0, "class (\"2\", \"4\" or \"5\")");
  i = 1;
  for (const char* part : {"subject", "detail"}) {
    if (i >= s.size() || s[i] != '.') return fail(i, "\".\"");
    ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return fail(start, part);
    if (s[start] == '0' && i - start > 1) return fail(start, "no leading zero (RFC 3463 §2)");
    if (i - start > 3) return fail(start + 3, std::string_view(part) == "subject" ? "\".\" (subject is 1*3digit)" : "end of input (detail is 1*3digit)");
  }
  return fail(i, "end of input");
}

}  // namespace

std::string enhanced_status::to_string() const {
  return std::to_string(cls) + '.' + std::to_string(subject) + '.' + std::to_string(detail);
}

result<enhanced_status> parse_enhanced_status(std::string_view text) noexcept {
  pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::crlf> in(text.data(), text.size(), "");
  if (pegtl::parse<pegtl::seq<g::status_code, pegtl::eof>>(in)) {
    // The grammar fixed the shape: class, ".", 1-3 digits, ".", 1-3 digits.
    const std::size_t d1 = text.find('.');
    const std::size_t d2 = text.find('.', d1 + 1);
    return enhanced_status{static_cast<unsigned>(text[0] - '0'), number(text.substr(d1 + 1, d2 - d1 - 1)),
                           number(text.substr(d2 + 1))};
  }
  return diagnose(text);
}

std::span<const status_class_info> status_class_catalogue() noexcept { return classes; }
std::span<const status_subject_info> status_subject_catalogue() noexcept { return subjects; }
std::span<const enhanced_status_info> enhanced_status_catalogue() noexcept { return codes; }

const status_class_info* lookup_status_class(unsigned cls) noexcept {
  for (const auto& c : classes)
    if (c.cls == cls) return &c;
  return nullptr;
}
const status_subject_info* lookup_status_subject(unsigned subject) noexcept {
  for (const auto& s : subjects)
    if (s.subject == subject) return &s;
  return nullptr;
}
const enhanced_status_info* lookup_enhanced_status(unsigned subject, unsigned detail) noexcept {
  for (const auto& c : codes)
    if (c.subject == subject && c.detail == detail) return &c;
  return nullptr;
}

int default_reply_code(const enhanced_status& s) noexcept {
  if (const auto* row = lookup_enhanced_status(s)) {
    for (auto code : row->basic_list())
      if (code / 100 == s.cls) return code;
  }
  return static_cast<int>(s.cls) * 100 + 50;
}

}  // namespace smtpspec
