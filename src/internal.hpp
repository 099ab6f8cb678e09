// Internal: the parse state shared by the grammar actions, the error-tracking control, and
// the value checks that the ABNF states in prose. Not installed.
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tao/pegtl.hpp>

#include "smtpspec/command.hpp"
#include "unicode.hpp"

namespace smtpspec::detail {
namespace pegtl = tao::pegtl;

// Everything a parse records. Actions write views into the caller's input.
struct state {
  const char* base = nullptr;
  const parse_options* opts = nullptr;

  // address captures (the latest one wins; actions run inner-first)
  domain dom;
  domain_kind lit_kind = domain_kind::ipv4;
  std::string_view lit_tag, lit_addr;
  std::string_view local;
  mailbox mbox;
  std::vector<domain> route;
  path* pth = nullptr;  // parse_path's output (see path_out); a command writes into `cmd`
  bool path_seen = false;
  bool postmaster_form = false;
  bool bare_path = false;

  // command captures
  command* cmd = nullptr;
  std::size_t path_start = 0;  // where the MAIL/RCPT path begins
  std::size_t chunk_overflow = std::string_view::npos;  // offset of a too-large chunk-size

  diagnostics diags;

  // furthest-failure tracking (error pass only)
  struct expectation { const char* name; std::size_t seq; };
  bool tracking = false;
  std::size_t max_pos = 0;
  bool any_failure = false;
  std::vector<expectation> expected;
  std::size_t seq = 0;
  std::array<std::size_t, 256> seq_stack;  // uninitialised on purpose: only the error pass uses them
  std::array<std::size_t, 256> pos_stack;
  std::size_t depth = 0;

