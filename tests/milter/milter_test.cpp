// Milter codec, negotiation and both session helpers (../shared/milter/PROTOCOL.md).
#include <gtest/gtest.h>

#include <algorithm>

#include <malloc.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smtpspec/milter.hpp"

using namespace smtpspec::milter;
using json = nlohmann::json;

namespace {

std::string be32(std::uint32_t v) {
  std::string s(4, '\0');
  s[0] = static_cast<char>(v >> 24);
  s[1] = static_cast<char>((v >> 16) & 0xFF);
  s[2] = static_cast<char>((v >> 8) & 0xFF);
  s[3] = static_cast<char>(v & 0xFF);
  return s;
}
std::string frame(char code, std::string_view payload = {}) {
  return be32(static_cast<std::uint32_t>(payload.size() + 1)) + code + std::string(payload);
}
std::string z(std::string_view s) { return std::string(s) + '\0'; }

std::vector<packet> must_decode(direction d, const std::string& bytes) {
  auto r = decode_all(d, bytes);
  EXPECT_FALSE(r.error) << to_json(r);
  return r.packets;
}

}  // namespace

// ---- Catalogue ------------------------------------------------------------------------------------

TEST(MilterCatalogue, EveryByteIsUniquePerDirection) {
  for (const auto& a : packet_catalogue())
    for (const auto& b : packet_catalogue())
      if (a.kind != b.kind && a.direction == b.direction) {
        EXPECT_NE(a.byte, b.byte) << a.name << " " << b.name;
      }
  EXPECT_EQ(info(packet_kind::smfir_addrcpt_par).name, "SMFIR_ADDRCPT_PAR");
  EXPECT_EQ(find_kind('O', direction::to_mta), packet_kind::smfir_optneg);
  EXPECT_FALSE(find_kind('l', direction::to_mta));
  EXPECT_TRUE(json::accept(catalogue_json()));
}

TEST(MilterCatalogue, VersionMasks) {
  EXPECT_EQ(actions_for_version(2), SMFI_V2_ACTS);
  EXPECT_EQ(actions_for_version(6), SMFI_CURR_ACTS);
  EXPECT_EQ(protocol_for_version(2), SMFI_V2_PROT | SMFIP_NR_HDR);
  EXPECT_EQ(protocol_for_version(3) & SMFIP_NOUNKNOWN, SMFIP_NOUNKNOWN);
  EXPECT_EQ(protocol_for_version(3) & SMFIP_NODATA, 0u);
  EXPECT_EQ(protocol_for_version(6), SMFI_CURR_PROT);
}

// ---- Codec ----------------------------------------------------------------------------------------

TEST(MilterCodec, EncodeMatchesTheWireLayout) {
  auto e = encode(make_connect("[192.0.2.1]", '4', 25, "192.0.2.1"));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(*e.value, frame('C', z("[192.0.2.1]") + "4" + std::string("\0\x19", 2) + z("192.0.2.1")));
  e = encode(make_macro('C', {{"j", "mx"}, {"{daemon_name}", ""}}));
  EXPECT_EQ(*e.value, frame('D', "C" + z("j") + z("mx") + z("{daemon_name}") + z("")));
  e = encode(make_text(packet_kind::smfir_addrcpt_par, "<a@b>"));
  EXPECT_EQ(*e.value, frame('2', z("<a@b>")));
  e = encode(make_text(packet_kind::smfir_chgfrom, "<a@b>", "RET=HDRS"));
  EXPECT_EQ(*e.value, frame('e', z("<a@b>") + z("RET=HDRS")));
  e = encode(make_header(packet_kind::smfir_chgheader, "Subject", "", 1));
  EXPECT_EQ(*e.value, frame('m', be32(1) + z("Subject") + z("")));
  e = encode(make_optneg(direction::to_mta, 6, 0x101, 0, {{SMFIM_CONNECT, "j"}}));
  EXPECT_EQ(*e.value, frame('O', be32(6) + be32(0x101) + be32(0) + be32(0) + z("j")));
}

