// EHLO keywords against the IANA service extension registry (catalogue/extensions.inc): which
// extension each keyword line names, whether its parameters follow that extension's syntax
// (RFC 5321 §2.2.2 has every extension define it), and the typed values clients act on.
#include "ehlo_keywords.hpp"

#include <string_view>

#include <tao/pegtl.hpp>

#include "smtpspec/grammar/rfc1870.hpp"
#include "smtpspec/grammar/rfc2852.hpp"
#include "smtpspec/grammar/rfc3339.hpp"
#include "smtpspec/grammar/rfc4865.hpp"
#include "smtpspec/grammar/rfc4954.hpp"
#include "smtpspec/grammar/rfc6710.hpp"
#include "smtpspec/grammar/rfc9422.hpp"

namespace smtpspec::detail {
namespace {
namespace pegtl = tao::pegtl;
namespace g = smtpspec::grammar;

template <class Rule>
bool whole(std::string_view s) {
  pegtl::memory_input<pegtl::tracking_mode::lazy> in(s.data(), s.size(), "");
  int no_state = 0;  // rules with a fast path take a state
  return pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in, no_state);
}

// A run of decimal digits (already checked) as a number, or nothing above `max`.
std::optional<std::uint64_t> number(std::string_view digits, std::uint64_t max) {
  std::uint64_t n = 0;
  for (const char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (n > (max - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  return n;
}

constexpr std::uint64_t json_safe = (std::uint64_t{1} << 53) - 1;

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto up = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; };
    if (up(a[i]) != up(b[i])) return false;
  }
  return true;
}
}  // namespace

void check_ehlo_keyword(ehlo_keyword& k, bool line_ok, std::size_t offset, std::vector<reply_diagnostic>& out) {
  const auto diag = [&](reply_diagnostic_id id) {
    out.push_back({id, offset});
    // Every finding after the look-up is about the parameters.
    k.params_ok = id == reply_diagnostic_id::ehlo_unknown_keyword || id == reply_diagnostic_id::ehlo_deprecated_keyword
                      ? k.params_ok
                      : false;
  };
  k.extension = find_extension(k.keyword);
  if (!line_ok) {
    k.params_ok = false;
    return;
  }
  if (!k.extension) {
    // §2.2.2: X- keywords are private (bilateral agreement); anything else must be registered.
    if (k.keyword.empty() || (k.keyword[0] != 'X' && k.keyword[0] != 'x')) diag(reply_diagnostic_id::ehlo_unknown_keyword);
    return;
  }
  const extension_info& row = info(*k.extension);
  if (row.status == extension_status::deprecated) diag(reply_diagnostic_id::ehlo_deprecated_keyword);
  const auto& p = k.params;
  switch (row.ehlo) {
    case ehlo_syntax::none:
      if (!p.empty()) diag(reply_diagnostic_id::ehlo_unexpected_params);
      return;
    case ehlo_syntax::unspecified:
    case ehlo_syntax::no_soliciting:  // RFC 3865's keyword list is not checked
    case ehlo_syntax::burl:           // RFC 4468 §3: clients ignore arguments they do not know
      return;
    case ehlo_syntax::size:
      // RFC 1870 §4: one optional decimal number; 0 means no fixed maximum.
      if (p.size() > 1 || (p.size() == 1 && !whole<g::rfc1870::size_param>(p[0]))) {
        diag(reply_diagnostic_id::ehlo_size_syntax);
      } else if (p.size() == 1) {
        k.size = number(p[0], json_safe);
      }
      return;
    case ehlo_syntax::auth:
      // RFC 4954 §3: a space-separated list of SASL mechanism names.
      if (p.empty()) diag(reply_diagnostic_id::ehlo_auth_without_mechanisms);
      for (const auto& m : p) {
        if (!whole<g::rfc4954::sasl_mech>(m)) {
          diag(reply_diagnostic_id::ehlo_auth_mechanism_syntax);
          break;
        }
      }
      k.mechanisms = p;
      return;
    case ehlo_syntax::deliverby:
      if (p.size() > 1 || (p.size() == 1 && !whole<g::rfc2852::deliverby_param>(p[0]))) {
        diag(reply_diagnostic_id::ehlo_deliverby_syntax);
      } else if (p.size() == 1) {
        const std::string_view v = p[0];
        const auto digits = v.substr(0, v.find(','));
        if (!digits.empty()) k.min_by_time = static_cast<std::uint32_t>(*number(digits, 999'999'999));
      }
      return;
    case ehlo_syntax::futurerelease:
      // RFC 4865 §3: both max-future-release-interval and max-future-release-date-time.
      if (p.size() != 2 || !whole<g::rfc4865::future_release_integer>(p[0]) ||
          !whole<g::rfc3339::date_time>(p[1])) {
        diag(reply_diagnostic_id::ehlo_futurerelease_syntax);
      } else {
        k.max_interval = static_cast<std::uint32_t>(*number(p[0], 999'999'999));
        k.max_date_time = p[1];
      }
      return;
    case ehlo_syntax::mt_priority:
      if (p.size() > 1 || (p.size() == 1 && !whole<g::rfc6710::priority_profile>(p[0]))) {
        diag(reply_diagnostic_id::ehlo_mt_priority_syntax);
      } else if (p.size() == 1) {
        k.policy = p[0];
      }
      return;
    case ehlo_syntax::limits: {
      // RFC 9422: limit-name ["=" limit-value] pairs; registered names take %x31-39 0*5DIGIT.
      bool bad = false;
      for (std::size_t i = 0; i < p.size(); ++i) {
        const std::string_view pair = p[i];
        if (!whole<g::rfc9422::limit_name_value>(pair)) {
          bad = true;
          continue;
        }
        const std::size_t eq = pair.find('=');
        ehlo_limit l;
        l.name = std::string(pair.substr(0, eq));
        if (eq != std::string_view::npos) l.value = std::string(pair.substr(eq + 1));
        for (const auto& seen : k.limits) bad = bad || iequal(seen.name, l.name);
        if (find_server_limit(l.name)) {
          if (whole<g::rfc9422::registered_limit_value>(l.value)) {
            l.number = static_cast<std::uint32_t>(*number(l.value, 999'999));
          } else {
            bad = true;
          }
        }
        k.limits.push_back(std::move(l));
      }
      if (bad) diag(reply_diagnostic_id::ehlo_limits_syntax);
      return;
    }
  }
}

}  // namespace smtpspec::detail
