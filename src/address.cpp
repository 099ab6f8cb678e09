// parse_domain, parse_mailbox, parse_path and the value checks of §4.1.3 and §4.5.3.1.
#include <algorithm>

#include "parse_common.hpp"

namespace smtpspec {
namespace detail {

error make_error(error_code c, std::size_t offset, std::string expected) {
  const auto& i = info(c);
  return error{c, offset, std::move(expected), i.rfc, i.reply};
}

std::string state::expected_text() const {
  std::string out;
  std::vector<std::string_view> seen;
  for (const auto& e : expected) {
    std::string_view n = e.name;
    if (std::find(seen.begin(), seen.end(), n) != seen.end()) continue;
    seen.push_back(n);
    if (!out.empty()) out += " or ";
    out += n;
  }
  return out;
}

std::size_t first_forbidden_octet(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0 || c == '\r' || c == '\n' || c >= 0x80) return i;
  }
  return std::string_view::npos;
}

std::size_t first_forbidden_octet(std::string_view s, bool smtputf8) noexcept {
  if (!smtputf8) return first_forbidden_octet(s);
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = b[i];
    if (c == 0 || c == '\r' || c == '\n') return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(b + i, b + s.size());
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

error_code forbidden_octet_code(std::string_view s, std::size_t at, bool smtputf8) noexcept {
  const auto c = static_cast<unsigned char>(s[at]);
  if (smtputf8 && c >= 0x80) return utf8_error_at(s, at);
  return forbidden_octet_code(c);
}

error_code forbidden_octet_code(unsigned char c) noexcept {
  switch (c) {
    case 0: return error_code::nul_octet;
    case '\r': return error_code::bare_cr;
    case '\n': return error_code::bare_lf;
    default: return error_code::non_ascii;
  }
}

namespace {

bool fail(error& err, error_code c, std::size_t offset) {
  err = make_error(c, offset);
  return false;
}

// §4.1.3: "Snum ... representing a decimal integer value in the range 0 through 255".
bool check_ipv4(std::string_view a, const char* base, error& err) {
  std::size_t i = 0;
  while (i < a.size()) {
    const std::size_t start = i;
    unsigned v = 0;
    while (i < a.size() && a[i] != '.') v = v * 10 + static_cast<unsigned>(a[i++] - '0');
    if (v > 255) return fail(err, error_code::snum_out_of_range, static_cast<std::size_t>(a.data() + start - base));
    ++i;
  }
  return true;
}

// §4.1.3: IPv6-comp "No more than 6 groups in addition to the "::"", IPv6v4-comp no more than 4.
bool check_ipv6(std::string_view a, const char* base, error& err) {
  const auto dc = a.find("::");
  const bool v4 = a.find('.') != std::string_view::npos;
  if (v4) {
    const auto last_colon = a.rfind(':');
    if (!check_ipv4(a.substr(last_colon + 1), base, err)) return false;
  }
  if (dc == std::string_view::npos) return true;  // IPv6-full / IPv6v4-full: counts fixed by the grammar
  std::size_t groups = 0;
  bool in_group = false;
  for (char c : a) {
    if (c == '.') break;
    if (c == ':') {
      in_group = false;
    } else if (!in_group) {
      in_group = true;
      ++groups;
    }
  }
  if (v4) --groups;  // the IPv4 part's first Snum was counted
  if (groups > (v4 ? 4u : 6u)) {
    return fail(err, error_code::ipv6_too_many_groups, static_cast<std::size_t>(a.data() - base));
  }
  return true;
}

}  // namespace

bool check_domain_full(const domain& d, const parse_options& o, const char* base, error& err, diagnostics& dg) {
  const auto at = [&](const char* p) { return static_cast<std::size_t>(p - base); };
  switch (d.kind) {
    case domain_kind::name: {
      // U-labels and A-labels: IDNA2008, with the size limits applied to the A-label form.
      if (needs_idna(d.text)) return check_idna(d.text, o, base, err, dg);
      if (d.text.size() > o.limits.domain) return fail(err, error_code::domain_too_long, at(d.text.data()));
      if (d.text.size() <= o.limits.label) return true;  // no label can be too long
      std::size_t label_start = 0;
      while (label_start <= d.text.size()) {
        std::size_t dot = d.text.find('.', label_start);
        if (dot == std::string_view::npos) dot = d.text.size();
        if (dot - label_start > o.limits.label) {
          return fail(err, error_code::label_too_long, at(d.text.data() + label_start));
        }
        label_start = dot + 1;
      }
      return true;
    }
    case domain_kind::ipv4:
      if (d.text.size() > o.limits.domain) return fail(err, error_code::domain_too_long, at(d.text.data()));
      return check_ipv4(d.address, base, err);
    case domain_kind::ipv6:
      if (d.text.size() > o.limits.domain) return fail(err, error_code::domain_too_long, at(d.text.data()));
      return check_ipv6(d.address, base, err);
    case domain_kind::general:
      if (d.text.size() > o.limits.domain) return fail(err, error_code::domain_too_long, at(d.text.data()));
      // Only "IPv6" is in IANA's Address Literal Tags registry; lenient reports instead.
      if (o.profile == profile::strict) {
        return fail(err, error_code::unregistered_address_literal_tag, at(d.tag.data()));
      }
      return true;
  }
  return true;
}

bool check_mailbox_full(const mailbox& m, const parse_options& o, const char* base, error& err, diagnostics& dg) {
  if (m.local_part.size() > o.limits.local_part) {
    return fail(err, error_code::local_part_too_long, static_cast<std::size_t>(m.local_part.data() - base));
  }
  return check_domain(m.domain, o, base, err, dg);
}

bool check_path_full(const path& p, const parse_options& o, const char* base, error& err, diagnostics& dg) {
  for (const auto& d : p.source_route) {
    if (!check_domain(d, o, base, err, dg)) return false;
  }
  if (p.kind == path_kind::mailbox || p.kind == path_kind::postmaster_at_domain) {
    if (!check_mailbox(p.mailbox, o, base, err, dg)) return false;
  }
  if (p.text.size() > o.limits.path) {
    return fail(err, error_code::path_too_long, static_cast<std::size_t>(p.text.data() - base));
  }
  return true;
}

bool check_value(const domain& d, const parse_options& o, const char* b, error& e, diagnostics& dg) {
  return check_domain(d, o, b, e, dg);
}
bool check_value(const mailbox& m, const parse_options& o, const char* b, error& e, diagnostics& dg) {
  return check_mailbox(m, o, b, e, dg);
}
bool check_value(const path& p, const parse_options& o, const char* b, error& e, diagnostics& dg) {
  return check_path(p, o, b, e, dg);
}

void local_part_nfc_note(const mailbox& m, state& st) {
  if (utf8_invalid_at(m.local_part) == std::string_view::npos && !is_nfc_utf8(m.local_part)) {
    st.diag(diagnostic_id::local_part_not_nfc, m.local_part.data());
  }
}

// "<Postmaster@" Domain ">" (§4.1.1.3): no source route, a plain Domain, case-insensitive.
void classify_postmaster(path& p) {
  if (p.kind != path_kind::mailbox || !p.source_route.empty()) return;
  if (p.mailbox.domain.kind != domain_kind::name || p.mailbox.local_kind != local_part_kind::dot_string) return;
  constexpr std::string_view pm = "postmaster";
  const auto lp = p.mailbox.local_part;
  if (lp.size() != pm.size()) return;
  for (std::size_t i = 0; i < pm.size(); ++i) {
    if ((lp[i] | 0x20) != pm[i]) return;
  }
  if (p.text.empty() || p.text.front() != '<') return;
  p.kind = path_kind::postmaster_at_domain;
}

// An IPv6 literal whose content fails IPv6-addr: name it, rather than a generic syntax error.
static bool ipv6_literal_failed(std::string_view content, std::size_t pos) {
  const auto open = content.rfind('[', pos);
  if (open == std::string_view::npos) return false;
  const auto tag = content.substr(open + 1, 5);
  if (tag.size() < 5) return false;
  for (std::size_t i = 0; i < 5; ++i) {
    if ((tag[i] | 0x20) != "ipv6:"[i]) return false;
  }
  const auto close = content.find(']', open);
  return pos >= open + 6 && (close == std::string_view::npos || pos <= close);
}

// An error for a failed whole-input parse: furthest failure, or the forbidden octet there.
error syntax_failure(std::string_view input, const state& st, error_code generic) {
  const bool u8 = st.opts != nullptr && st.opts->smtputf8;
  const std::size_t bad = first_forbidden_octet(input, u8);
  if (bad != std::string_view::npos && st.max_pos >= bad) {
    return make_error(forbidden_octet_code(input, bad, u8), bad);
  }
  const std::size_t pos = std::min(st.max_pos, input.size());
  if (ipv6_literal_failed(input, pos)) return make_error(error_code::invalid_ipv6_literal, pos, st.expected_text());
  return make_error(generic, pos, st.expected_text());
}

}  // namespace detail

