// smtpspec — the PROXY protocol header (HAProxy's proxy-protocol.txt), version 1 (text) and 2
// (binary), parsed from the first octets of a connection.
//
// The answer is `incomplete` only while more octets could still make a valid header: every octet
// seen so far is checked as it would be in a complete header, and nobody waits past the largest
// header (107 octets for v1, 16 + the announced length for v2).
//
// Facts from the specification:
//  v1: "PROXY" SP ("TCP4" | "TCP6") SP src SP dst SP sport SP dport CRLF, single spaces, addresses
//      of the announced family, ports 0..65535 in decimal without leading zeroes ("to avoid any
//      possible confusion with octal numbers"); or "PROXY UNKNOWN" followed by anything up to the
//      CRLF, which the receiver ignores. At most 107 octets with the CRLF.
//  v2: the 12-octet signature \r\n\r\n\0\r\nQUIT\n; then version (high nibble, must be 2) and
//      command (low nibble: 0 LOCAL, 1 PROXY; other values must be refused); family (high nibble:
//      0 UNSPEC, 1 INET, 2 INET6, 3 UNIX) and transport (low nibble: 0 UNSPEC, 1 STREAM, 2 DGRAM),
//      other values refused; a 16-bit big-endian length of what follows. The address block is
//      12 (INET), 36 (INET6) or 216 (UNIX) octets and the length must cover it; the rest are TLVs
//      (type, 16-bit length, value). LOCAL: the receiver uses the real connection's endpoints and
//      discards the block, family included.
//      PP2_TYPE_CRC32C (0x03, 4 octets, big-endian): a receiver that supports it MUST check the
//      CRC32c of the whole header computed with those 4 octets as zeroes, and treat a mismatch as
//      invalid; smtpspec does. Other TLVs are kept as type/value pairs, unchecked.
#include <algorithm>
#include <array>
#include <cstdio>

#include "json_escape.hpp"
#include "smtpspec/session.hpp"

