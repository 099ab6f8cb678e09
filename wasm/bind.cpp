// smtpspec — the native half of the npm package (Emscripten).
//
// Two ways out of a parse. The general one: the canonical JSON from smtpspec::to_json, which the
// JS side decodes and JSON.parse()s. The fast one, for the common case (a success with
// dot-string mailboxes and domain names): octet offsets into the input in a static Int32 array,
// from which the JS side builds the same object out of slices of the caller's string. Crossing
// the boundary with plain C functions (no embind strings) keeps a mailbox parse well under a
// microsecond. Everything that is not hot (catalogue, version, enum names) goes through embind.
#include <emscripten.h>
#include <emscripten/bind.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "smtpspec/smtpspec.hpp"

namespace {

using namespace smtpspec;

// Kinds and flags shared with index.js (the only other place that knows them).
enum kind : int { k_command = 0, k_path = 1, k_mailbox = 2, k_domain = 3 };
constexpr int flag_lenient = 1;
constexpr int flag_fast = 8;  // the caller accepts a fast (offsets) answer
constexpr int role_shift = 1;  // bits 1-2: path_role

char* input = nullptr;
std::size_t input_capacity = 0;
std::size_t input_length = 0;
std::string json;
// Fast answers: [0..1] json pointer/length on the slow path; otherwise the diagnostic count n,
// n pairs (catalogue row, offset), then the value's layout as written by the put_* functions
// below and read back field by field in index.js.
constexpr std::size_t out_size = 256;
std::array<std::int32_t, out_size> out{};
std::size_t at = 0;
bool unfit = false;  // too long for `out`, or a view the JS side could not slice from the input

void put(std::int32_t v) {
  if (at < out_size) out[at++] = v;
  else unfit = true;
}
void put(std::string_view s) {
  if (s.empty()) {  // an empty view may have a null data()
    put(0);
    put(0);
    return;
  }
  if (s.data() < input || s.data() + s.size() > input + input_length) unfit = true;
  put(static_cast<std::int32_t>(s.data() - input));
  put(static_cast<std::int32_t>(s.data() + s.size() - input));
}

// Only successes whose shapes the JS side can rebuild from slices of the input qualify (plus
// diagnostics, by catalogue row); anything else takes JSON.
bool fast_domain(const domain& d) { return d.kind == domain_kind::name; }
bool fast_mailbox(const mailbox& m) {
  return m.local_kind == local_part_kind::dot_string && fast_domain(m.domain);
}
bool fast_path(const path& p) {
  if (!p.source_route.empty()) return false;
  if (p.kind == path_kind::mailbox || p.kind == path_kind::postmaster_at_domain)
    return fast_mailbox(p.mailbox);
  return true;
}

void put_domain(const domain& d) { put(d.text); }
void put_mailbox(const mailbox& m) {
  put(m.text);
  put(m.local_part);
  put_domain(m.domain);
}
void put_path(const path& p) {
  put(p.text);
  put(static_cast<std::int32_t>(p.kind));
  const bool has_mailbox = p.kind == path_kind::mailbox || p.kind == path_kind::postmaster_at_domain;
  put(has_mailbox ? 1 : 0);
  if (has_mailbox) put_mailbox(p.mailbox);
}

// Which fields a fast command carries after its verb (the schema's per-verb groups).
enum shape : std::int32_t { s_domain = 0, s_path_params = 1, s_none = 2 };

bool put_command(const command& c) {
  switch (c.verb) {
    case verb::ehlo: case verb::helo: case verb::lhlo:
      if (!fast_domain(c.domain)) return false;
      put(static_cast<std::int32_t>(c.verb));
      put(s_domain);
      put_domain(c.domain);
      return true;
    case verb::mail: case verb::rcpt:
      if (!fast_path(c.path)) return false;
      put(static_cast<std::int32_t>(c.verb));
      put(s_path_params);
      put_path(c.path);
      put(static_cast<std::int32_t>(c.params.size()));
      for (const auto& p : c.params) {
        put(p.keyword);
        if (p.has_value) {
          put(p.value);
        } else {
          put(-1);
          put(-1);
        }
      }
      return true;
    case verb::data: case verb::rset: case verb::quit: case verb::starttls:
      put(static_cast<std::int32_t>(c.verb));
      put(s_none);
      return true;
    default:  // arguments, AUTH, BDAT: rarer, and BDAT's size needs 53 bits
      return false;
  }
}

// The row of a diagnostic in diagnostic_catalogue(), the table the JS side has.
std::int32_t row_of(diagnostic_id id) {
  const auto rows = diagnostic_catalogue();
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].id == id) return static_cast<std::int32_t>(i);
  unfit = true;
  return -1;
}