TEST(MilterCodec, EncoderRefusesWhatCannotBeFramed) {
  EXPECT_EQ(encode(make_text(packet_kind::smfic_helo, std::string("a\0b", 3))).error->code, error_code::nul_in_string);
  EXPECT_EQ(encode(make_macro('C', {{std::string("j\0", 2), "x"}})).error->code, error_code::nul_in_string);
  EXPECT_EQ(encode(make_macro(0, {})).error->code, error_code::invalid_field);
  EXPECT_EQ(encode(make_connect("h", 'X', 25, "1.2.3.4")).error->code, error_code::unknown_family);
  EXPECT_EQ(encode(make_connect("h", '4', 25, "1.2.3")).error->code, error_code::bad_address);
  EXPECT_EQ(encode(make_connect("h", 'U', 25, "")).error->code, error_code::invalid_field);
  EXPECT_EQ(encode(make_args(packet_kind::smfic_mail, {})).error->code, error_code::missing_address);
  EXPECT_EQ(encode(make_data(packet_kind::smfic_body, "")).error->code, error_code::empty_body_chunk);
  EXPECT_EQ(encode(make_data(packet_kind::smfic_body, std::string(65536, 'x'))).error->code,
            error_code::packet_too_large);
  EXPECT_TRUE(encode(make_data(packet_kind::smfic_body, std::string(65535, 'x'))).ok());
  std::string out = "keep";
  EXPECT_TRUE(encode(make_text(packet_kind::smfir_addrcpt, ""), out));
  EXPECT_EQ(out, "keep");  // nothing appended on error
}

TEST(MilterCodec, AddressForms) {
  for (const char* ok : {"::", "::1", "2001:db8::1", "IPv6:2001:db8::1", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1",
                         "fe80::1:2", "1::"}) {
    EXPECT_TRUE(encode(make_connect("h", '6', 25, ok)).ok()) << ok;
  }
  for (const char* bad : {"", ":", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::", "1:2:3:4:5:6:7", ":1::",
                          "1:", "::1.2.3", "IPv6:"}) {
    EXPECT_FALSE(encode(make_connect("h", '6', 25, bad)).ok()) << bad;
  }
  for (const char* bad : {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.4 "}) {
    EXPECT_FALSE(encode(make_connect("h", '4', 25, bad)).ok()) << bad;
  }
}

TEST(MilterCodec, LengthIsJudgedBeforeAllocation) {
  // A 64 MB body chunk announced in a header: refused after the 4 length octets, nothing buffered.
  decoder d(direction::to_filter);
  const std::string head = be32(0x04000001) + "B", more(1 << 16, 'x');
  const auto before = mallinfo2();
  d.feed(head);
  d.feed(more);
  const auto after = mallinfo2();
  ASSERT_TRUE(d.failed());
  EXPECT_EQ(d.error()->code, error_code::packet_too_large);
  EXPECT_EQ(d.consumed(), 4u);
  // glibc's counters (zero under sanitizers): no block and no mapping was taken for the payload.
  EXPECT_LT(after.uordblks - std::min(after.uordblks, before.uordblks), std::size_t{1} << 16);
  EXPECT_LT(after.hblkhd - std::min(after.hblkhd, before.hblkhd), std::size_t{1} << 16);
  for (std::uint32_t len : {0u, 0x80000000u, 0xFFFFFFFFu}) {
    decoder e(direction::to_mta);
    e.feed(be32(len));
    ASSERT_TRUE(e.failed()) << len;
    EXPECT_EQ(e.error()->code, len == 0 ? error_code::zero_length : error_code::length_top_bit);
  }
}

TEST(MilterCodec, ErrorsAreSticky) {
  decoder d(direction::to_filter);
  d.feed(frame('N') + frame('Z') + frame('N'));
  EXPECT_EQ(d.pending(), 1u);
  EXPECT_EQ(d.error()->code, error_code::unknown_command);
  EXPECT_EQ(d.error()->offset, 5u);
  d.feed(frame('N'));
  EXPECT_EQ(d.pending(), 1u);
  d.reset();
  d.feed(frame('N'));
  EXPECT_EQ(d.pending(), 1u);
  EXPECT_FALSE(d.failed());
}

TEST(MilterCodec, ByteByByteEqualsWhole) {
  const std::string s = frame('O', be32(6) + be32(0x1FF) + be32(0x1FFFFF)) + frame('D', "C" + z("j") + z("x")) +
                        frame('C', z("h") + "U") + frame('M', z("<a@b>") + z("SIZE=1")) + frame('B', "\r\n.\r\n") +
                        frame('E') + frame('Q');
  decoder d(direction::to_filter);
  for (char c : s) d.feed(std::string_view(&c, 1));
  d.finish();
  decoded_stream got;
  while (auto p = d.next()) got.packets.push_back(std::move(*p));
  got.error = d.error();
  EXPECT_EQ(to_json(got), to_json(decode_all(direction::to_filter, s)));
  EXPECT_EQ(got.packets.size(), 7u);
}

TEST(MilterCodec, MailArgumentsGoThroughTheGrammar) {
  const auto ps = must_decode(direction::to_filter, frame('M', z("<a@example.com>") + z("SIZE=12") + z("BODY=8BITMIME")));
  ASSERT_EQ(ps.size(), 1u);
  const json j = json::parse(to_json(ps[0]));
  EXPECT_EQ(j["smtp"]["ok"], true);
  EXPECT_EQ(j["smtp"]["value"]["params"].size(), 2u);
  const auto bad = must_decode(direction::to_filter, frame('R', z("<>")));
  EXPECT_EQ(json::parse(to_json(bad[0]))["smtp"]["ok"], false);  // <> is only a reverse-path
}

// ---- REPLYCODE ------------------------------------------------------------------------------------

TEST(MilterReplycode, FormatDoublesPercentAndJoinsLines) {
  const std::string_view lines[] = {"first", "100% sure"};
  auto t = format_replycode(550, smtpspec::enhanced_status{5, 7, 1}, lines);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t.value, "550-5.7.1 first\r\n550 5.7.1 100%% sure");
  EXPECT_TRUE(check_replycode(*t.value).empty());
  EXPECT_FALSE(format_replycode(250, std::nullopt, lines).ok());
  EXPECT_FALSE(format_replycode(451, smtpspec::enhanced_status{5, 7, 1}, lines).ok());
  const std::string_view crlf[] = {"a\r\nb"};
  EXPECT_FALSE(format_replycode(550, std::nullopt, crlf).ok());
}

