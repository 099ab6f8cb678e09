// parse_proxy_header: HAProxy PROXY protocol v1 (text) and v2 (binary), every truncation point,
// malformed headers, and RapidCheck properties (prefixes of valid headers are incomplete, random
// octets never crash and never make a header that does not parse the same on its own).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "smtpspec/session.hpp"

using smtpspec::parse_proxy_header;
using smtpspec::proxy_parse_result;
using smtpspec::proxy_protocol;
using st = proxy_parse_result::status;

namespace {

const std::string sig("\r\n\r\n\0\r\nQUIT\n", 12);

std::string be16(std::size_t v) {
  return {static_cast<char>(v >> 8 & 0xff), static_cast<char>(v & 0xff)};
}
// A v2 header: version/command octet, family/protocol octet, then the body (length from it).
std::string v2(unsigned char ver_cmd, unsigned char fam, const std::string& body) {
  return sig + static_cast<char>(ver_cmd) + static_cast<char>(fam) + be16(body.size()) + body;
}
std::string tlv(unsigned char type, const std::string& value) {
  return static_cast<char>(type) + be16(value.size()) + value;
}
const std::string inet_block("\xc0\x00\x02\x01\xc6\x33\x64\x02\x04\xd2\x00\x19", 12);  // 192.0.2.1:1234 -> 198.51.100.2:25

void expect_all_prefixes_incomplete(const std::string& h, proxy_protocol accept = proxy_protocol::any) {
  for (std::size_t k = 0; k < h.size(); ++k)
    EXPECT_EQ(parse_proxy_header(h.substr(0, k), accept).state, st::incomplete) << "prefix " << k << " of " << h.size();
}

// ---- v1 -------------------------------------------------------------------------------------------

TEST(ProxyV1, Tcp4) {
  const std::string h = "PROXY TCP4 192.0.2.1 198.51.100.2 56324 25\r\n";
  const auto r = parse_proxy_header(h + "EHLO x\r\n");
  ASSERT_EQ(r.state, st::done) << r.error;
  EXPECT_EQ(r.consumed, h.size());
  EXPECT_EQ(r.header.version, 1);
  EXPECT_FALSE(r.header.local);
  EXPECT_EQ(r.header.family, "TCP4");
  EXPECT_EQ(r.header.source_address, "192.0.2.1");
  EXPECT_EQ(r.header.destination_address, "198.51.100.2");
  EXPECT_EQ(r.header.source_port, 56324);
  EXPECT_EQ(r.header.destination_port, 25);
  expect_all_prefixes_incomplete(h);
}

TEST(ProxyV1, Tcp6) {
  for (const std::string a : {"2001:db8::1", "::1", "::", "1:2:3:4:5:6:7:8", "fe80::", "::ffff:192.0.2.1",
                              "2001:DB8:0:0:0:0:0:1", "1::2:3:4:5:6:7"}) {
    const std::string h = "PROXY TCP6 " + a + " ::1 65535 0\r\n";
    const auto r = parse_proxy_header(h);
    ASSERT_EQ(r.state, st::done) << a << ": " << r.error;
    EXPECT_EQ(r.header.source_address, a);
    EXPECT_EQ(r.header.source_port, 65535);
    EXPECT_EQ(r.header.destination_port, 0);
    expect_all_prefixes_incomplete(h);
  }
}

TEST(ProxyV1, Unknown) {
  auto r = parse_proxy_header("PROXY UNKNOWN\r\nEHLO");
  ASSERT_EQ(r.state, st::done);
  EXPECT_EQ(r.consumed, 15u);
  EXPECT_TRUE(r.header.local);
  EXPECT_EQ(r.header.family, "UNKNOWN");
  // Whatever follows UNKNOWN up to the CRLF is ignored; the worst case is 107 octets.
  const std::string worst = "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
                            "65535 65535\r\n";
  ASSERT_EQ(worst.size(), 107u);
  r = parse_proxy_header(worst);
  EXPECT_EQ(r.state, st::done);
  EXPECT_EQ(r.consumed, 107u);
  expect_all_prefixes_incomplete(worst);
  EXPECT_EQ(parse_proxy_header("PROXY UNKNOWN garbage \x01 here\r\n").state, st::done);
}

TEST(ProxyV1, LongestLineIs107) {
  const std::string longer = "PROXY UNKNOWN " + std::string(92, 'x') + "\r\n";  // 108
  ASSERT_EQ(longer.size(), 108u);
  auto r = parse_proxy_header(longer);
  EXPECT_EQ(r.state, st::invalid);
  // Without a CRLF, 107 octets are already too many to wait on.
  r = parse_proxy_header("PROXY UNKNOWN " + std::string(93, 'x'));
  EXPECT_EQ(r.state, st::invalid);
  // 106 octets without a CR at the end: the CRLF could only end at octet 108.
  EXPECT_EQ(parse_proxy_header("PROXY UNKNOWN " + std::string(92, 'x')).state, st::invalid);
  EXPECT_EQ(parse_proxy_header("PROXY UNKNOWN " + std::string(91, 'x') + "\r").state, st::incomplete);
  EXPECT_EQ(parse_proxy_header("PROXY UNKNOWN " + std::string(91, 'x')).state, st::incomplete);
}

TEST(ProxyV1, Malformed) {
  const char* bad[] = {
      "PROXY TCP4 192.0.2.1 198.51.100.2 056324 25\r\n",   // leading zero (octal confusion)
      "PROXY TCP4 192.0.2.1 198.51.100.2 65536 25\r\n",    // out of range
      "PROXY TCP4 192.0.2.1 198.51.100.2 -1 25\r\n",
      "PROXY TCP4 192.0.2.1  198.51.100.2 1 25\r\n",       // two spaces
      "PROXY TCP4 192.0.2.1 198.51.100.2 1 25 \r\n",       // trailing space
      "PROXY TCP4 192.0.2.1 198.51.100.2 1\r\n",           // too few fields
      "PROXY TCP4 192.0.2.1 198.51.100.2 1 2 3\r\n",       // too many
      "PROXY TCP4 ::1 198.51.100.2 1 25\r\n",              // wrong family
      "PROXY TCP6 192.0.2.1 ::1 1 25\r\n",
      "PROXY TCP4 192.0.2.01 198.51.100.2 1 25\r\n",       // leading zero in an octet
      "PROXY TCP4 192.0.2.256 198.51.100.2 1 25\r\n",
      "PROXY TCP4 192.0.2 198.51.100.2 1 25\r\n",
      "PROXY TCP4 192.0.2.1.5 198.51.100.2 1 25\r\n",
      "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 25\r\n",
      "PROXY TCP6 1::2::3 ::1 1 25\r\n",
      "PROXY TCP6 12345:: ::1 1 25\r\n",
      "PROXY TCP6 :1:: ::1 1 25\r\n",
      "PROXY TCP6 1: ::1 1 25\r\n",
      "PROXY TCP6 g::1 ::1 1 25\r\n",
      "PROXY UDP4 192.0.2.1 198.51.100.2 1 25\r\n",        // v1 knows TCP only
      "PROXY tcp4 192.0.2.1 198.51.100.2 1 25\r\n",        // case matters
      "PROXY TCP4 192.0.2.1 198.51.100.2 1 25\n",          // LF without CR
      "PROXY TCP4 192.0.2.1 198.51.100.2 1 25\r\r\n",
      "PROXY \r\n",
      "PROXY UNKNOWNX\r\n",
      "PROXY  UNKNOWN\r\n",
      "PROXY UNKNOWN\rx\r\n",
      "PROXYTCP4\r\n",
      "proxy TCP4 192.0.2.1 198.51.100.2 1 25\r\n",
      "EHLO example.com\r\n",
  };
  for (const char* b : bad) {
    const auto r = parse_proxy_header(b);
    EXPECT_EQ(r.state, st::invalid) << b;
    EXPECT_FALSE(r.error.empty()) << b;
    EXPECT_EQ(r.consumed, 0u);
  }
}

TEST(ProxyV1, InvalidAsSoonAsItCannotBecomeValid) {
  // No need to wait for the CRLF once a field is already wrong.
  for (const char* b : {"PROXY TCP5", "PROXY TCP4 1.2.3.4x", "PROXY TCP4 300", "PROXY TCP4 1.2.3.4 5.6.7.8 00",
                        "PROXY TCP4 1.2.3.4 5.6.7.8 70000", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 ", "PROXY TCP6 1:::",
                        "PROXY TCP4 1.2.3.4\rx", "X", "PROXY\r"}) {
    EXPECT_EQ(parse_proxy_header(b).state, st::invalid) << b;
  }
  for (const char* b : {"P", "PROXY", "PROXY ", "PROXY T", "PROXY TCP4 1.2.", "PROXY TCP4 1.2.3.4 5.6.7.8 0 6553",
                        "PROXY TCP6 2001:db8::", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r", "\r\n", "\r\n\r\n"}) {
    EXPECT_EQ(parse_proxy_header(b).state, st::incomplete) << b;
  }
}

// ---- v2 -------------------------------------------------------------------------------------------

TEST(ProxyV2, Tcp4) {
  const std::string h = v2(0x21, 0x11, inet_block);
  const auto r = parse_proxy_header(h + "EHLO");
  ASSERT_EQ(r.state, st::done) << r.error;
  EXPECT_EQ(r.consumed, 28u);
  EXPECT_EQ(r.header.version, 2);
  EXPECT_FALSE(r.header.local);
  EXPECT_EQ(r.header.family, "TCP4");
  EXPECT_EQ(r.header.source_address, "192.0.2.1");
  EXPECT_EQ(r.header.destination_address, "198.51.100.2");
  EXPECT_EQ(r.header.source_port, 1234);
  EXPECT_EQ(r.header.destination_port, 25);
  EXPECT_TRUE(r.header.tlvs.empty());
  expect_all_prefixes_incomplete(h);
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x12, inet_block)).header.family, "UDP4");
}

