// The milter codec: catalogues, framing, payload rules, REPLYCODE checks and option negotiation
// (../shared/milter/PROTOCOL.md §2-§6).
#include <algorithm>
#include <array>
#include <utility>

#include "smtpspec/milter.hpp"
#include "smtpspec/reply.hpp"

namespace smtpspec::milter {

// ---- Catalogues ----------------------------------------------------------------------------------

namespace {

constexpr packet_info packets[] = {
#define SMTPSPEC_MILTER_PACKET(id, byte, dir, since, shape, text_key, action) \
  {packet_kind::id, "", byte, direction::dir, since, payload_shape::shape, text_key, action},
#include "smtpspec/catalogue/milter_packets.inc"
#undef SMTPSPEC_MILTER_PACKET
};

// "smfic_optneg" -> "SMFIC_OPTNEG": the names are the ids upper-cased, built once.
struct packet_names {
  std::array<std::string, std::size(packets)> upper;
  packet_names() {
    const char* ids[] = {
#define SMTPSPEC_MILTER_PACKET(id, byte, dir, since, shape, text_key, action) #id,
#include "smtpspec/catalogue/milter_packets.inc"
#undef SMTPSPEC_MILTER_PACKET
    };
    for (std::size_t i = 0; i < upper.size(); ++i) {
      std::string s = ids[i];
      for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      upper[i] = std::move(s);
    }
  }
};

const std::array<packet_info, std::size(packets)>& packet_table() {
  static const std::array<packet_info, std::size(packets)> table = [] {
    static const packet_names names;
    std::array<packet_info, std::size(packets)> t{};
    for (std::size_t i = 0; i < t.size(); ++i) {
      t[i] = packets[i];
      t[i].name = names.upper[i];
    }
    return t;
  }();
  return table;
}

constexpr flag_info action_table[] = {
#define SMTPSPEC_MILTER_ACTION(name, bit, since) {#name, bit, since, flag_kind::action},
#include "smtpspec/catalogue/milter_flags.inc"
#undef SMTPSPEC_MILTER_ACTION
};
constexpr flag_info protocol_table[] = {
#define SMTPSPEC_MILTER_PROTOCOL(name, bit, since, kind) {#name, bit, since, flag_kind::kind},
#include "smtpspec/catalogue/milter_flags.inc"
#undef SMTPSPEC_MILTER_PROTOCOL
};

constexpr error_info error_table[] = {
#define SMTPSPEC_MILTER_ERROR(name, message) {error_code::name, #name, message},
#include "smtpspec/catalogue/milter_errors.inc"
#undef SMTPSPEC_MILTER_ERROR
};

constexpr replycode_problem_info problem_table[] = {
#define SMTPSPEC_MILTER_REPLYCODE_PROBLEM(id, message) {replycode_problem_id::id, #id, message},
#include "smtpspec/catalogue/milter_replycode.inc"
#undef SMTPSPEC_MILTER_REPLYCODE_PROBLEM
};

std::uint32_t effective_version(std::uint32_t v) noexcept { return v == 5 ? 4 : v; }

}  // namespace

std::span<const packet_info> packet_catalogue() noexcept { return packet_table(); }
const packet_info& info(packet_kind k) noexcept { return packet_table()[static_cast<std::size_t>(k)]; }
std::string_view to_string(packet_kind k) noexcept { return info(k).name; }
std::optional<packet_kind> find_kind(char byte, direction d) noexcept {
  for (const auto& p : packets)
    if (p.byte == byte && p.direction == d) return p.kind;
  return std::nullopt;
}

std::span<const flag_info> action_flags() noexcept { return action_table; }
std::span<const flag_info> protocol_flags() noexcept { return protocol_table; }

std::uint32_t actions_for_version(std::uint32_t version) noexcept {
  std::uint32_t m = 0;
  for (const auto& f : action_table)
    if (f.since <= effective_version(version)) m |= f.bit;
  return m;
}
std::uint32_t protocol_for_version(std::uint32_t version) noexcept {
  std::uint32_t m = 0;
  for (const auto& f : protocol_table)
    if (f.since <= effective_version(version) && f.kind != flag_kind::internal) m |= f.bit;
  return m;
}

std::optional<std::uint32_t> symbol_stage(char command) noexcept {
  switch (command) {
    case 'C': return SMFIM_CONNECT;
    case 'H': return SMFIM_HELO;
    case 'M': return SMFIM_ENVFROM;
    case 'R': return SMFIM_ENVRCPT;
    case 'T': return SMFIM_DATA;
    case 'E': return SMFIM_EOM;
    case 'N': return SMFIM_EOH;
    default: return std::nullopt;
  }
}

std::span<const error_info> error_catalogue() noexcept { return error_table; }
std::string_view to_string(error_code c) noexcept { return error_table[static_cast<std::size_t>(c)].name; }
std::span<const replycode_problem_info> replycode_problem_catalogue() noexcept { return problem_table; }
std::string_view to_string(replycode_problem_id p) noexcept { return problem_table[static_cast<std::size_t>(p)].name; }

// ---- Constructors ---------------------------------------------------------------------------------

packet make(packet_kind k) {
  packet p;
  p.kind = k;
  return p;
}
packet make_optneg(direction d, std::uint32_t version, std::uint32_t actions, std::uint32_t protocol,
                   std::vector<symbol_list> symbol_lists) {
  packet p = make(d == direction::to_filter ? packet_kind::smfic_optneg : packet_kind::smfir_optneg);
  p.version = version;
  p.actions = actions;
  p.protocol = protocol;
  p.symbol_lists = std::move(symbol_lists);
  return p;
}
packet make_macro(char stage, std::vector<macro_pair> macros) {
  packet p = make(packet_kind::smfic_macro);
  p.stage = stage;
  p.macros = std::move(macros);
  return p;
}
packet make_connect(std::string hostname, char family, std::uint16_t port, std::string address) {
  packet p = make(packet_kind::smfic_connect);
  p.hostname = std::move(hostname);
  p.family = family;
  p.port = port;
  p.address = std::move(address);
  return p;
}
packet make_text(packet_kind k, std::string text, std::optional<std::string> esmtp_args) {
  packet p = make(k);
  p.text = std::move(text);
  p.esmtp_args = std::move(esmtp_args);
  return p;
}
packet make_args(packet_kind k, std::vector<std::string> args) {
  packet p = make(k);
  p.args = std::move(args);
  return p;
}
packet make_header(packet_kind k, std::string name, std::string value, std::uint32_t index) {
  packet p = make(k);
  p.name = std::move(name);
  p.value = std::move(value);
  p.index = index;
  return p;
}
packet make_data(packet_kind k, std::string data) {
  packet p = make(k);
  p.data = std::move(data);
  return p;
}

// ---- Payload rules --------------------------------------------------------------------------------

namespace {

std::uint32_t get32(std::string_view s) noexcept {
  return (std::uint32_t{static_cast<unsigned char>(s[0])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(s[1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(s[2])} << 8) | std::uint32_t{static_cast<unsigned char>(s[3])};
}
void put32(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>((v >> 24) & 0xFF));
  out.push_back(static_cast<char>((v >> 16) & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
  out.push_back(static_cast<char>(v & 0xFF));
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_hex(char c) noexcept { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Dotted quad, each part 0-255 without leading zeros beyond "0" (what Postfix and sendmail send).
bool valid_ipv4(std::string_view s) noexcept {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t j = i;
    unsigned v = 0;
    while (j < s.size() && is_digit(s[j]) && j - i < 3) v = v * 10 + static_cast<unsigned>(s[j++] - '0');
    if (j == i || v > 255 || (j - i > 1 && s[i] == '0')) return false;
    ++parts;
    if (j == s.size()) return parts == 4;
    if (s[j] != '.' || parts == 4) return false;
    i = j + 1;
  }
}

// RFC 4291 §2.2 text forms (inet_pton's): 8 groups, one "::", an optional trailing dotted quad.
bool valid_ipv6(std::string_view s) noexcept {
  if (s.size() > 5 && (s.substr(0, 5) == "IPv6:" || s.substr(0, 5) == "ipv6:")) s.remove_prefix(5);
  if (s.empty()) return false;
  int groups = 0;
  bool gap = false;
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    gap = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && is_hex(s[j]) && j - i < 5) ++j;
    if (j < s.size() && s[j] == '.') {  // embedded IPv4 ends the address
      if (!valid_ipv4(s.substr(i))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (j == i || j - i > 4) return false;
    ++groups;
    if (j == s.size()) {
      i = j;
      break;
    }
    if (s[j] != ':') return false;
    if (j + 1 < s.size() && s[j + 1] == ':') {
      if (gap) return false;
      gap = true;
      i = j + 2;
      if (i == s.size()) break;
    } else {
      i = j + 1;
      if (i == s.size()) return false;  // trailing single ":"
    }
  }
  return gap ? groups <= 7 : groups == 8;
}

// Reads a NUL-terminated string at `pos`; nullopt when there is no NUL.
std::optional<std::string_view> take_string(std::string_view s, std::size_t& pos) noexcept {
  const std::size_t nul = s.find('\0', pos);
  if (nul == std::string_view::npos) return std::nullopt;
  const std::string_view out = s.substr(pos, nul - pos);
  pos = nul + 1;
  return out;
}

// A string array filling the rest of the payload.
std::optional<std::vector<std::string>> take_array(std::string_view s, std::size_t pos) {
  std::vector<std::string> out;
  if (pos < s.size() && s.back() != '\0') return std::nullopt;
  while (pos < s.size()) {
    auto str = take_string(s, pos);
    out.emplace_back(*str);
  }
  return out;
}

bool is_address_kind(packet_kind k) noexcept {
  return k == packet_kind::smfir_addrcpt || k == packet_kind::smfir_addrcpt_par || k == packet_kind::smfir_delrcpt ||
         k == packet_kind::smfir_chgfrom;
}

}  // namespace

outcome<packet> decode_payload(direction d, char byte, std::string_view s, std::size_t offset) {
  outcome<packet> out;
  const auto fail = [&](error_code c) {
    out.error = error{c, offset, byte};
    return out;
  };
  const auto kind = find_kind(byte, d);
  if (!kind) return fail(d == direction::to_mta && byte == 'l' ? error_code::setsymlist_packet : error_code::unknown_command);
  packet p = make(*kind);
  std::size_t pos = 0;
  switch (info(*kind).shape) {
    case payload_shape::empty:
      if (!s.empty()) return fail(error_code::unexpected_payload);
      break;
    case payload_shape::optneg:
      if (s.size() < 12) return fail(error_code::optneg_too_short);
      p.version = get32(s);
      p.actions = get32(s.substr(4));
      p.protocol = get32(s.substr(8));
      pos = 12;
      while (pos < s.size()) {
        if (s.size() - pos < 5) return fail(error_code::bad_symbol_list);
        symbol_list l;
        l.stage = get32(s.substr(pos));
        pos += 4;
        auto names = take_string(s, pos);
        if (!names) return fail(error_code::bad_symbol_list);
        l.macros = std::string(*names);
        p.symbol_lists.push_back(std::move(l));
      }
      break;
    case payload_shape::macro: {
      if (s.empty()) return fail(error_code::missing_macro_stage);
      if (s[0] == '\0') return fail(error_code::invalid_field);  // no command is NUL (and make_macro's "unset")
      p.stage = s[0];
      auto strings = take_array(s, 1);
      if (!strings) return fail(error_code::missing_nul);
      if (strings->size() % 2 != 0) return fail(error_code::odd_macro_list);
      for (std::size_t i = 0; i < strings->size(); i += 2)
        p.macros.push_back({std::move((*strings)[i]), std::move((*strings)[i + 1])});
      break;
    }
    case payload_shape::connect: {
      auto host = take_string(s, pos);
      if (!host) return fail(error_code::missing_nul);
      p.hostname = std::string(*host);
      if (pos >= s.size()) return fail(error_code::missing_family);
      p.family = s[pos++];
      if (p.family == 'U') {
        if (pos != s.size()) return fail(error_code::trailing_data);
        break;
      }
      if (p.family != '4' && p.family != '6' && p.family != 'L') return fail(error_code::unknown_family);
      if (s.size() - pos < 2) return fail(error_code::missing_port);
      p.port = static_cast<std::uint16_t>((static_cast<unsigned char>(s[pos]) << 8) | static_cast<unsigned char>(s[pos + 1]));
      pos += 2;
      auto addr = take_string(s, pos);
      if (!addr) return fail(error_code::missing_nul);
      if (pos != s.size()) return fail(error_code::trailing_data);
      p.address = std::string(*addr);
      if ((p.family == '4' && !valid_ipv4(p.address)) || (p.family == '6' && !valid_ipv6(p.address)))
        return fail(error_code::bad_address);
      break;
    }
    case payload_shape::text: {
      auto t = take_string(s, pos);
      if (!t) return fail(error_code::missing_nul);
      if (pos != s.size()) return fail(error_code::trailing_data);
      p.text = std::string(*t);
      if (is_address_kind(*kind) && p.text.empty()) return fail(error_code::missing_address);
      break;
    }
    case payload_shape::text_args: {
      auto t = take_string(s, pos);
      if (!t) return fail(error_code::missing_nul);
      p.text = std::string(*t);
      if (p.text.empty()) return fail(error_code::missing_address);
      if (pos < s.size()) {
        auto a = take_string(s, pos);
        if (!a) return fail(error_code::missing_nul);
        if (pos != s.size()) return fail(error_code::trailing_data);
        p.esmtp_args = std::string(*a);
      }
      break;
    }
    case payload_shape::args: {
      if (s.empty()) return fail(error_code::missing_address);
      auto strings = take_array(s, 0);
      if (!strings) return fail(error_code::missing_nul);
      p.args = std::move(*strings);
      break;
    }
    case payload_shape::index_header:
      if (s.size() < 4) return fail(error_code::invalid_field);
      p.index = get32(s);
      pos = 4;
      [[fallthrough]];
    case payload_shape::header: {
      auto n = take_string(s, pos);
      if (!n) return fail(error_code::missing_nul);
      if (pos >= s.size()) return fail(error_code::missing_header_value);
      auto v = take_string(s, pos);
      if (!v) return fail(error_code::missing_nul);
      if (pos != s.size()) return fail(error_code::trailing_data);
      p.name = std::string(*n);
      p.value = std::string(*v);
      break;
    }
    case payload_shape::bytes:
      if (s.empty() && *kind != packet_kind::smfic_bodyeob) return fail(error_code::empty_body_chunk);
      p.data = std::string(s);
      break;
  }
  out.value = std::move(p);
  return out;
}

// ---- Encoder ----------------------------------------------------------------------------------------

std::optional<error> encode(const packet& p, std::string& out, encoder_options o) {
  const auto& pi = info(p.kind);
  const auto bad = [&](error_code c) { return std::optional<error>(error{c, 0, pi.byte}); };
  const auto has_nul = [](std::string_view s) { return s.find('\0') != std::string_view::npos; };
  std::string body;
  const auto str = [&](std::string_view s) {
    body.append(s);
    body.push_back('\0');
  };
  switch (pi.shape) {
    case payload_shape::empty: break;
    case payload_shape::optneg:
      put32(body, p.version);
      put32(body, p.actions);
      put32(body, p.protocol);
      for (const auto& l : p.symbol_lists) {
        if (has_nul(l.macros)) return bad(error_code::nul_in_string);
        put32(body, l.stage);
        str(l.macros);
      }
      break;
    case payload_shape::macro:
      if (p.stage == 0) return bad(error_code::invalid_field);
      body.push_back(p.stage);
      for (const auto& m : p.macros) {
        if (has_nul(m.name) || has_nul(m.value)) return bad(error_code::nul_in_string);
        str(m.name);
        str(m.value);
      }
      break;
    case payload_shape::connect:
      if (has_nul(p.hostname) || has_nul(p.address)) return bad(error_code::nul_in_string);
      str(p.hostname);
      if (p.family == 'U') {
        if (p.port != 0 || !p.address.empty()) return bad(error_code::invalid_field);
        body.push_back('U');
        break;
      }
      if (p.family != '4' && p.family != '6' && p.family != 'L') return bad(error_code::unknown_family);
      if ((p.family == '4' && !valid_ipv4(p.address)) || (p.family == '6' && !valid_ipv6(p.address)))
        return bad(error_code::bad_address);
      body.push_back(p.family);
      body.push_back(static_cast<char>(p.port >> 8));
      body.push_back(static_cast<char>(p.port & 0xFF));
      str(p.address);
      break;
    case payload_shape::text:
      if (has_nul(p.text)) return bad(error_code::nul_in_string);
      if (is_address_kind(p.kind) && p.text.empty()) return bad(error_code::missing_address);
      str(p.text);
      break;
    case payload_shape::text_args:
      if (has_nul(p.text) || (p.esmtp_args && has_nul(*p.esmtp_args))) return bad(error_code::nul_in_string);
      if (p.text.empty()) return bad(error_code::missing_address);
      str(p.text);
      if (p.esmtp_args) str(*p.esmtp_args);
      break;
    case payload_shape::args:
      if (p.args.empty()) return bad(error_code::missing_address);
      for (const auto& a : p.args) {
        if (has_nul(a)) return bad(error_code::nul_in_string);
        str(a);
      }
      break;
    case payload_shape::index_header:
      put32(body, p.index);
      [[fallthrough]];
    case payload_shape::header:
      if (has_nul(p.name) || has_nul(p.value)) return bad(error_code::nul_in_string);
      str(p.name);
      str(p.value);
      break;
    case payload_shape::bytes:
      if (p.data.empty() && p.kind != packet_kind::smfic_bodyeob) return bad(error_code::empty_body_chunk);
      body.append(p.data);
      break;
  }
  if (body.size() > o.max_payload) return bad(error_code::packet_too_large);
  put32(out, static_cast<std::uint32_t>(body.size() + 1));
  out.push_back(pi.byte);
  out.append(body);
  return std::nullopt;
}

outcome<std::string> encode(const packet& p, encoder_options o) {
  outcome<std::string> r;
  std::string s;
  if (auto e = encode(p, s, o)) r.error = e;
  else r.value = std::move(s);
  return r;
}

// ---- Decoder ------------------------------------------------------------------------------------------

decoder::decoder(milter::direction d, decoder_options o) : dir_(d), opts_(o) {}

void decoder::reset() {
  ready_.clear();
  starts_.clear();
  error_.reset();
  head_len_ = 0;
  need_ = 0;
  payload_.clear();
  packet_start_ = pos_ = 0;
  finished_ = false;
}

void decoder::feed(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size() && !error_ && !finished_) {
    if (head_len_ < 5) {
      if (head_len_ == 0) packet_start_ = pos_;
      head_[head_len_++] = static_cast<unsigned char>(bytes[i++]);
      ++pos_;
      if (head_len_ == 4) {
        // The length is judged before the command byte is even read, and before any allocation.
        const std::uint32_t len = get32(std::string_view(reinterpret_cast<const char*>(head_), 4));
        if (len == 0) error_ = milter::error{error_code::zero_length, packet_start_, 0};
        else if (len & 0x80000000U) error_ = milter::error{error_code::length_top_bit, packet_start_, 0};
        else if (len - 1 > opts_.max_payload) error_ = milter::error{error_code::packet_too_large, packet_start_, 0};
        else need_ = len - 1;
      } else if (head_len_ == 5) {
        const char byte = static_cast<char>(head_[4]);
        if (!find_kind(byte, dir_)) {
          const bool symlist = dir_ == milter::direction::to_mta && byte == 'l';
          error_ = milter::error{symlist ? error_code::setsymlist_packet : error_code::unknown_command, packet_start_, byte};
        } else {
          payload_.clear();
          payload_.reserve(need_);
          if (need_ == 0) complete();
        }
      }
      continue;
    }
    const std::size_t take = std::min<std::size_t>(need_ - payload_.size(), bytes.size() - i);
    payload_.append(bytes.substr(i, take));
    i += take;
    pos_ += take;
    if (payload_.size() == need_) complete();
  }
}

void decoder::complete() {
  auto r = decode_payload(dir_, static_cast<char>(head_[4]), payload_, packet_start_);
  if (r.error) error_ = r.error;
  else {
    ready_.push_back(std::move(*r.value));
    starts_.push_back(packet_start_);
  }
  head_len_ = 0;
  payload_.clear();
  if (payload_.capacity() > 4096) payload_.shrink_to_fit();
}

void decoder::finish() {
  if (!error_ && !finished_ && head_len_ > 0)
    error_ = milter::error{error_code::truncated_packet, packet_start_, head_len_ == 5 ? static_cast<char>(head_[4]) : '\0'};
  finished_ = true;
}

std::optional<packet> decoder::next() {
  if (ready_.empty()) return std::nullopt;
  packet p = std::move(ready_.front());
  ready_.pop_front();
  starts_.pop_front();
  return p;
}

decoded_stream decode_all(direction d, std::string_view bytes, decoder_options o) {
  decoder dec(d, o);
  dec.feed(bytes);
  dec.finish();
  decoded_stream s;
  while (auto p = dec.next()) s.packets.push_back(std::move(*p));
  s.error = dec.error();
  return s;
}

namespace {
bool is_modification(packet_kind k) noexcept { return info(k).action != 0; }
}  // namespace

decoded_stream decode_conversation(std::string_view bytes, decoder_options o) {
  decoded_stream s;
  negotiated agreed;
  agreed.version = 6;
  direction turn = direction::to_filter;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    // One frame: the same checks as the incremental decoder, in the same order.
    if (bytes.size() - pos < 4) {
      s.error = error{error_code::truncated_packet, pos, 0};
      break;
    }
    const std::uint32_t len = get32(bytes.substr(pos));
    if (len == 0) s.error = error{error_code::zero_length, pos, 0};
    else if (len & 0x80000000U) s.error = error{error_code::length_top_bit, pos, 0};
    else if (len - 1 > o.max_payload) s.error = error{error_code::packet_too_large, pos, 0};
    if (s.error) break;
    if (bytes.size() - pos < 5) {
      s.error = error{error_code::truncated_packet, pos, 0};
      break;
    }
    const char byte = bytes[pos + 4];
    if (!find_kind(byte, turn)) {
      const bool symlist = turn == direction::to_mta && byte == 'l';
      s.error = error{symlist ? error_code::setsymlist_packet : error_code::unknown_command, pos, byte};
      break;
    }
    if (bytes.size() - pos - 4 < len) {
      s.error = error{error_code::truncated_packet, pos, byte};
      break;
    }
    auto r = decode_payload(turn, byte, bytes.substr(pos + 5, len - 1), pos);
    if (r.error) {
      s.error = r.error;
      break;
    }
    pos += 4 + std::size_t{len};
    const packet_kind k = r.value->kind;
    if (turn == direction::to_filter) {
      if (agreed.expects_reply(k)) turn = direction::to_mta;
    } else {
      if (k == packet_kind::smfir_optneg) {
        agreed.version = r.value->version;
        agreed.protocol = r.value->protocol;
      }
      if (k != packet_kind::smfir_progress && !is_modification(k)) turn = direction::to_filter;
    }
    s.packets.push_back(std::move(*r.value));
  }
  return s;
}

// ---- REPLYCODE -----------------------------------------------------------------------------------------

std::vector<replycode_problem> check_replycode(std::string_view t) {
  std::vector<replycode_problem> out;
  const auto add = [&](replycode_problem_id id, std::size_t at) { out.push_back({id, at}); };
  if (t.empty()) {
    add(replycode_problem_id::empty, 0);
    return out;
  }
  // Lines are separated by CRLF; a CR or LF elsewhere is reported and kept as text.
  std::vector<std::pair<std::size_t, std::size_t>> lines;  // offset, length
  std::size_t start = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n') {
      lines.emplace_back(start, i - start);
      if (i + 2 == t.size()) add(replycode_problem_id::trailing_crlf, i);
      start = i + 2;
      ++i;
    } else if (t[i] == '\r' || t[i] == '\n') {
      add(replycode_problem_id::bare_line_end, i);
    }
  }
  if (start < t.size()) lines.emplace_back(start, t.size() - start);
  std::string_view first_code;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const auto [at, len] = lines[n];
    const std::string_view line = t.substr(at, len);
    const bool last = n + 1 == lines.size();
    if (line.size() < 3 || (line[0] != '4' && line[0] != '5') || !is_digit(line[1]) || !is_digit(line[2])) {
      add(replycode_problem_id::bad_code, at);
      continue;
    }
    if (first_code.empty()) first_code = line.substr(0, 3);
    else if (line.substr(0, 3) != first_code) add(replycode_problem_id::code_mismatch, at);
    if (line.size() == 3) {
      if (!last) add(replycode_problem_id::bad_continuation, at + 3);
      continue;
    }
    if (line[3] != ' ' && line[3] != '-') {
      add(replycode_problem_id::bad_separator, at + 3);
      continue;
    }
    if ((line[3] == '-') == last) add(replycode_problem_id::bad_continuation, at + 3);
    // An enhanced code right after the separator: its class must be the reply's first digit.
    const std::string_view rest = line.substr(4);
    if (rest.size() >= 5 && is_digit(rest[0]) && rest[1] == '.') {
      std::size_t k = 2, d1 = 0, d2 = 0;
      while (k < rest.size() && is_digit(rest[k])) ++k, ++d1;
      if (d1 >= 1 && d1 <= 3 && k < rest.size() && rest[k] == '.') {
        ++k;
        while (k < rest.size() && is_digit(rest[k])) ++k, ++d2;
        if (d2 >= 1 && d2 <= 3 && (k == rest.size() || rest[k] == ' ') && rest[0] != line[0])
          add(replycode_problem_id::enhanced_class_mismatch, at + 4);
      }
    }
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '%') continue;
    if (i + 1 < t.size() && t[i + 1] == '%') ++i;
    else add(replycode_problem_id::lone_percent, i);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.offset < b.offset; });
  return out;
}