TEST(MilterReplycode, Problems) {
  EXPECT_TRUE(check_replycode("451 4.7.1 try later").empty());
  EXPECT_TRUE(check_replycode("550").empty());
  EXPECT_EQ(check_replycode("").at(0).id, replycode_problem_id::empty);
  EXPECT_EQ(check_replycode("550x").at(0).id, replycode_problem_id::bad_separator);
  EXPECT_EQ(check_replycode("550-a").at(0).id, replycode_problem_id::bad_continuation);
  const auto ps = check_replycode("550-a\r\n451 b % c\r\n");
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].id, replycode_problem_id::code_mismatch);
  EXPECT_EQ(ps[1].id, replycode_problem_id::lone_percent);
  EXPECT_EQ(ps[2].id, replycode_problem_id::trailing_crlf);
}

// ---- Negotiation ----------------------------------------------------------------------------------

TEST(MilterNegotiation, FilterSideSubsetRules) {
  const packet postfix = make_optneg(direction::to_filter, 6, SMFI_CURR_ACTS, SMFI_CURR_PROT);
  filter_options o;
  o.actions = SMFIF_ADDHDRS | SMFIF_CHGHDRS;
  o.protocol = SMFIP_HDR_LEADSPC | SMFIP_SKIP | SMFIP_NODATA | SMFIP_NOUNKNOWN | SMFIP_NOHELO;
  o.symbol_lists = {{SMFIM_CONNECT, "j {daemon_name}"}};
  auto n = negotiate_as_filter(postfix, o);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value->actions, 0x111u);  // OpenDKIM's answer: SETSYMLIST added for the lists
  EXPECT_EQ(n.value->protocol, 0x100702u);
  EXPECT_FALSE(n.value->sends(packet_kind::smfic_helo));
  EXPECT_TRUE(n.value->expects_reply(packet_kind::smfic_header));

  // OpenDKIM needs 0x111 and closes when the MTA offers 0x01.
  const packet poor = make_optneg(direction::to_filter, 6, SMFIF_ADDHDRS, SMFI_CURR_PROT);
  EXPECT_EQ(negotiate_as_filter(poor, o).error->code, error_code::action_not_offered);
  // Version: min(MTA, filter); below 2 refused.
  EXPECT_EQ(negotiate_as_filter(make_optneg(direction::to_filter, 1, 0, 0), {}).error->code,
            error_code::unsupported_version);
  auto v2 = negotiate_as_filter(make_optneg(direction::to_filter, 2, SMFI_V2_ACTS, SMFI_V2_PROT), {});
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2.value->version, 2u);
  EXPECT_FALSE(v2.value->sends(packet_kind::smfic_data));
  EXPECT_FALSE(v2.value->sends(packet_kind::smfic_unknown));
  // libmilter clears NODATA/NOUNKNOWN an old MTA does not know; HDR_LEADSPC cannot be dropped.
  filter_options wants;
  wants.protocol = SMFIP_NODATA | SMFIP_NR_HDR;
  auto old = negotiate_as_filter(make_optneg(direction::to_filter, 2, SMFI_V2_ACTS, SMFI_V2_PROT), wants);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old.value->protocol, 0u);
  wants.protocol = SMFIP_HDR_LEADSPC;
  EXPECT_EQ(negotiate_as_filter(make_optneg(direction::to_filter, 4, SMFI_V2_ACTS, SMFI_V2_PROT), wants).error->code,
            error_code::protocol_not_offered);
  // Actions 0 / protocol 0 mean libmilter's v1 defaults.
  filter_options v1;
  v1.actions = SMFIF_ADDHDRS;
  EXPECT_TRUE(negotiate_as_filter(make_optneg(direction::to_filter, 6, 0, 0), v1).ok());
  // SMFIP_MDS_256K raises the negotiated size.
  filter_options big;
  big.protocol = SMFIP_MDS_256K;
  auto mds = negotiate_as_filter(make_optneg(direction::to_filter, 6, 0, SMFI_CURR_PROT | SMFIP_MDS_256K), big);
  ASSERT_TRUE(mds.ok());
  EXPECT_EQ(mds.value->max_payload, max_payload_256k);
}

