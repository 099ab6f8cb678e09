// smtpspec — the native half of the npm package (Emscripten).
//
// Two ways out of a parse. The fast one, taken for every result shape: numbers in a static Int32
// array (catalogue rows, offsets, kinds and references to text), from which index.js builds the
// canonical object out of slices of the caller's input. The reference one: the canonical JSON from
// smtpspec::to_json, which index.js decodes and JSON.parse()s; it remains for successes on input
// with non-ASCII octets (whose octet offsets are not string indices; no such input parses until
// SMTPUTF8 exists), for answers too large for the array, and for the tests, which compare both.
// Crossing the boundary with plain C functions (no embind strings) keeps a mailbox parse well
// under a microsecond. Everything that is not hot (catalogue, version, enum names) uses embind.
#include <emscripten.h>
#include <emscripten/bind.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "smtpspec/smtpspec.hpp"

namespace {

using namespace smtpspec;

// The call protocol, shared with index.js (the only other place that knows it).
enum kind : int {
  k_command = 0, k_path = 1, k_mailbox = 2, k_domain = 3, k_params = 4, k_to_ascii = 5, k_to_unicode = 6,
};
constexpr int flag_lenient = 1;
constexpr int role_shift = 1;        // bits 1-2: path_role
constexpr int flag_fast = 8;         // the caller accepts a fast answer
constexpr int flag_ascii_text = 16;  // the input is a JS string of ASCII characters only
constexpr int flag_rcpt = 32;        // k_params: the parameters of RCPT (else MAIL)
constexpr int flag_smtputf8 = 64;    // parse_options::smtputf8 (RFC 6531)
// smtpspec_js_parse's answers.
constexpr int answer_json = 0;
constexpr int answer_value = 1;
constexpr int answer_error = 2;
// A text is two numbers: (start, end) octets of the input, or one of these in the first.
constexpr std::int32_t text_null = -1;
constexpr std::int32_t text_interned = -2;   // second: the id for smtpspec_js_text
constexpr std::int32_t text_transient = -3;  // second: ditto, valid until the next parse
constexpr std::int32_t text_catalogue = -4;  // the error catalogue row's own rfc / reply
// Which fields a command carries after its verb (the schema's per-verb groups).
enum shape : std::int32_t {
  s_domain = 0, s_path_params = 1, s_none = 2, s_argument = 3, s_auth = 4, s_bdat = 5,
};

char* input = nullptr;
std::size_t input_capacity = 0;
std::size_t input_length = 0;
std::string json;

// A fast answer: the diagnostic count n, n pairs (catalogue row, offset), for commands the verb
// (-1 when not recognised), then the error (row, offset, expected, rfc, reply) or the value as
// the put_* functions below lay it out; index.js reads it back field by field.
// 4096 slots hold any answer to a line within the default limits many times over.
constexpr std::size_t out_size = 4096;
std::array<std::int32_t, out_size> out{};
std::size_t at = 0;
bool unfit = false;  // too long for `out`, or a view the JS side cannot slice from the input

// Texts that are not views of the input. An error's `expected`, rfc and reply come from a small
// set and are interned: index.js decodes each once and caches it. The table is capped all the
// same, so that no input can grow it without bound. An unquoted local part with quoted-pairs is
// transient.
constexpr std::size_t intern_cap = 4096;
std::deque<std::string> interned;  // a deque: the map's keys view its elements
std::unordered_map<std::string_view, std::int32_t> intern_ids;
std::vector<std::string> transient;
std::array<std::int32_t, 2> text_slot{};  // smtpspec_js_text's answer: pointer, length

void put(std::int32_t v) {
  if (at < out_size) out[at++] = v;
  else unfit = true;
}
void put_size(std::size_t v) {
  if (v > 0x7fffffff) unfit = true;
  put(static_cast<std::int32_t>(v));
}
void put_pair(std::int32_t a, std::int32_t b) {
  put(a);
  put(b);
}
void put_null() { put_pair(text_null, 0); }

// A text that is not a view of the input, valid until the next parse.
void put_transient(std::string_view s) {
  transient.emplace_back(s);
  put_pair(text_transient, static_cast<std::int32_t>(transient.size() - 1));
}
// One of the few texts that recur (an error's expected, rfc, reply): interned, or past the cap
// transient.
void put_interned(std::string_view s) {
  if (const auto it = intern_ids.find(s); it != intern_ids.end()) {
    put_pair(text_interned, it->second);
  } else if (interned.size() < intern_cap) {
    const auto id = static_cast<std::int32_t>(interned.size());
    intern_ids.emplace(interned.emplace_back(s), id);
    put_pair(text_interned, id);
  } else {
    put_transient(s);
  }
}
// A view of the input.
void put_view(std::string_view s) {
  if (s.empty()) {  // an empty view may have a null data()
    put_pair(0, 0);
    return;
  }
  if (s.data() < input || s.data() + s.size() > input + input_length) {
    unfit = true;
    return;
  }
  put_pair(static_cast<std::int32_t>(s.data() - input), static_cast<std::int32_t>(s.data() + s.size() - input));
}
void put_view_or_null(std::string_view s, bool present) {
  if (present) put_view(s);
  else put_null();
}

// The nulls follow src/json.cpp (the tests compare the two for every vector). index.js reads a
// domain (11 slots) and a mailbox (18) at fixed offsets: keep DOMAIN_SLOTS and MAILBOX_SLOTS in step.
void put_domain(const domain& d) {
  put_view(d.text);
  put(static_cast<std::int32_t>(d.kind));
  put_view_or_null(d.tag, d.kind == domain_kind::ipv6 || d.kind == domain_kind::general);
  put_view_or_null(d.address, d.kind != domain_kind::name);
  // "ascii" and "unicode": a lower-case name without "-" (so no "xn--" label) is its own canonical
  // form, a view; otherwise the library computes both (IDNA), as json.cpp does.
  if (d.kind != domain_kind::name) {
    put_null();
    put_null();
    return;
  }
  bool plain = true;
  for (const char c : d.text) plain = plain && !(c >= 'A' && c <= 'Z') && c != '-' && static_cast<unsigned char>(c) < 0x80;
  if (plain) {
    put_view(d.text);
    put_view(d.text);
    return;
  }
  const std::string a = d.ascii(), u = d.unicode();
  if (a.empty() || u.empty()) {
    put_null();
    put_null();
  } else {
    put_transient(a);
    put_transient(u);
  }
}

void put_mailbox(const mailbox& m) {
  put_view(m.text);
  put_view(m.local_part);
  put(static_cast<std::int32_t>(m.local_kind));
  if (m.local_kind == local_part_kind::dot_string) {
    put_view(m.local_part);  // nothing to unquote
  } else {
    // The library's own unquoting; usually the part between the quotes, which is a view.
    const std::string value = m.local_part_value();
    const std::string_view inner =
        m.local_part.size() >= 2 ? m.local_part.substr(1, m.local_part.size() - 2) : std::string_view{};
    if (value == inner) put_view(inner);
    else put_transient(value);
  }
  put_domain(m.domain);
}

void put_path(const path& p) {
  put_view(p.text);
  put(static_cast<std::int32_t>(p.kind));
  put_size(p.source_route.size());
  for (const auto& d : p.source_route) put_domain(d);
  const bool has_mailbox = p.kind == path_kind::mailbox || p.kind == path_kind::postmaster_at_domain;
  put(has_mailbox ? 1 : 0);
  if (has_mailbox) put_mailbox(p.mailbox);
}

// One ESMTP parameter, 15 slots (PARAM_SLOTS in index.js): keyword, value, kind (0: untyped),
// extension row (-1: none), number (two halves), integer, the kind's small value (body, ret,
// notify bits, by-mode, encoding or rrvs action), trace, text (decoded where the kind encodes
// it), addr_type.
void put_param(const esmtp_param& p) {
  put_view(p.keyword);
  put_view_or_null(p.value, p.has_value);
  put(static_cast<std::int32_t>(p.kind));
  const auto ext = p.extension();
  put(ext ? static_cast<std::int32_t>(*ext) : -1);
  if (p.number > 0x1fffffffffffffULL) unfit = true;  // typed values stay within 2^53-1
  put(static_cast<std::int32_t>(p.number >> 32));
  put(static_cast<std::int32_t>(p.number & 0xffffffffU));
  put(p.integer);
  std::int32_t small = 0;
  switch (p.kind) {
    case param_kind::body: small = static_cast<std::int32_t>(p.body); break;
    case param_kind::ret: small = static_cast<std::int32_t>(p.ret); break;
    case param_kind::notify: small = p.notify; break;
    case param_kind::by: small = static_cast<std::int32_t>(p.mode); break;
    case param_kind::orcpt: small = static_cast<std::int32_t>(p.encoding); break;
    case param_kind::rrvs: small = static_cast<std::int32_t>(p.rrvs); break;
    default: break;
  }
  put(small);
  put(p.trace ? 1 : 0);
  switch (p.kind) {
    case param_kind::envid: case param_kind::auth: case param_kind::orcpt: {
      if (!p.has_text) {
        put_null();
        break;
      }
      const std::string d = p.decoded();
      if (d == p.text) put_view(p.text);
      else put_transient(d);
      break;
    }
    default:
      put_view_or_null(p.text, p.has_text);
  }
  put_view(p.addr_type);
}

void put_params(const std::vector<esmtp_param>& ps) {
  put_size(ps.size());
  for (const auto& p : ps) put_param(p);
}

void put_command(const command& c) {
  switch (c.verb) {
    case verb::ehlo: case verb::helo: case verb::lhlo:
      put(s_domain);
      put_domain(c.domain);
      return;
    case verb::mail: case verb::rcpt:
      put(s_path_params);
      put_path(c.path);
      put_params(c.params);
      return;
    case verb::vrfy: case verb::expn: case verb::help: case verb::noop:
      put(s_argument);
      put_view_or_null(c.argument, c.has_argument);
      return;
    case verb::auth:
      put(s_auth);
      put_view(c.mechanism);
      put_view_or_null(c.initial_response, c.has_initial_response);
      return;
    case verb::bdat:
      // Two halves of a number the grammar keeps within 2^53-1, the largest a JS number holds.
      if (c.chunk_size > 0x1fffffffffffffULL) unfit = true;
      put(s_bdat);
      put(static_cast<std::int32_t>(c.chunk_size >> 32));
      put(static_cast<std::int32_t>(c.chunk_size & 0xffffffffU));
      put(c.last ? 1 : 0);
      return;
    case verb::data: case verb::rset: case verb::quit: case verb::starttls:
      put(s_none);
      return;
  }
  unfit = true;  // a verb this file does not know yet: the JSON path describes it
}

// An error: its catalogue row, offset, expected, then rfc and reply (usually the row's own; a
// context may refine them, e.g. MAIL's 553 5.1.7).
void put_error(const error& e) {
  const auto& row = info(e.code);
  put(static_cast<std::int32_t>(&row - error_catalogue().data()));
  put_size(e.offset);
  put_interned(e.expected);
  if (e.rfc == row.rfc) put_pair(text_catalogue, 0);
  else put_interned(e.rfc);
  if (e.reply == row.reply) put_pair(text_catalogue, 0);
  else put_interned(e.reply);
}

bool ascii(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

constexpr int not_a_command = -2;  // answer()'s verb_index for the other kinds (no verb field)

template <class T, class Fill>
int answer(const result<T>& r, int flags, int verb_index, Fill fill) {
  // A value's texts are sliced from the caller's input by octet offsets, which are string indices
  // only for ASCII; so a value from other input goes as JSON. An error needs no slices.
  if ((flags & flag_fast) != 0 && (!r.ok() || (flags & flag_ascii_text) != 0 || ascii({input, input_length}))) {
    at = 0;
    unfit = false;
    transient.clear();
    put_size(r.diags().size());
    for (const auto& d : r.diags()) {
      put(static_cast<std::int32_t>(&info(d.id) - diagnostic_catalogue().data()));
      put_size(d.offset);
    }
    if (verb_index != not_a_command) put(verb_index);
    if (r.ok()) fill(r.value());
    else put_error(r.error());
    if (!unfit) return r.ok() ? answer_value : answer_error;
  }
  json = to_json(r);
  out[0] = static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(json.data()));
  out[1] = static_cast<std::int32_t>(json.size());
  return answer_json;
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
  // Typed parameters: kinds by their keyword (index 0: untyped), extensions by row.
  s += ",\"param_kinds\":[null";
  for (const auto& row : param_catalogue()) {
    s += ",\"";
    s += row.keyword;
    s += '"';
  }
  s += "],\"extensions\":[";
  for (const auto& row : extension_catalogue()) {
    if (s.back() != '[') s += ',';
    s += '"';
    s += row.keyword;
    s += '"';
  }
  s += ']';
  list(s, "body_types", {body_type::seven_bit, body_type::eight_bit_mime, body_type::binary_mime});
  list(s, "ret_types", {ret_type::full, ret_type::hdrs});
  list(s, "by_modes", {by_mode::notify, by_mode::ret});
  list(s, "orcpt_encodings",
       {orcpt_encoding::xtext, orcpt_encoding::utf8_addr_xtext, orcpt_encoding::utf8_addr_unitext});
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
EMSCRIPTEN_KEEPALIVE std::int32_t smtpspec_js_out_size() { return static_cast<std::int32_t>(out_size); }
EMSCRIPTEN_KEEPALIVE std::int32_t* smtpspec_js_text_slot() { return text_slot.data(); }

// Where a text of a fast answer is: (pointer, length) into text_slot. `which` is text_interned
// or text_transient; anything unknown is the empty text.
EMSCRIPTEN_KEEPALIVE void smtpspec_js_text(std::int32_t which, std::int32_t id) {
  std::string_view s;
  if (which == text_interned && id >= 0 && static_cast<std::size_t>(id) < interned.size()) s = interned[id];
  if (which == text_transient && id >= 0 && static_cast<std::size_t>(id) < transient.size()) s = transient[id];
  text_slot[0] = static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(s.data()));
  text_slot[1] = static_cast<std::int32_t>(s.size());
}

// Parses the first `length` octets of the reserved buffer. Returns answer_value or answer_error
// for a fast answer in out, answer_json for canonical JSON at (out[0], out[1]).
EMSCRIPTEN_KEEPALIVE int smtpspec_js_parse(int what, std::size_t length, int flags) {
  parse_options options;
  if (flags & flag_lenient) options.profile = profile::lenient;
  options.smtputf8 = (flags & flag_smtputf8) != 0;
  input_length = length;
  const std::string_view in{input, length};
  switch (what) {
    case k_command: {
      const auto r = parse_command(in, options);
      const auto v = command_verb(r);
      return answer(r, flags, v ? static_cast<int>(*v) : -1, put_command);
    }
    case k_path: {
      const int role_bits = (flags >> role_shift) & 3;
      const auto role = role_bits == 1 ? path_role::reverse : role_bits == 2 ? path_role::forward : path_role::any;
      return answer(parse_path(in, options, role), flags, not_a_command, put_path);
    }
    case k_mailbox:
      return answer(parse_mailbox(in, options), flags, not_a_command, put_mailbox);
    case k_params:
      return answer(parse_esmtp_params((flags & flag_rcpt) != 0 ? verb::rcpt : verb::mail, in, options), flags,
                    not_a_command, put_params);
    case k_to_ascii:
    case k_to_unicode: {
      // domainToAscii / domainToUnicode: always the canonical JSON (no fast layout for a string).
      json = to_json(what == k_to_ascii ? domain_to_ascii(in, options) : domain_to_unicode(in, options));
      out[0] = static_cast<std::int32_t>(reinterpret_cast<std::uintptr_t>(json.data()));
      out[1] = static_cast<std::int32_t>(json.size());
      return answer_json;
    }
    default:
      return answer(parse_domain(in, options), flags, not_a_command, put_domain);
  }
}

}  // extern "C"

EMSCRIPTEN_BINDINGS(smtpspec) {
  emscripten::function("catalogueJson", &smtpspec::catalogue_json);
  emscripten::function("namesJson", &names_json);
  emscripten::function("version", &version);
}