  // Where a parsed path goes: straight into the command being built, or `*pth` for parse_path.
  // A pointer, not a member, so a command parse does not construct and destroy an unused path.
  [[nodiscard]] path& path_out() noexcept { return cmd != nullptr ? cmd->path : *pth; }
  [[nodiscard]] std::size_t off(const char* p) const noexcept { return static_cast<std::size_t>(p - base); }
  void diag(diagnostic_id id, const char* at) { diags.push_back({id, off(at)}); }
  [[nodiscard]] std::size_t diag_mark() const noexcept { return diags.size(); }
  void diag_rollback(std::size_t m) { diags.resize(m); }
  [[nodiscard]] std::string expected_text() const;
};

struct eof_rule : pegtl::eof { static constexpr const char* name = "end of input"; };

template <class Rule>
concept named_rule = requires { Rule::name; };

// The error pass: remembers, at the furthest position any named rule failed, the outermost named
// rules that failed there (so "a@" expects "Domain or address-literal", not "ALPHA").
template <typename Rule>
struct tracking_control : pegtl::normal<Rule> {
  template <typename Input, typename... States>
  static void start(const Input& in, state& st, States&&... /*unused*/) noexcept {
    if (st.depth < st.seq_stack.size()) {
      st.seq_stack[st.depth] = st.seq;
      st.pos_stack[st.depth] = st.off(in.current());
    }
    ++st.depth;
  }
  template <typename Input, typename... States>
  static void success(const Input& /*in*/, state& st, States&&... /*unused*/) noexcept {
    --st.depth;
  }
  template <typename Input, typename... States>
  static void failure(const Input& in, state& st, States&&... /*unused*/) {
    --st.depth;
    if constexpr (named_rule<Rule>) {
      // The position where the rule started (PEGTL may rewind only after this call).
      const std::size_t p = st.depth < st.pos_stack.size() ? st.pos_stack[st.depth] : st.off(in.current());
      if (!st.any_failure || p > st.max_pos) {
        st.any_failure = true;
        st.max_pos = p;
        st.expected.clear();
      } else if (p < st.max_pos) {
        return;
      }
      // Replace what this rule's own descendants recorded here by the rule itself.
      const std::size_t since = st.depth < st.seq_stack.size() ? st.seq_stack[st.depth] : 0;
      std::erase_if(st.expected, [&](const state::expectation& e) { return e.seq >= since; });
      st.expected.push_back({Rule::name, st.seq++});
    }
  }
};

// Value checks the ABNF leaves to prose (§4.1.3, §4.5.3.1). Return false and fill `err`.
// The common cases (a short name, no source route) are decided inline: these run on every
// MAIL, RCPT and EHLO, and the full checks live in address.cpp.
// IDNA checks (src/unicode.cpp) may add lenient diagnostics to `dg`.
bool check_domain_full(const domain& d, const parse_options& o, const char* base, error& err, diagnostics& dg);
bool check_mailbox_full(const mailbox& m, const parse_options& o, const char* base, error& err, diagnostics& dg);
bool check_path_full(const path& p, const parse_options& o, const char* base, error& err, diagnostics& dg);
inline bool check_domain(const domain& d, const parse_options& o, const char* base, error& err, diagnostics& dg) {
  // A name no longer than a label and within the domain limit cannot fail (see check_domain_full),
  // unless it may hold an A-label ("xn--": a "-") or, with SMTPUTF8, a U-label.
  if (d.kind == domain_kind::name && d.text.size() <= o.limits.domain && d.text.size() <= o.limits.label &&
      !o.smtputf8 && d.text.find('-') == std::string_view::npos) {
    return true;
  }
  return check_domain_full(d, o, base, err, dg);
}
inline bool check_mailbox(const mailbox& m, const parse_options& o, const char* base, error& err, diagnostics& dg) {
  if (m.local_part.size() > o.limits.local_part) return check_mailbox_full(m, o, base, err, dg);
  return check_domain(m.domain, o, base, err, dg);
}
inline bool check_path(const path& p, const parse_options& o, const char* base, error& err, diagnostics& dg) {
  if (!p.source_route.empty() || p.text.size() > o.limits.path) return check_path_full(p, o, base, err, dg);
  if (p.kind == path_kind::mailbox || p.kind == path_kind::postmaster_at_domain) {
    return check_mailbox(p.mailbox, o, base, err, dg);
  }
  return true;
}

error make_error(error_code c, std::size_t offset, std::string expected = {});
// The first octet that no SMTP grammar accepts in a command line, or npos.
std::size_t first_forbidden_octet(std::string_view s) noexcept;
// The error for a forbidden octet (NUL, CR, LF, 8-bit).
error_code forbidden_octet_code(unsigned char c) noexcept;
// With SMTPUTF8 (RFC 6531) well-formed UTF-8 is allowed, so the forbidden octets are NUL, CR, LF
// and the first octet of an ill-formed UTF-8 sequence; without it, as above.
std::size_t first_forbidden_octet(std::string_view s, bool smtputf8) noexcept;
error_code forbidden_octet_code(std::string_view s, std::size_t at, bool smtputf8) noexcept;

bool check_value(const domain& d, const parse_options& o, const char* base, error& err, diagnostics& dg);
bool check_value(const mailbox& m, const parse_options& o, const char* base, error& err, diagnostics& dg);
bool check_value(const path& p, const parse_options& o, const char* base, error& err, diagnostics& dg);
// RFC 6532 §3.1: a UTF-8 local part SHOULD be NFC (both profiles note it). Out of line: SMTPUTF8 only.
void local_part_nfc_note(const mailbox& m, state& st);
// Info diagnostics about a parsed value (source route, quoted local part, literal tags).
// Inline: on the usual value none applies, and the test is a few compares.
inline void value_notes(const domain& d, state& st) {
  if (d.kind == domain_kind::general && st.opts->profile == profile::lenient) {
    st.diag(diagnostic_id::unregistered_address_literal_tag, d.tag.data());
  }
}
inline void value_notes(const mailbox& m, state& st) {
  if (m.local_kind == local_part_kind::quoted_string) st.diag(diagnostic_id::quoted_local_part, m.local_part.data());
  if (st.opts->smtputf8) local_part_nfc_note(m, st);
  value_notes(m.domain, st);
}
inline void value_notes(const path& p, state& st) {
  if (!p.source_route.empty()) {
    st.diag(diagnostic_id::source_route_ignored, p.source_route.front().text.data() - 1);
    for (const auto& d : p.source_route) value_notes(d, st);
  }
  if (p.kind == path_kind::mailbox || p.kind == path_kind::postmaster_at_domain) value_notes(p.mailbox, st);
}
// Turns a mailbox path into postmaster_at_domain when it is "<Postmaster@" Domain ">".
void classify_postmaster(path& p);
// The error for a failed whole-input parse (after track_failure).
error syntax_failure(std::string_view input, const state& st, error_code generic);

}  // namespace smtpspec::detail