TEST(MilterNegotiation, MtaSideChecksTheReply) {
  const packet offer = make_optneg(direction::to_filter, 6, SMFIF_ADDHDRS, SMFI_CURR_PROT);
  EXPECT_TRUE(check_negotiation(offer, make_optneg(direction::to_mta, 6, SMFIF_ADDHDRS, 0x500)).ok());
  EXPECT_EQ(check_negotiation(offer, make_optneg(direction::to_mta, 6, 0x111, 0)).error->code,
            error_code::action_not_offered);
  EXPECT_EQ(check_negotiation(offer, make_optneg(direction::to_mta, 6, 0, 0x80000000)).error->code,
            error_code::protocol_not_offered);
  EXPECT_EQ(check_negotiation(make_optneg(direction::to_filter, 4, 1, 0x3FF), make_optneg(direction::to_mta, 6, 0, 0))
                .error->code,
            error_code::unsupported_version);
  EXPECT_EQ(check_negotiation(offer, make_optneg(direction::to_mta, 1, 0, 0)).error->code,
            error_code::unsupported_version);
}

// ---- Filter session ---------------------------------------------------------------------------------

namespace {
std::string postfix_offer() { return frame('O', be32(6) + be32(0x1FF) + be32(0x1FFFFF)); }
std::vector<filter_event> drain(filter_session& s) {
  std::vector<filter_event> out;
  while (auto e = s.next_event()) out.push_back(std::move(*e));
  return out;
}
}  // namespace