TEST(ProxyV2, Tcp6AndRfc5952Text) {
  std::string a(16, '\0'), b(16, '\0');
  a[0] = '\x20';
  a[1] = '\x01';
  a[2] = '\x0d';
  a[3] = '\xb8';
  a[15] = '\x01';  // 2001:db8::1
  b[10] = b[11] = '\xff';
  b[12] = '\xc0';
  b[14] = '\x02';
  b[15] = '\x01';  // ::ffff:192.0.2.1
  const std::string h = v2(0x21, 0x21, a + b + be16(587) + be16(25));
  const auto r = parse_proxy_header(h);
  ASSERT_EQ(r.state, st::done) << r.error;
  EXPECT_EQ(r.header.family, "TCP6");
  EXPECT_EQ(r.header.source_address, "2001:db8::1");
  EXPECT_EQ(r.header.destination_address, "::ffff:192.0.2.1");
  EXPECT_EQ(r.header.source_port, 587);
  expect_all_prefixes_incomplete(h);

  // The longest run of zero groups is compressed; the first of equal runs; single zeros stay.
  std::string c(16, '\0');
  c[1] = 1;   // 1:0:0:2:0:0:0:3
  c[7] = 2;
  c[15] = 3;
  std::string d(16, '\0');
  d[1] = 1;   // 1:0:0:2:0:0:3:4 -> 1::2:0:0:3:4
  d[7] = 2;
  d[13] = 3;
  d[15] = 4;
  std::string e(16, '\x11');
  e[2] = e[3] = 0;  // 1111:0:1111:…
  std::string all0(16, '\0');
  const auto r2 = parse_proxy_header(v2(0x21, 0x21, c + d + be16(1) + be16(2)));
  EXPECT_EQ(r2.header.source_address, "1:0:0:2::3");
  EXPECT_EQ(r2.header.destination_address, "1::2:0:0:3:4");
  const auto r3 = parse_proxy_header(v2(0x21, 0x21, e + all0 + be16(1) + be16(2)));
  EXPECT_EQ(r3.header.source_address, "1111:0:1111:1111:1111:1111:1111:1111");
  EXPECT_EQ(r3.header.destination_address, "::");
}