outcome<std::string> format_replycode(int code, const std::optional<enhanced_status>& enhanced,
                                      std::span<const std::string_view> lines) {
  outcome<std::string> r;
  if (code < 400 || code > 599) {
    r.error = error{error_code::invalid_replycode, 0, 'y'};
    return r;
  }
  // `%` doubled first, so the formatter's wrapping sees the octets that go on the wire.
  std::vector<std::string> doubled;
  doubled.reserve(lines.size());
  for (auto l : lines) {
    std::string d;
    for (char c : l) {
      d.push_back(c);
      if (c == '%') d.push_back('%');
    }
    doubled.push_back(std::move(d));
  }
  std::vector<std::string_view> views(doubled.begin(), doubled.end());
  const auto f = smtpspec::format_reply(code, enhanced, views);
  if (!f.ok()) {
    r.error = error{error_code::invalid_replycode, 0, 'y'};
    return r;
  }
  std::string text = f->text;
  if (text.size() >= 2 && text.ends_with("\r\n")) text.resize(text.size() - 2);
  r.value = std::move(text);
  return r;
}

// ---- Negotiation -----------------------------------------------------------------------------------

bool negotiated::sends(packet_kind k) const noexcept {
  if (info(k).since > effective_version(version)) return false;
  switch (k) {
    case packet_kind::smfic_connect: return (protocol & SMFIP_NOCONNECT) == 0;
    case packet_kind::smfic_helo: return (protocol & SMFIP_NOHELO) == 0;
    case packet_kind::smfic_mail: return (protocol & SMFIP_NOMAIL) == 0;
    case packet_kind::smfic_rcpt: return (protocol & SMFIP_NORCPT) == 0;
    case packet_kind::smfic_body: return (protocol & SMFIP_NOBODY) == 0;
    case packet_kind::smfic_header: return (protocol & SMFIP_NOHDRS) == 0;
    case packet_kind::smfic_eoh: return (protocol & SMFIP_NOEOH) == 0;
    case packet_kind::smfic_unknown: return (protocol & SMFIP_NOUNKNOWN) == 0;
    case packet_kind::smfic_data: return (protocol & SMFIP_NODATA) == 0;
    default: return info(k).direction == direction::to_filter;
  }
}