TEST(MilterFilterSession, Transaction) {
  filter_options o;
  o.actions = SMFIF_ADDHDRS | SMFIF_ADDRCPT;
  o.protocol = SMFIP_NR_HDR;
  filter_session s(o);
  s.feed(postfix_offer());
  auto ev = drain(s);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, filter_event::type::negotiated);
  EXPECT_EQ(s.take_output(), frame('O', be32(6) + be32(0x05) + be32(0x80)));

  s.feed(frame('D', "C" + z("j") + z("mx") + z("{daemon_name}") + z("smtpd")) +
         frame('C', z("client") + "4" + std::string("\x04\x01", 2) + z("192.0.2.1")));
  ev = drain(s);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].command.kind, packet_kind::smfic_connect);
  EXPECT_EQ(ev[0].command.port, 1025);
  EXPECT_TRUE(ev[0].reply_expected);
  EXPECT_EQ(ev[0].macros.size(), 2u);
  EXPECT_EQ(s.macro("{j}"), "mx");
  EXPECT_EQ(s.macro("daemon_name"), "smtpd");
  // Modifications are refused outside end-of-message, and nothing is written.
  EXPECT_EQ(s.modify(make_header(packet_kind::smfir_addheader, "X", "y"))->code, error_code::not_at_end_of_message);
  EXPECT_FALSE(s.reply(packet_kind::smfir_continue));
  EXPECT_EQ(s.take_output(), frame('c'));
  EXPECT_EQ(s.reply(packet_kind::smfir_continue)->code, error_code::no_reply_due);

  s.feed(frame('H', z("client")));
  EXPECT_FALSE(s.reply(packet_kind::smfir_continue));
  s.feed(frame('M', z("<a@b.example>")));
  EXPECT_FALSE(s.reply(packet_kind::smfir_continue));
  s.feed(frame('R', z("<bad@b.example>")));
  const std::string_view text[] = {"no such user"};
  EXPECT_FALSE(s.reply_code(550, smtpspec::enhanced_status{5, 1, 1}, text));
  s.feed(frame('R', z("<c@b.example>")));
  EXPECT_FALSE(s.reply(packet_kind::smfir_continue));
  s.feed(frame('T'));
  EXPECT_FALSE(s.reply(packet_kind::smfir_continue));
  (void)s.take_output();
  s.feed(frame('L', z("Subject") + z("hi")) + frame('L', z("From") + z("a@b")));  // NR_HDR: no replies
  ev = drain(s);
  ASSERT_EQ(ev.size(), 7u);  // HELO MAIL RCPT RCPT DATA HEADER HEADER
  EXPECT_TRUE(ev[4].reply_expected);
  EXPECT_FALSE(ev[6].reply_expected);
  EXPECT_EQ(s.take_output(), "");
  s.feed(frame('N'));
  EXPECT_FALSE(s.reply(packet_kind::smfir_continue));
  s.feed(frame('B', "hello\r\n"));
  EXPECT_EQ(s.reply(packet_kind::smfir_skip), std::nullopt);  // Postfix offered SKIP
  s.feed(frame('E'));
  (void)s.take_output();
  EXPECT_FALSE(s.modify(make_header(packet_kind::smfir_addheader, "X-Filtered", "yes")));
  EXPECT_FALSE(s.modify(make_text(packet_kind::smfir_addrcpt, "<bcc@b.example>")));
  EXPECT_EQ(s.modify(make_text(packet_kind::smfir_delrcpt, "<c@b.example>"))->code, error_code::action_not_negotiated);
  EXPECT_EQ(s.modify(make(packet_kind::smfir_accept))->code, error_code::unexpected_packet);
  EXPECT_FALSE(s.progress());
  EXPECT_FALSE(s.reply(packet_kind::smfir_accept));
  EXPECT_EQ(s.take_output(), frame('h', z("X-Filtered") + z("yes")) + frame('+', z("<bcc@b.example>")) + frame('p') +
                                 frame('a'));
  s.feed(frame('A') + frame('A') + frame('Q'));
  ev = drain(s);
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.back().kind, filter_event::type::closed);
  EXPECT_TRUE(s.closed());
  EXPECT_FALSE(s.failure());
}

TEST(MilterFilterSession, ReplycodeOnTheWire) {
  filter_session s;
  s.feed(postfix_offer() + frame('C', z("h") + "U"));
  (void)s.take_output();
  const std::string_view text[] = {"50% off"};
  EXPECT_FALSE(s.reply_code(451, smtpspec::enhanced_status{4, 7, 1}, text));
  EXPECT_EQ(s.take_output(), frame('y', z("451 4.7.1 50%% off")));
}

TEST(MilterFilterSession, OutOfOrderEndsTheSessionCleanly) {
  struct bad_case {
    const char* name;
    std::string bytes;
    error_code code;
  };
  const std::vector<bad_case> cases = {
      {"command before OPTNEG", frame('C', z("h") + "U"), error_code::unexpected_packet},
      {"command while a reply is due", postfix_offer() + frame('C', z("h") + "U") + frame('H', z("x")),
       error_code::reply_pending},
      {"MTA closes while a reply is due", postfix_offer() + frame('C', z("h") + "U"), error_code::session_closed},
      {"second OPTNEG", postfix_offer() + postfix_offer(), error_code::unexpected_packet},
      {"odd macro list", postfix_offer() + frame('D', "C" + z("j") + z("host") + z("orphan")),
       error_code::odd_macro_list},
      {"unknown command", postfix_offer() + frame('Z'), error_code::unknown_command},
      {"64 MB body", postfix_offer() + be32(0x04000001) + "B", error_code::packet_too_large},
      {"truncated", postfix_offer() + be32(10) + "H" + "abc", error_code::truncated_packet},
      {"version 1", frame('O', be32(1) + be32(0x1FF) + be32(0x1FFFFF)), error_code::unsupported_version},
  };
  for (const auto& c : cases) {
    filter_session s;
    s.feed(c.bytes);
    s.finish();
    const auto ev = drain(s);
    ASSERT_FALSE(ev.empty()) << c.name;
    EXPECT_EQ(ev.back().kind, filter_event::type::error) << c.name;
    ASSERT_TRUE(s.failure()) << c.name;
    EXPECT_EQ(s.failure()->code, c.code) << c.name << ": " << to_string(s.failure()->code);
    EXPECT_TRUE(s.closed());
    s.feed(frame('Q'));  // ignored after the end
    EXPECT_TRUE(drain(s).empty());
  }
  // A command out of order (RCPT right after CONNECT was answered); the offset is the packet's.
  filter_session s;
  s.feed(postfix_offer() + frame('C', z("h") + "U"));
  EXPECT_FALSE(s.reply(packet_kind::smfir_continue));
  s.feed(frame('N') + frame('R', z("<a@b>")));
  ASSERT_TRUE(s.failure());
  EXPECT_EQ(s.failure()->code, error_code::unexpected_packet);
  EXPECT_EQ(s.failure()->offset, postfix_offer().size() + 8u);
  EXPECT_EQ(s.failure()->byte, 'N');
}