TEST(ProxyV2, Unix) {
  std::string src = "/var/run/src.sock", dst = std::string(108, 'd');
  src.resize(108, '\0');
  const auto r = parse_proxy_header(v2(0x21, 0x31, src + dst));
  ASSERT_EQ(r.state, st::done) << r.error;
  EXPECT_EQ(r.header.family, "UNIX");
  EXPECT_EQ(r.header.source_address, "/var/run/src.sock");
  EXPECT_EQ(r.header.destination_address, std::string(108, 'd'));
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x32, src + dst)).header.family, "UNIX_DGRAM");
}

TEST(ProxyV2, LocalAndUnspec) {
  // LOCAL: the block, family included, is discarded.
  for (const unsigned char fam : {0x00, 0x11, 0xff}) {
    const std::string h = v2(0x20, fam, std::string(5, 'z'));
    const auto r = parse_proxy_header(h);
    ASSERT_EQ(r.state, st::done) << r.error;
    EXPECT_EQ(r.consumed, 21u);
    EXPECT_TRUE(r.header.local);
    EXPECT_EQ(r.header.family, "UNKNOWN");
    EXPECT_TRUE(r.header.source_address.empty());
  }
  // PROXY with an unspecified family or transport: the real endpoints apply too.
  for (const unsigned char fam : {0x00, 0x10, 0x20, 0x30, 0x01}) {
    const auto r = parse_proxy_header(v2(0x21, fam, ""));
    ASSERT_EQ(r.state, st::done) << r.error;
    EXPECT_TRUE(r.header.local);
    EXPECT_EQ(r.header.family, "UNKNOWN");
  }
}