bool negotiated::expects_reply(packet_kind k) const noexcept {
  switch (k) {
    case packet_kind::smfic_optneg:
    case packet_kind::smfic_bodyeob: return true;
    case packet_kind::smfic_connect: return (protocol & SMFIP_NR_CONN) == 0;
    case packet_kind::smfic_helo: return (protocol & SMFIP_NR_HELO) == 0;
    case packet_kind::smfic_mail: return (protocol & SMFIP_NR_MAIL) == 0;
    case packet_kind::smfic_rcpt: return (protocol & SMFIP_NR_RCPT) == 0;
    case packet_kind::smfic_data: return (protocol & SMFIP_NR_DATA) == 0;
    case packet_kind::smfic_unknown: return (protocol & SMFIP_NR_UNKN) == 0;
    case packet_kind::smfic_eoh: return (protocol & SMFIP_NR_EOH) == 0;
    case packet_kind::smfic_body: return (protocol & SMFIP_NR_BODY) == 0;
    case packet_kind::smfic_header: return (protocol & SMFIP_NR_HDR) == 0;
    default: return false;  // MACRO, ABORT, QUIT, QUIT_NC, and replies
  }
}

namespace {
std::uint32_t max_payload_for(std::uint32_t protocol, std::uint32_t fallback) noexcept {
  if (protocol & SMFIP_MDS_1M) return max_payload_1m;
  if (protocol & SMFIP_MDS_256K) return max_payload_256k;
  return fallback;
}
constexpr std::uint32_t no_reply_bits = SMFIP_NR_HDR | SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT |
                                        SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_EOH | SMFIP_NR_BODY;
}  // namespace