TEST(MilterFilterSession, SkipOnlyForBodyWhenOffered) {
  filter_session s;
  s.feed(frame('O', be32(6) + be32(0x1FF) + be32(0x1FFFFF & ~SMFIP_SKIP)) + frame('C', z("h") + "U"));
  EXPECT_EQ(s.reply(packet_kind::smfir_skip)->code, error_code::skip_not_allowed);
  EXPECT_FALSE(s.reply(packet_kind::smfir_continue));
}

TEST(MilterFilterSession, FakesNoReplyTheMtaLacks) {
  filter_options o;
  o.protocol = SMFIP_NR_CONN;
  filter_session s(o);
  s.feed(frame('O', be32(2) + be32(0x3F) + be32(0x7F)));  // a version-2 MTA: no NR_* bits
  EXPECT_EQ(s.agreed().protocol, 0u);
  (void)s.take_output();
  s.feed(frame('C', z("h") + "U"));
  auto ev = drain(s);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_FALSE(ev[1].reply_expected);
  EXPECT_EQ(s.take_output(), frame('c'));
}

TEST(MilterFilterSession, SkippedStepsMayBeJumped) {
  filter_options o;
  o.protocol = SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NOMAIL;
  filter_session s(o);
  s.feed(postfix_offer() + frame('R', z("<a@b>")));
  EXPECT_FALSE(s.failure());
  EXPECT_TRUE(s.reply_due());
}

// ---- MTA session, driving a filter_session in process ---------------------------------------------

namespace {
// Moves bytes both ways until neither side has output.
void pump(mta_session& m, filter_session& f) {
  for (int i = 0; i < 64; ++i) {
    auto a = m.take_output();
    if (!a.empty()) f.feed(a);
    auto b = f.take_output();
    if (!b.empty()) m.feed(b);
    if (a.empty() && b.empty()) return;
  }
}
std::vector<mta_event> drain(mta_session& s) {
  std::vector<mta_event> out;
  while (auto e = s.next_event()) out.push_back(std::move(*e));
  return out;
}
}  // namespace