TEST(ProxyV2, Tlvs) {
  const std::string h = v2(0x21, 0x11, inet_block + tlv(0x02, "mx.example") + tlv(0x04, "") + tlv(0x20, std::string("\x01\0\0\0\0", 5)));
  const auto r = parse_proxy_header(h);
  ASSERT_EQ(r.state, st::done) << r.error;
  ASSERT_EQ(r.header.tlvs.size(), 3u);
  EXPECT_EQ(r.header.tlvs[0], std::make_pair(std::uint8_t{2}, std::string("mx.example")));
  EXPECT_EQ(r.header.tlvs[1], std::make_pair(std::uint8_t{4}, std::string()));
  EXPECT_EQ(r.header.tlvs[2].second, std::string("\x01\0\0\0\0", 5));
  expect_all_prefixes_incomplete(h);
  // A TLV that does not fit, and one cut short.
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x11, inet_block + std::string("\x02\x00\x05", 3) + "abc")).state, st::invalid);
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x11, inet_block + std::string("\x02\x00", 2))).state, st::invalid);
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x11, inet_block + "\x02")).state, st::invalid);
}

// CRC32c as RFC 4960 Appendix B defines it, for building test headers.
std::uint32_t test_crc32c(const std::string& s) {
  std::uint32_t c = ~0u;
  for (const unsigned char ch : s) {
    c ^= ch;
    for (int k = 0; k < 8; ++k) c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
  }
  return ~c;
}

TEST(ProxyV2, Crc32c) {
  ASSERT_EQ(test_crc32c("123456789"), 0xe3069283u);  // the CRC-32C check value
  std::string h = v2(0x21, 0x11, inet_block + tlv(0x03, std::string(4, '\0')) + tlv(0x02, "mx"));
  const std::uint32_t c = test_crc32c(h);
  for (int k = 0; k < 4; ++k) h[31 + k] = static_cast<char>(c >> (24 - 8 * k) & 0xff);
  const auto r = parse_proxy_header(h);
  ASSERT_EQ(r.state, st::done) << r.error;
  EXPECT_EQ(r.header.tlvs.size(), 2u);
  expect_all_prefixes_incomplete(h);
  std::string bad = h;
  bad[34] = static_cast<char>(bad[34] ^ 1);
  EXPECT_EQ(parse_proxy_header(bad).state, st::invalid);
  bad = h;
  bad[20] = static_cast<char>(bad[20] ^ 0x40);
  EXPECT_EQ(parse_proxy_header(bad).state, st::invalid);
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x11, inet_block + tlv(0x03, "abc"))).state, st::invalid);
}