std::string mailbox::local_part_value() const {
  if (local_kind != local_part_kind::quoted_string || local_part.size() < 2) return std::string(local_part);
  std::string out;
  out.reserve(local_part.size() - 2);
  for (std::size_t i = 1; i + 1 < local_part.size(); ++i) {
    if (local_part[i] == '\\' && i + 2 < local_part.size()) ++i;
    out.push_back(local_part[i]);
  }
  return out;
}

namespace {
using namespace detail;

template <typename Rule, typename T, typename Get>
result<T> run(std::string_view input, const parse_options& o, Get get, error_code generic) {
  path pth;  // where path actions write (state::path_out)
  state st;
  st.base = input.data();
  st.opts = &o;
  st.pth = &pth;
  if (input.empty()) return make_error(error_code::empty_input, 0);
  if (match_all<Rule>(input, st)) {
    T v = get(st);
    error err;
    if (!detail::check_value(v, o, st.base, err, st.diags)) return err;
    value_notes(v, st);
    if (st.diags.size() > 1) std::sort(st.diags.begin(), st.diags.end(),
              [](const diagnostic& a, const diagnostic& b) { return a.offset < b.offset; });
    return result<T>(std::move(v), std::move(st.diags));
  }
  track_failure<Rule>(input, st);
  return syntax_failure(input, st, generic);
}

struct domain_rule : pegtl::sor<g::address_literal, g::Domain> {};
struct domain_rule_l : pegtl::sor<g::address_literal, gl::Domain_l> {};

}  // namespace