TEST(MilterMtaSession, DrivesAFilterThroughATransaction) {
  filter_options fo;
  fo.actions = SMFIF_ADDHDRS | SMFIF_CHGBODY | SMFIF_CHGFROM | SMFIF_QUARANTINE;
  fo.protocol = SMFIP_NOHELO | SMFIP_SKIP;
  fo.symbol_lists = {{SMFIM_CONNECT, "j"}};
  filter_session f(fo);
  mta_session m;
  ASSERT_EQ(m.negotiate().value, send_status::awaiting_reply);
  EXPECT_EQ(m.connect("h", '4', 25, "192.0.2.1").error->code, error_code::reply_pending);
  pump(m, f);
  auto me = drain(m);
  ASSERT_EQ(me.size(), 1u);
  EXPECT_EQ(me[0].kind, mta_event::type::negotiated);
  EXPECT_EQ(m.agreed().actions, fo.actions | SMFIF_SETSYMLIST);
  (void)drain(f);

  const std::vector<macro_pair> macros = {{"j", "mx"}, {"{daemon_name}", "smtpd"}};
  ASSERT_EQ(m.connect("client", '4', 1025, "192.0.2.1", macros).value, send_status::awaiting_reply);
  pump(m, f);
  auto fe = drain(f);
  ASSERT_EQ(fe.size(), 1u);
  ASSERT_EQ(fe[0].macros.size(), 1u) << "only the macros the symbol list names";
  EXPECT_EQ(fe[0].macros[0].name, "j");
  EXPECT_FALSE(f.reply(packet_kind::smfir_continue));
  pump(m, f);
  me = drain(m);
  ASSERT_EQ(me.size(), 1u);
  EXPECT_EQ(me[0].answers, packet_kind::smfic_connect);
  EXPECT_EQ(m.helo("client").value, send_status::skipped);  // NOHELO
  const std::vector<std::string> from = {"<a@example.com>", "SIZE=100"};
  ASSERT_TRUE(m.mail(from).ok());
  EXPECT_EQ(m.data().error->code, error_code::reply_pending);
  pump(m, f);
  EXPECT_FALSE(f.reply(packet_kind::smfir_continue));
  pump(m, f);
  EXPECT_EQ(m.data().error->code, error_code::unexpected_packet);  // RCPT first
  const std::vector<std::string> to = {"<b@example.net>"};
  ASSERT_TRUE(m.rcpt(to).ok());
  pump(m, f);
  EXPECT_FALSE(f.reply(packet_kind::smfir_continue));
  pump(m, f);
  for (auto step : {0, 1, 2}) {
    outcome<send_status> r = step == 0 ? m.data() : step == 1 ? m.header("Subject", "hi") : m.end_of_headers();
    ASSERT_TRUE(r.ok()) << step;
    pump(m, f);
    EXPECT_FALSE(f.reply(packet_kind::smfir_continue));
    pump(m, f);
  }
  (void)drain(f);
  // A body larger than one chunk: the second chunk follows the first CONTINUE.
  ASSERT_TRUE(m.body(std::string(70000, 'x')).ok());
  pump(m, f);
  fe = drain(f);
  ASSERT_EQ(fe.size(), 1u);
  EXPECT_EQ(fe[0].command.data.size(), 65535u);
  EXPECT_FALSE(f.reply(packet_kind::smfir_continue));
  pump(m, f);
  fe = drain(f);
  ASSERT_EQ(fe.size(), 1u);
  EXPECT_EQ(fe[0].command.data.size(), 70000u - 65535u);
  EXPECT_FALSE(f.reply(packet_kind::smfir_skip));
  pump(m, f);
  (void)drain(m);
  ASSERT_TRUE(m.end_of_message().ok());
  pump(m, f);
  EXPECT_FALSE(f.modify(make_header(packet_kind::smfir_addheader, "X-Filtered", "yes")));
  EXPECT_FALSE(f.modify(make_text(packet_kind::smfir_chgfrom, "<bounce@example.com>", "RET=HDRS")));
  EXPECT_FALSE(f.modify(make_data(packet_kind::smfir_replbody, std::string(100000, 'y'))));
  EXPECT_FALSE(f.modify(make_text(packet_kind::smfir_quarantine, "held")));
  EXPECT_FALSE(f.reply(packet_kind::smfir_continue));
  pump(m, f);
  me = drain(m);
  ASSERT_EQ(me.size(), 6u);
  EXPECT_EQ(me[0].kind, mta_event::type::modification);
  EXPECT_EQ(me[0].reply.name, "X-Filtered");
  EXPECT_EQ(me[1].reply.esmtp_args, "RET=HDRS");
  EXPECT_EQ(me[2].reply.data.size() + me[3].reply.data.size(), 100000u);
  EXPECT_EQ(me[5].kind, mta_event::type::reply);
  EXPECT_EQ(me[5].answers, packet_kind::smfic_bodyeob);
  EXPECT_EQ(m.modifications().size(), 5u);
  ASSERT_TRUE(m.abort().ok());
  EXPECT_TRUE(m.modifications().empty());
  ASSERT_TRUE(m.quit().ok());
  pump(m, f);
  EXPECT_TRUE(f.closed());
  EXPECT_FALSE(f.failure());
  EXPECT_FALSE(m.failure());
}

TEST(MilterMtaSession, MacrosAreAlwaysPairs) {
  mta_session m;
  ASSERT_TRUE(m.negotiate().ok());
  (void)m.take_output();
  m.feed(frame('O', be32(6) + be32(0) + be32(0)));
  const std::vector<macro_pair> macros = {{"j", ""}, {"_", "x"}};
  ASSERT_TRUE(m.connect("h", 'U', 0, "", macros).ok());
  auto r = decode_all(direction::to_filter, m.take_output());
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.packets.size(), 2u);
  EXPECT_EQ(r.packets[0].macros, macros);
}