TEST(ProxyV2, LargestHeader) {
  const std::string value(65535 - 12 - 3, 'v');
  const std::string h = v2(0x21, 0x11, inet_block + tlv(0xe0, value));
  ASSERT_EQ(h.size(), 16u + 65535);
  const auto r = parse_proxy_header(h);
  ASSERT_EQ(r.state, st::done) << r.error;
  EXPECT_EQ(r.consumed, 16u + 65535);
  EXPECT_EQ(r.header.tlvs.at(0).second.size(), value.size());
  EXPECT_EQ(parse_proxy_header(std::string_view(h).substr(0, h.size() - 1)).state, st::incomplete);
}

TEST(ProxyV2, Malformed) {
  EXPECT_EQ(parse_proxy_header(v2(0x11, 0x11, inet_block)).state, st::invalid);  // version 1
  EXPECT_EQ(parse_proxy_header(v2(0x31, 0x11, inet_block)).state, st::invalid);  // version 3
  EXPECT_EQ(parse_proxy_header(v2(0x22, 0x11, inet_block)).state, st::invalid);  // command 2
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x41, inet_block)).state, st::invalid);  // family 4
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x13, inet_block)).state, st::invalid);  // protocol 3
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x11, inet_block.substr(0, 11))).state, st::invalid);  // too short
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x21, inet_block)).state, st::invalid);  // INET6 needs 36
  EXPECT_EQ(parse_proxy_header(v2(0x21, 0x31, std::string(215, 'x'))).state, st::invalid);
  // Decided as soon as the octet arrives: no waiting for the length.
  EXPECT_EQ(parse_proxy_header(sig + "\x31").state, st::invalid);
  EXPECT_EQ(parse_proxy_header(sig + "\x21\x51").state, st::invalid);
  EXPECT_EQ(parse_proxy_header(sig + std::string("\x21\x11\x00\x0b", 4)).state, st::invalid);
  std::string bad_sig = sig;
  bad_sig[6] = 'X';
  EXPECT_EQ(parse_proxy_header(bad_sig).state, st::invalid);
  EXPECT_EQ(parse_proxy_header(sig.substr(0, 5) + "X").state, st::invalid);
}

TEST(Proxy, AcceptedVersions) {
  const std::string h1 = "PROXY TCP4 192.0.2.1 198.51.100.2 1 25\r\n";
  const std::string h2 = v2(0x21, 0x11, inet_block);
  EXPECT_EQ(parse_proxy_header(h1, proxy_protocol::v1).state, st::done);
  EXPECT_EQ(parse_proxy_header(h1, proxy_protocol::v2).state, st::invalid);
  EXPECT_EQ(parse_proxy_header(h2, proxy_protocol::v2).state, st::done);
  EXPECT_EQ(parse_proxy_header(h2, proxy_protocol::v1).state, st::invalid);
  EXPECT_EQ(parse_proxy_header(h1, proxy_protocol::none).state, st::invalid);
  EXPECT_EQ(parse_proxy_header("PRO", proxy_protocol::v2).state, st::invalid);
  EXPECT_EQ(parse_proxy_header("\r\n", proxy_protocol::v1).state, st::invalid);
  EXPECT_EQ(parse_proxy_header("", proxy_protocol::any).state, st::incomplete);
}