outcome<negotiated> negotiate_as_filter(const packet& offer, const filter_options& o) {
  outcome<negotiated> r;
  const auto fail = [&](error_code c) {
    r.error = error{c, 0, 'O'};
    return r;
  };
  if (offer.version < 2) return fail(error_code::unsupported_version);
  if (o.version < 2 || o.version > 6) return fail(error_code::unsupported_version);
  negotiated n;
  n.version = effective_version(std::min(offer.version, o.version));
  // libmilter: an offer of 0 means the version-1 defaults.
  const std::uint32_t offered_actions = offer.actions == 0 ? SMFI_V1_ACTS : offer.actions;
  const std::uint32_t offered_protocol = offer.protocol == 0 ? SMFI_V1_PROT : offer.protocol;
  std::uint32_t actions = o.actions;
  if (!o.symbol_lists.empty() && (offered_actions & SMFIF_SETSYMLIST)) actions |= SMFIF_SETSYMLIST;
  if (actions & ~offered_actions) return fail(error_code::action_not_offered);
  // Quietly dropped when not offered: skip bits old MTAs lack, SKIP, and NR_* (the session fakes them).
  const std::uint32_t droppable = SMFIP_NODATA | SMFIP_NOUNKNOWN | SMFIP_SKIP | no_reply_bits;
  const std::uint32_t protocol = o.protocol & (offered_protocol | droppable);
  if (protocol & ~offered_protocol & ~droppable) return fail(error_code::protocol_not_offered);
  if (o.protocol & ~offered_protocol & ~droppable) return fail(error_code::protocol_not_offered);
  n.actions = actions;
  n.protocol = protocol & offered_protocol;
  n.offered_protocol = offered_protocol;
  n.max_payload = max_payload_for(n.protocol, o.max_payload);
  n.symbol_lists = o.symbol_lists;
  r.value = std::move(n);
  return r;
}

outcome<negotiated> check_negotiation(const packet& offer, const packet& reply) {
  outcome<negotiated> r;
  const auto fail = [&](error_code c) {
    r.error = error{c, 0, 'O'};
    return r;
  };
  if (reply.version < 2 || reply.version > offer.version) return fail(error_code::unsupported_version);
  if (reply.actions & ~offer.actions) return fail(error_code::action_not_offered);
  if (reply.protocol & ~offer.protocol) return fail(error_code::protocol_not_offered);
  negotiated n;
  n.version = reply.version;
  n.actions = reply.actions;
  n.protocol = reply.protocol;
  n.offered_protocol = offer.protocol;
  n.max_payload = max_payload_for(n.protocol, default_max_payload);
  n.symbol_lists = reply.symbol_lists;
  r.value = std::move(n);
  return r;
}

}  // namespace smtpspec::milter