namespace smtpspec {
namespace {

constexpr std::string_view v1_prefix = "PROXY ";
constexpr std::size_t v1_max = 107;
constexpr std::string_view v2_signature{"\r\n\r\n\0\r\nQUIT\n", 12};
constexpr unsigned pp2_type_crc32c = 0x03;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_hex(char c) noexcept { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// A decimal number 0..max without leading zeroes; `partial`: may `t` still grow into one?
bool valid_decimal(std::string_view t, unsigned max, bool partial) noexcept {
  if (t.empty()) return partial;
  if (t.size() > 1 && t[0] == '0') return false;
  unsigned long v = 0;
  for (const char c : t) {
    if (!is_digit(c)) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
    if (v > max) return false;
  }
  return true;
}

// Dotted-quad IPv4 (four decimal octets, no leading zeroes); `partial`: a prefix of one.
bool valid_ipv4(std::string_view t, bool partial, std::array<std::uint8_t, 4>* out = nullptr) noexcept {
  std::size_t part = 0;
  for (;;) {
    const std::size_t dot = t.find('.');
    const std::string_view p = t.substr(0, dot);
    const bool last = dot == std::string_view::npos;
    if (!valid_decimal(p, 255, partial && last)) return false;
    if (out != nullptr && !p.empty()) {
      unsigned v = 0;
      for (const char c : p) v = v * 10 + static_cast<unsigned>(c - '0');
      (*out)[part] = static_cast<std::uint8_t>(v);
    }
    if (last) return partial ? part <= 3 : part == 3;
    if (++part > 3) return false;
    t.remove_prefix(dot + 1);
  }
}

// RFC 4291 §2.2 text form: eight 16-bit hex groups, one "::" for a run of zero groups, the last
// 32 bits optionally in dotted-quad form. `partial`: a prefix of one (checked loosely: the octets
// allowed, at most one "::", at most 45 octets).
bool valid_ipv6(std::string_view t, bool partial) noexcept {
  if (t.size() > 45) return false;
  if (partial) {
    for (const char c : t)
      if (!is_hex(c) && c != ':' && c != '.') return false;
    const std::size_t dc = t.find("::");
    return t.find(":::") == std::string_view::npos &&
           (dc == std::string_view::npos || t.find("::", dc + 1) == std::string_view::npos);
  }
  std::size_t groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (t.starts_with("::")) {
    compressed = true;
    i = 2;
    if (t.size() == 2) return true;
  } else if (t.starts_with(":")) {
    return false;
  }
  while (i < t.size()) {
    std::size_t j = i;
    while (j < t.size() && is_hex(t[j]) && j - i < 5) ++j;
    if (j < t.size() && t[j] == '.') {  // the embedded IPv4 ends the address
      if (!valid_ipv4(t.substr(i), false)) return false;
      groups += 2;
      i = t.size();
      break;
    }
    if (j == i || j - i > 4) return false;
    ++groups;
    if (j == t.size()) {
      i = j;
      break;
    }
    if (t[j] != ':') return false;
    if (j + 1 < t.size() && t[j + 1] == ':') {
      if (compressed) return false;
      compressed = true;
      i = j + 2;
      if (i == t.size()) break;
    } else {
      i = j + 1;
      if (i == t.size()) return false;  // a trailing single ":"
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

std::string format_ipv4(const unsigned char* p) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
  return buf;
}

// RFC 5952 §4: lower case, no leading zeroes, the longest run (the first of equal ones) of two
// or more zero groups as "::"; §5: IPv4-mapped addresses end in dotted-quad form.
std::string format_ipv6(const unsigned char* p) {
  std::array<unsigned, 8> g{};
  for (std::size_t k = 0; k < 8; ++k) g[k] = static_cast<unsigned>(p[2 * k] << 8 | p[2 * k + 1]);
  if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff)
    return "::ffff:" + format_ipv4(p + 12);
  std::size_t best = 8, best_len = 0;
  for (std::size_t k = 0; k < 8;) {
    if (g[k] != 0) {
      ++k;
      continue;
    }
    std::size_t e = k;
    while (e < 8 && g[e] == 0) ++e;
    if (e - k > best_len && e - k >= 2) {
      best = k;
      best_len = e - k;
    }
    k = e;
  }
  std::string s;
  char buf[8];
  for (std::size_t k = 0; k < 8; ++k) {
    if (k == best) {
      s += "::";
      k += best_len - 1;
      continue;
    }
    if (!s.empty() && s.back() != ':') s += ':';
    std::snprintf(buf, sizeof buf, "%x", g[k]);
    s += buf;
  }
  return s;
}

// CRC32c (Castagnoli; RFC 4960 Appendix B: reflected polynomial 0x82F63B78, initial value and
// final XOR 0xFFFFFFFF), as PP2_TYPE_CRC32C uses it.
std::uint32_t crc32c(std::string_view s) noexcept {
  std::uint32_t c = 0xffffffffu;
  for (const char ch : s) {
    c ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1u)));
  }
  return c ^ 0xffffffffu;
}

proxy_parse_result invalid(std::string error) {
  proxy_parse_result r;
  r.state = proxy_parse_result::status::invalid;
  r.error = std::move(error);
  return r;
}

proxy_parse_result parse_v1(std::string_view b) {
  proxy_parse_result r;
  // The line: up to the first LF, which must follow a CR; no other CR or LF inside.
  const std::size_t lf = b.substr(0, v1_max).find('\n');
  const bool complete = lf != std::string_view::npos;
  // Without a LF the line must still have room for its CRLF within 107 octets.
  if (!complete && (b.size() >= v1_max || (b.size() == v1_max - 1 && b.back() != '\r')))
    return invalid("PROXY v1 header without CRLF within 107 octets");
  std::string_view line = complete ? b.substr(0, lf + 1) : b;
  if (complete) {
    if (lf == 0 || line[lf - 1] != '\r') return invalid("PROXY v1 header line not ended by CRLF");
    line.remove_suffix(2);
  }
  if (const std::size_t cr = line.find('\r'); cr != std::string_view::npos) {
    if (complete || cr + 1 < line.size()) return invalid("bare CR in the PROXY v1 header");
    line.remove_suffix(1);  // a CR at the end of what arrived: the LF may follow
  }
  line.remove_prefix(v1_prefix.size());

  // Fields separated by exactly one space; the last one may still be arriving.
  std::array<std::string_view, 5> f{};
  std::size_t count = 0;
  std::string_view rest = line;
  const std::string_view protocols[] = {"TCP4", "TCP6", "UNKNOWN"};
  for (;;) {
    const std::size_t sp = rest.find(' ');
    const std::string_view field = rest.substr(0, sp);
    if (count == 0) {
      bool known = false, prefix = false;
      for (const auto p : protocols) {
        known = known || field == p;
        prefix = prefix || p.starts_with(field);
      }
      if (field == "UNKNOWN" && (sp != std::string_view::npos || complete)) {
        // Whatever follows UNKNOWN up to the CRLF is ignored.
        if (!complete) {
          r.state = proxy_parse_result::status::incomplete;
          return r;
        }
        r.state = proxy_parse_result::status::done;
        r.consumed = lf + 1;
        r.header.version = 1;
        r.header.local = true;
        r.header.family = "UNKNOWN";
        return r;
      }
      if (!known && !(prefix && sp == std::string_view::npos && !complete))
        return invalid("PROXY v1 protocol must be TCP4, TCP6 or UNKNOWN");
    }
    if (count == 5) return invalid("PROXY v1 header has more than five fields");
    f[count++] = field;
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  const bool v6 = f[0] == "TCP6";
  static constexpr const char* names[] = {"protocol", "source address", "destination address",
                                          "source port", "destination port"};
  for (std::size_t k = 1; k < count; ++k) {
    const bool last = k + 1 == count && !complete;
    const bool ok = k <= 2 ? (v6 ? valid_ipv6(f[k], last) : valid_ipv4(f[k], last))
                           : valid_decimal(f[k], 65535, last);
    if (!ok) {
      std::string e = "PROXY v1 ";
      e += names[k];
      e += k <= 2 ? (v6 ? " is not an IPv6 address" : " is not an IPv4 address")
                  : " is not a decimal number 0-65535 without leading zeroes";
      return invalid(std::move(e));
    }
  }
  if (!complete) {
    r.state = proxy_parse_result::status::incomplete;
    return r;
  }
  if (count < 5) return invalid("PROXY v1 header has fewer than five fields");
  r.state = proxy_parse_result::status::done;
  r.consumed = lf + 1;
  r.header.version = 1;
  r.header.family = std::string(f[0]);
  r.header.source_address = std::string(f[1]);
  r.header.destination_address = std::string(f[2]);
  const auto port = [](std::string_view t) {
    unsigned v = 0;
    for (const char c : t) v = v * 10 + static_cast<unsigned>(c - '0');
    return static_cast<std::uint16_t>(v);
  };
  r.header.source_port = port(f[3]);
  r.header.destination_port = port(f[4]);
  return r;
}

proxy_parse_result parse_v2(std::string_view b) {
  proxy_parse_result r;
  const auto u8 = [&](std::size_t k) { return static_cast<unsigned char>(b[k]); };
  if (b.size() > 12) {
    if ((u8(12) >> 4) != 2) return invalid("PROXY v2 version must be 2");
    if ((u8(12) & 15) > 1) return invalid("PROXY v2 command must be LOCAL (0) or PROXY (1)");
  }
  const bool local = b.size() > 12 && (u8(12) & 15) == 0;
  if (b.size() > 13 && !local) {
    if ((u8(13) >> 4) > 3) return invalid("PROXY v2 address family must be UNSPEC, INET, INET6 or UNIX");
    if ((u8(13) & 15) > 2) return invalid("PROXY v2 transport protocol must be UNSPEC, STREAM or DGRAM");
  }
  if (b.size() < 16) return r;  // incomplete
  const std::size_t len = static_cast<std::size_t>(u8(14) << 8 | u8(15));
  const unsigned fam = u8(13) >> 4, proto = u8(13) & 15;
  const bool unspec = local || fam == 0 || proto == 0;
  static constexpr std::size_t block[] = {0, 12, 36, 216};
  const std::size_t need = unspec ? 0 : block[fam];
  if (len < need) return invalid("PROXY v2 length is shorter than the address block of its family");
  if (b.size() < 16 + len) return r;  // incomplete

  r.header.version = 2;
  r.consumed = 16 + len;
  r.state = proxy_parse_result::status::done;
  if (unspec) {
    // LOCAL, or an unspecified family or transport: the real endpoints apply, the block is
    // discarded.
    r.header.local = true;
    r.header.family = "UNKNOWN";
    return r;
  }
  const unsigned char* a = reinterpret_cast<const unsigned char*>(b.data()) + 16;
  static constexpr const char* families[4][3] = {
      {}, {"", "TCP4", "UDP4"}, {"", "TCP6", "UDP6"}, {"", "UNIX", "UNIX_DGRAM"}};
  r.header.family = families[fam][proto];
  if (fam == 1 || fam == 2) {
    const std::size_t w = fam == 1 ? 4 : 16;
    r.header.source_address = fam == 1 ? format_ipv4(a) : format_ipv6(a);
    r.header.destination_address = fam == 1 ? format_ipv4(a + w) : format_ipv6(a + w);
    r.header.source_port = static_cast<std::uint16_t>(a[2 * w] << 8 | a[2 * w + 1]);
    r.header.destination_port = static_cast<std::uint16_t>(a[2 * w + 2] << 8 | a[2 * w + 3]);
  } else {
    // 108 octets each, the path ended by a NUL when shorter.
    const auto path = [&](std::size_t at) {
      const std::string_view s(b.data() + 16 + at, 108);
      return std::string(s.substr(0, s.find('\0')));
    };
    r.header.source_address = path(0);
    r.header.destination_address = path(108);
  }
  // TLVs fill the rest exactly.
  std::size_t k = 16 + need;
  const std::size_t end = 16 + len;
  while (k < end) {
    if (end - k < 3) return invalid("PROXY v2 TLV truncated (fewer than 3 octets left)");
    const std::size_t vlen = static_cast<std::size_t>(u8(k + 1) << 8 | u8(k + 2));
    if (vlen > end - k - 3) return invalid("PROXY v2 TLV value runs past the header length");
    if (u8(k) == pp2_type_crc32c) {
      // The checksum of the whole header with its own four octets as zeroes; a mismatch makes
      // the connection invalid.
      if (vlen != 4) return invalid("PROXY v2 CRC32C TLV must hold 4 octets");
      std::string copy(b.substr(0, end));
      const std::uint32_t sent = static_cast<std::uint32_t>(u8(k + 3)) << 24 | u8(k + 4) << 16 | u8(k + 5) << 8 | u8(k + 6);
      copy.replace(k + 3, 4, 4, '\0');
      if (crc32c(copy) != sent) return invalid("PROXY v2 CRC32C checksum does not match the header");
    }
    r.header.tlvs.emplace_back(u8(k), std::string(b.substr(k + 3, vlen)));
    k += 3 + vlen;
  }
  return r;
}

}  // namespace

proxy_parse_result parse_proxy_header(std::string_view bytes, proxy_protocol accept) {
  if (accept == proxy_protocol::none) return invalid("the PROXY protocol is not enabled");
  const bool v1 = accept == proxy_protocol::v1 || accept == proxy_protocol::any;
  const bool v2 = accept == proxy_protocol::v2 || accept == proxy_protocol::any;
  if (bytes.empty()) return {};
  const std::size_t n1 = std::min(bytes.size(), v1_prefix.size());
  if (bytes.substr(0, n1) == v1_prefix.substr(0, n1)) {
    if (!v1) return invalid("a PROXY v1 header where only v2 is accepted");
    if (bytes.size() < v1_prefix.size()) return {};
    return parse_v1(bytes);
  }
  const std::size_t n2 = std::min(bytes.size(), v2_signature.size());
  if (bytes.substr(0, n2) == v2_signature.substr(0, n2)) {
    if (!v2) return invalid("a PROXY v2 header where only v1 is accepted");
    return parse_v2(bytes);
  }
  return invalid(v1 && v2 ? "no PROXY header (v1 \"PROXY \" or the v2 signature expected)"
                 : v1     ? "no PROXY v1 header (\"PROXY \" expected)"
                          : "no PROXY v2 header (its 12-octet signature expected)");
}

std::string to_json(const proxy_parse_result& r) {
  detail::json_writer w;
  using st = proxy_parse_result::status;
  w.raw("{").key("status", true).str(r.state == st::done ? "done" : r.state == st::invalid ? "invalid" : "incomplete");
  w.key("consumed").num(r.consumed);
  w.key("error");
  if (r.state == st::invalid) w.str(r.error);
  else w.null();
  w.key("header");
  if (r.state != st::done) {
    w.null();
  } else {
    const auto& h = r.header;
    w.raw("{").key("version", true).num(h.version).key("local").boolean(h.local).key("family").str(h.family);
    w.key("source_address").str_or_null(h.source_address);
    w.key("destination_address").str_or_null(h.destination_address);
    w.key("source_port").num(h.source_port).key("destination_port").num(h.destination_port);
    w.key("tlvs").array(h.tlvs, [&](const auto& t) {
      static constexpr char hex[] = "0123456789abcdef";
      std::string v;
      for (const char c : t.second) {
        v.push_back(hex[static_cast<unsigned char>(c) >> 4]);
        v.push_back(hex[static_cast<unsigned char>(c) & 15]);
      }
      w.raw("{").key("type", true).num(static_cast<unsigned>(t.first)).key("value_hex").str(v).raw("}");
    });
    w.raw("}");
  }
  w.raw("}");
  return std::move(w.out);
}

}  // namespace smtpspec