TEST(Proxy, Json) {
  auto j = nlohmann::json::parse(to_json(parse_proxy_header(v2(0x21, 0x11, inet_block + tlv(0x01, "h2")))));
  EXPECT_EQ(j["status"], "done");
  EXPECT_EQ(j["consumed"], 33);
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_EQ(j["header"]["family"], "TCP4");
  EXPECT_EQ(j["header"]["tlvs"][0]["type"], 1);
  EXPECT_EQ(j["header"]["tlvs"][0]["value_hex"], "6832");
  EXPECT_EQ(to_json(parse_proxy_header("PROXY")), "{\"status\":\"incomplete\",\"consumed\":0,\"error\":null,\"header\":null}");
  EXPECT_EQ(to_json(parse_proxy_header("PROXY UNKNOWN\r\n")),
            "{\"status\":\"done\",\"consumed\":15,\"error\":null,\"header\":{\"version\":1,\"local\":true,"
            "\"family\":\"UNKNOWN\",\"source_address\":null,\"destination_address\":null,\"source_port\":0,"
            "\"destination_port\":0,\"tlvs\":[]}}");
  j = nlohmann::json::parse(to_json(parse_proxy_header("GET / HTTP/1.1\r\n")));
  EXPECT_EQ(j["status"], "invalid");
  EXPECT_TRUE(j["error"].is_string());
  EXPECT_TRUE(j["header"].is_null());
}

// ---- properties -----------------------------------------------------------------------------------

RC_GTEST_PROP(ProxyProperty, RandomOctetsAreSafe, ()) {
  const auto prefix = *rc::gen::element(std::string("PROXY "), std::string("PROXY TCP4 "), std::string("PROXY TCP6 "),
                                        sig, sig + "\x21", sig + "\x21\x11", std::string());
  const auto tail = *rc::gen::container<std::string>(
      rc::gen::oneOf(rc::gen::arbitrary<char>(), rc::gen::elementOf(std::string("0123456789.: \r\nabcdef"))));
  const std::string in = prefix + tail;
  const auto accept = *rc::gen::element(proxy_protocol::v1, proxy_protocol::v2, proxy_protocol::any);
  const auto r = parse_proxy_header(in, accept);
  RC_ASSERT(nlohmann::json::accept(to_json(r)));
  if (r.state == st::done) {
    RC_ASSERT(r.consumed <= in.size());
    RC_ASSERT(to_json(parse_proxy_header(std::string_view(in).substr(0, r.consumed), accept)) == to_json(r));
    for (std::size_t k = 0; k < r.consumed; ++k)
      RC_ASSERT(parse_proxy_header(std::string_view(in).substr(0, k), accept).state == st::incomplete);
  } else {
    RC_ASSERT(r.consumed == 0u);
    if (r.state == st::invalid) RC_ASSERT(!r.error.empty());
    // Invalid stays invalid whatever follows; incomplete never waits past the largest header.
    if (r.state == st::invalid) RC_ASSERT(parse_proxy_header(in + "\r\n", accept).state == st::invalid);
    if (r.state == st::incomplete) RC_ASSERT(in.size() < 16 + 65535);
  }
}

RC_GTEST_PROP(ProxyProperty, GeneratedV1HeadersParse, ()) {
  const auto oct = rc::gen::inRange(0, 256);
  const auto a = std::to_string(*oct) + "." + std::to_string(*oct) + "." + std::to_string(*oct) + "." +
                 std::to_string(*oct);
  const auto b = std::to_string(*oct) + "." + std::to_string(*oct) + "." + std::to_string(*oct) + "." +
                 std::to_string(*oct);
  const auto p1 = *rc::gen::inRange(0, 65536), p2 = *rc::gen::inRange(0, 65536);
  const std::string h = "PROXY TCP4 " + a + " " + b + " " + std::to_string(p1) + " " + std::to_string(p2) + "\r\n";
  const auto r = parse_proxy_header(h);
  RC_ASSERT(r.state == st::done);
  RC_ASSERT(r.header.source_address == a && r.header.destination_address == b);
  RC_ASSERT(r.header.source_port == p1 && r.header.destination_port == p2);
  for (std::size_t k = 0; k < h.size(); ++k) RC_ASSERT(parse_proxy_header(h.substr(0, k)).state == st::incomplete);
}

}  // namespace