result<domain> parse_domain(std::string_view input, const parse_options& o) noexcept {
  const auto get = [](state& st) { return st.dom; };
  if (o.profile == profile::lenient) return run<domain_rule_l, domain>(input, o, get, error_code::syntax_error);
  return run<domain_rule, domain>(input, o, get, error_code::syntax_error);
}

result<mailbox> parse_mailbox(std::string_view input, const parse_options& o) noexcept {
  const auto get = [](state& st) { return st.mbox; };
  if (o.profile == profile::lenient) return run<gl::Mailbox_l, mailbox>(input, o, get, error_code::syntax_error);
  return run<g::Mailbox, mailbox>(input, o, get, error_code::syntax_error);
}

result<path> parse_path(std::string_view input, const parse_options& o, path_role role) noexcept {
  const auto get = [](state& st) {
    path p = *st.pth;
    classify_postmaster(p);
    return p;
  };
  auto r = o.profile == profile::lenient ? run<gl::any_path_l, path>(input, o, get, error_code::syntax_error)
                                         : run<g::any_path, path>(input, o, get, error_code::syntax_error);
  if (r.ok()) {
    if (role == path_role::forward && r->kind == path_kind::null) {
      return result<path>(make_error(error_code::null_path_not_allowed, 0));
    }
    if (role == path_role::reverse && r->kind == path_kind::postmaster) {
      return result<path>(make_error(error_code::postmaster_not_allowed, 0));
    }
  }
  return r;
}

}  // namespace smtpspec