template <class T>
int answer(const result<T>& r, bool fast, bool (*fill)(const T&)) {
  if (fast && r.ok()) {
    at = 0;
    unfit = false;
    put(static_cast<std::int32_t>(r.diags().size()));
    for (const auto& d : r.diags()) {
      put(row_of(d.id));
      put(static_cast<std::int32_t>(d.offset));
    }
    if (fill(r.value()) && !unfit) return 1;
  }
  json = to_json(r);
  out[0] = static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(json.data()));
  out[1] = static_cast<std::int32_t>(json.size());
  return 0;
}

template <class E>
void list(std::string& s, const char* name, std::initializer_list<E> values) {
  s += ",\"";
  s += name;
  s += "\":[";
  for (auto v : values) {
    if (s.back() != '[') s += ',';
    s += '"';
    s += to_string(v);
    s += '"';
  }
  s += ']';
}

// The enum names the JS side needs (for fast answers and the generated .d.ts), by index.
std::string names_json() {
  // Indexed by the enum's value, which is what a fast answer carries.
  std::vector<std::string_view> verbs(all_verbs().size());
  for (auto v : all_verbs()) verbs.at(static_cast<std::size_t>(v)) = to_string(v);
  std::string s = "{\"verbs\":[";
  for (auto v : verbs) {
    if (s.back() != '[') s += ',';
    s += '"';
    s += v;
    s += '"';
  }
  s += ']';
  // Listed by enumerator so that a new one fails to compile here rather than drift silently.
  list(s, "path_kinds", {path_kind::null, path_kind::postmaster, path_kind::postmaster_at_domain,
                         path_kind::mailbox});
  list(s, "domain_kinds",
       {domain_kind::name, domain_kind::ipv4, domain_kind::ipv6, domain_kind::general});
  list(s, "local_part_kinds", {local_part_kind::dot_string, local_part_kind::quoted_string});
  list(s, "severities", {severity::info, severity::warning, severity::error});
  s += '}';
  return s;
}

std::string version() { return SMTPSPEC_VERSION_STRING; }

}  // namespace

extern "C" {

// A buffer of at least n octets for the next input; null when memory is exhausted.
EMSCRIPTEN_KEEPALIVE char* smtpspec_js_reserve(std::size_t n) {
  if (n > input_capacity || input == nullptr) {
    std::free(input);
    input_capacity = n < 256 ? 256 : n;
    input = static_cast<char*>(std::malloc(input_capacity));
    if (input == nullptr) input_capacity = 0;
  }
  return input;
}

EMSCRIPTEN_KEEPALIVE std::int32_t* smtpspec_js_out() { return out.data(); }

// Parses the first `length` octets of the reserved buffer. Returns 1 for a fast answer in out,
// 0 for canonical JSON at (out[0], out[1]).
EMSCRIPTEN_KEEPALIVE int smtpspec_js_parse(int what, std::size_t length, int flags) {
  parse_options options;
  if (flags & flag_lenient) options.profile = profile::lenient;
  const bool fast = (flags & flag_fast) != 0;
  input_length = length;
  const std::string_view in{input, length};
  switch (what) {
    case k_command:
      return answer(parse_command(in, options), fast, &put_command);
    case k_path: {
      const int r = (flags >> role_shift) & 3;
      const auto role = r == 1 ? path_role::reverse : r == 2 ? path_role::forward : path_role::any;
      return answer(parse_path(in, options, role), fast, +[](const path& p) {
        if (!fast_path(p)) return false;
        put_path(p);
        return true;
      });
    }
    case k_mailbox:
      return answer(parse_mailbox(in, options), fast, +[](const mailbox& m) {
        if (!fast_mailbox(m)) return false;
        put_mailbox(m);
        return true;
      });
    default:
      return answer(parse_domain(in, options), fast, +[](const domain& d) {
        if (!fast_domain(d)) return false;
        put_domain(d);
        return true;
      });
  }
}

}  // extern "C"

EMSCRIPTEN_BINDINGS(smtpspec) {
  emscripten::function("catalogueJson", &smtpspec::catalogue_json);
  emscripten::function("namesJson", &names_json);
  emscripten::function("version", &version);
}