TEST(MilterMtaSession, FilterMisbehaviourClosesTheSession) {
  struct bad_case {
    const char* name;
    std::string reply;  // after the OPTNEG reply, while CONNECT awaits its answer
    error_code code;
  };
  const std::vector<bad_case> cases = {
      {"modification before EOM", frame('h', z("X") + z("y")), error_code::not_at_end_of_message},
      {"skip at connect", frame('s'), error_code::skip_not_allowed},
      {"conn_fail", frame('f'), error_code::conn_fail_reply},
      {"setsymlist packet", frame('l', be32(0) + z("j")), error_code::setsymlist_packet},
      {"command byte", frame('C', z("h") + "U"), error_code::unknown_command},
      {"oversized", be32(0xFFFFFFFF), error_code::length_top_bit},
      {"two replies", frame('c') + frame('c'), error_code::unexpected_packet},
      {"optneg again", frame('O', be32(6) + be32(0) + be32(0)), error_code::unexpected_packet},
  };
  for (const auto& c : cases) {
    mta_session m;
    ASSERT_TRUE(m.negotiate().ok());
    m.feed(frame('O', be32(6) + be32(0x01) + be32(0)));
    ASSERT_TRUE(m.connect("h", 'U', 0, "").ok());
    (void)m.take_output();
    m.feed(c.reply);
    const auto ev = drain(m);
    ASSERT_FALSE(ev.empty()) << c.name;
    EXPECT_EQ(ev.back().kind, mta_event::type::error) << c.name;
    ASSERT_TRUE(m.failure()) << c.name;
    EXPECT_EQ(m.failure()->code, c.code) << c.name << ": " << to_string(m.failure()->code);
    EXPECT_TRUE(m.closed());
    EXPECT_EQ(m.helo("x").error->code, error_code::session_closed);
  }
  // A filter that asks for more than was offered.
  mta_session m;
  ASSERT_TRUE(m.negotiate().ok());
  m.feed(frame('O', be32(6) + be32(0x400) + be32(0)));
  ASSERT_TRUE(m.failure());
  EXPECT_EQ(m.failure()->code, error_code::action_not_offered);
  // A filter that closes while a reply is due.
  mta_session q;
  ASSERT_TRUE(q.negotiate().ok());
  q.finish();
  ASSERT_TRUE(q.failure());
  EXPECT_EQ(q.failure()->code, error_code::session_closed);
}

TEST(MilterMtaSession, NoReplyAndShutdown) {
  mta_session m;
  ASSERT_TRUE(m.negotiate().ok());
  m.feed(frame('O', be32(6) + be32(0) + be32(SMFIP_NR_CONN)));
  EXPECT_EQ(m.connect("h", 'U', 0, "").value, send_status::no_reply);
  ASSERT_TRUE(m.helo("client").ok());
  m.feed(frame('p') + frame('4'));
  const auto ev = drain(m);
  ASSERT_EQ(ev.size(), 3u);
  EXPECT_EQ(ev[0].kind, mta_event::type::negotiated);
  EXPECT_EQ(ev[1].kind, mta_event::type::progress);
  EXPECT_EQ(ev[2].kind, mta_event::type::shutdown);
  EXPECT_TRUE(m.closed());
}

TEST(MilterMtaSession, ReplycodeProblemsReachTheHost) {
  mta_session m;
  ASSERT_TRUE(m.negotiate().ok());
  m.feed(frame('O', be32(6) + be32(0) + be32(0)));
  ASSERT_TRUE(m.connect("h", 'U', 0, "").ok());
  m.feed(frame('y', z("550 5.7.1 100% sure")));
  const auto ev = drain(m);
  ASSERT_EQ(ev.size(), 2u);
  ASSERT_EQ(ev[1].problems.size(), 1u);
  EXPECT_EQ(ev[1].problems[0].id, replycode_problem_id::lone_percent);
  EXPECT_TRUE(json::accept(to_json(ev[1])));
}

TEST(MilterMtaSession, ReplbodyMustBeConsecutive) {
  mta_session m;
  ASSERT_TRUE(m.negotiate().ok());
  m.feed(frame('O', be32(6) + be32(0x1FF) + be32(0)));
  ASSERT_TRUE(m.connect("h", 'U', 0, "").ok());
  m.feed(frame('c'));
  const std::vector<std::string> a = {"<a@b>"};
  ASSERT_TRUE(m.mail(a).ok());
  m.feed(frame('c'));
  ASSERT_TRUE(m.rcpt(a).ok());
  m.feed(frame('c'));
  ASSERT_TRUE(m.end_of_message().ok());
  m.feed(frame('b', "x") + frame('b', "y") + frame('h', z("A") + z("1")) + frame('b', "z"));
  ASSERT_TRUE(m.failure());
  EXPECT_EQ(m.failure()->code, error_code::replbody_not_consecutive);
}
