// Transcript readers: every sample of each format (tests/transcript/samples/, copied from
// shared/transcripts/) with concrete events, hand-made edge cases, bad input, detection and the
// catalogue. Property tests (any split, raw round trip, junk) are in property_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "smtpspec/transcript.hpp"

namespace t = smtpspec::transcript;
namespace fs = std::filesystem;
using t::direction;
using t::boundary;
using t::format;
using t::message_id;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sample(const std::string& name) {
  const auto p = fs::path(SMTPSPEC_TRANSCRIPT_SAMPLES) / name;
  EXPECT_TRUE(fs::exists(p)) << p;
  return slurp(p);
}

std::vector<t::event> of(const t::transcript& tr, direction d) {
  std::vector<t::event> out;
  for (const auto& e : tr.events)
    if (e.dir == d) out.push_back(e);
  return out;
}

bool has_note(const t::transcript& tr, message_id id) {
  for (const auto& n : tr.notes)
    if (n.id == id) return true;
  return false;
}

t::transcript read_as(std::string_view text, format f) {
  t::options o;
  o.fmt = f;
  return t::read(text, o);
}

}  // namespace

// ---- catalogue -------------------------------------------------------------------------------

TEST(TranscriptCatalogue, EveryFormatHasANameAndRoundTrips) {
  ASSERT_EQ(t::format_catalogue().size(), 12u);
  for (const auto& f : t::format_catalogue()) {
    EXPECT_EQ(t::format_from_name(f.name), f.id);
    EXPECT_FALSE(f.keeps.empty());
    EXPECT_FALSE(f.loses.empty());
  }
  EXPECT_EQ(t::format_from_name("nope"), std::nullopt);
  EXPECT_EQ(t::info(format::postfix_debug).data, t::data_kept::absent);
  EXPECT_EQ(t::info(format::smtp_sink).replies, t::replies_kept::absent);
  EXPECT_EQ(t::info(format::tshark_hex).octets, t::octets_kept::exact);
  EXPECT_EQ(t::info(format::tshark_ascii).tls, t::tls_kept::encrypted);
  const auto j = nlohmann::json::parse(t::catalogue_json());
  EXPECT_EQ(j["formats"].size(), t::format_catalogue().size());
  EXPECT_EQ(j["messages"].size(), t::message_catalogue().size());
  EXPECT_EQ(j["formats"][0]["name"], "rfc");
}

// ---- RFC style ---------------------------------------------------------------------------------

TEST(TranscriptRfc, AppendixDStyle) {
  const auto tr = t::read(sample("rfc5321-appendix-d-style-handwritten.txt"));
  ASSERT_EQ(tr.fmt, format::rfc);
  EXPECT_TRUE(tr.detected);
  EXPECT_EQ(tr.confidence, 100u);
  EXPECT_TRUE(tr.ok());
  ASSERT_EQ(tr.events.size(), 21u);
  EXPECT_EQ(tr.events[0].dir, direction::server);
  EXPECT_EQ(tr.events[0].octets, "220 foo.com Simple Mail Transfer Service Ready\r\n");
  EXPECT_FALSE(tr.events[0].exact);
  EXPECT_EQ(tr.events[1].dir, direction::client);
  EXPECT_EQ(tr.events[1].octets, "EHLO bar.com\r\n");
  EXPECT_EQ(tr.events[1].before, boundary::write);
  EXPECT_EQ(tr.events[1].line, 2u);
  EXPECT_EQ(tr.events[1].offset, 50u);
  // The server's "<CRLF>" is reply text, kept as written.
  EXPECT_EQ(tr.events[14].octets, "354 Start mail input; end with <CRLF>.<CRLF>\r\n");
  // The DATA lines: a run of C: lines is one group by convention.
  EXPECT_EQ(tr.events[15].before, boundary::write);
  EXPECT_EQ(tr.events[16].before, boundary::same_write);
  EXPECT_EQ(tr.events[17].octets, ".\r\n");
  EXPECT_EQ(tr.lines, 21u);
}

TEST(TranscriptRfc, VariantsPipeliningGroupPlaceholdersAndSpelledCrlf) {
  const auto tr = t::read(sample("rfc-style-variants-handwritten.txt"));
  ASSERT_EQ(tr.fmt, format::rfc);
  EXPECT_TRUE(tr.ok());
  // "S: <wait for open connection>" and "C: <open connection to server>" are placeholders.
  ASSERT_GE(tr.notes.size(), 2u);
  EXPECT_EQ(tr.notes[0].id, message_id::placeholder_line);
  EXPECT_EQ(tr.notes[0].line, 3u);
  EXPECT_EQ(tr.notes[1].line, 4u);
  // RFC 2920's group: MAIL, three RCPT, DATA in one write.
  std::vector<t::event> group;
  for (const auto& e : tr.events)
    if (e.line >= 9 && e.line <= 13) group.push_back(e);
  ASSERT_EQ(group.size(), 5u);
  EXPECT_EQ(group[0].before, boundary::write);
  for (std::size_t i = 1; i < 5; ++i) EXPECT_EQ(group[i].before, boundary::same_write);
  // "C: DATA<CRLF>" is DATA and CRLF; "(message content, 1234 octets)" a placeholder.
  bool found = false;
  for (const auto& e : tr.events)
    if (e.line == 29) {
      EXPECT_EQ(e.octets, "DATA\r\n");
      found = true;
    }
  EXPECT_TRUE(found);
  EXPECT_TRUE(has_note(tr, message_id::crlf_spelled_out));
  // '#' lines are note events with their text.
  EXPECT_EQ(tr.events[0].dir, direction::note);
  EXPECT_TRUE(tr.events[0].octets.starts_with("Variants of the RFC"));
}

TEST(TranscriptRfc, EscapedFormKeepsBareLfAndTls) {
  const auto tr = t::read(sample("postfix-raw-barelf-data.txt"));
  ASSERT_EQ(tr.fmt, format::rfc);
  EXPECT_TRUE(tr.ok());
  std::vector<std::string> client;
  for (const auto& e : of(tr, direction::client)) {
    EXPECT_TRUE(e.exact);
    client.push_back(e.octets);
  }
  ASSERT_GE(client.size(), 8u);
  EXPECT_EQ(client[0], "EHLO client.example.org\r\n");
  EXPECT_EQ(client[5], "\r\n");
  EXPECT_EQ(client[6], "line one\n");
  EXPECT_EQ(client[7], ".\n");
  const auto inj = t::read(sample("aiosmtpd-raw-starttls-injection.txt"));
  // STARTTLS and RSET in one write, then TLS starts at the first C~: line.
  const auto& ev = inj.events;
  std::size_t starttls = 0;
  while (starttls < ev.size() && ev[starttls].octets != "STARTTLS\r\n") ++starttls;
  ASSERT_LT(starttls + 1, ev.size());
  EXPECT_EQ(ev[starttls].before, boundary::write);
  EXPECT_EQ(ev[starttls + 1].octets, "RSET\r\n");
  EXPECT_EQ(ev[starttls + 1].before, boundary::same_write);
  std::size_t tls = 0;
  while (tls < ev.size() && ev[tls].dir != direction::tls_start) ++tls;
  ASSERT_LT(tls + 1, ev.size());
  EXPECT_FALSE(ev[tls - 1].tls);
  EXPECT_TRUE(ev[tls + 1].tls);
  EXPECT_EQ(ev[tls + 1].octets, "EHLO client.example.org\r\n");
  const auto lines = t::read(sample("postfix-raw-lines.txt"));
  bool nul = false;
  for (const auto& e : lines.events) nul = nul || e.octets == std::string("NOOP nul\0byte\r\n", 15);
  EXPECT_TRUE(nul);
}

TEST(TranscriptRfc, SenderReceiverMarkersOfRfc3030) {
  const auto tr = t::read(sample("rfc3030-4.1-simple-chunking.txt"));
  ASSERT_EQ(tr.fmt, format::rfc);
  EXPECT_TRUE(has_note(tr, message_id::sender_receiver_markers));
  const auto c = of(tr, direction::client);
  const auto s = of(tr, direction::server);
  ASSERT_FALSE(c.empty());
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(c[0].octets, "EHLO ymir.claremont.edu\r\n");
  EXPECT_EQ(s[0].octets, "220 cnri.reston.va.us SMTP service ready\r\n");
  // BDAT chunk lines spell their CRLF out.
  bool to = false;
  for (const auto& e : c) to = to || e.octets == "To: Susan@random.com\r\n";
  EXPECT_TRUE(to);
}

TEST(TranscriptRfc, Rfc3461ArrowsAndContinuations) {
  const auto tr = t::read(sample("rfc3461-10.1-submission.txt"));
  ASSERT_EQ(tr.fmt, format::rfc);
  EXPECT_TRUE(has_note(tr, message_id::continuation_joined));
  bool joined = false;
  for (const auto& e : of(tr, direction::client))
    joined = joined || e.octets == "RCPT TO:<Bob@Example.COM> NOTIFY=SUCCESS ORCPT=rfc822;Bob@Example.COM\r\n";
  EXPECT_TRUE(joined);
  EXPECT_EQ(of(tr, direction::server)[0].octets, "220 Example.ORG SMTP server here\r\n");
}

TEST(TranscriptRfc, EscapesAndErrors) {
  auto tr = read_as("C: a\\x00b\\\\c\\t\\r\\n\nS: 250 ok\\r\nC: bad \\q escape\n", format::rfc);
  ASSERT_EQ(tr.events.size(), 2u);
  EXPECT_EQ(tr.events[0].octets, std::string("a\0b\\c\t\r\n", 8));
  EXPECT_EQ(tr.events[1].octets, "250 ok\r");
  ASSERT_EQ(tr.errors.size(), 1u);
  EXPECT_EQ(tr.errors[0].id, message_id::bad_escape);
  EXPECT_EQ(tr.errors[0].line, 3u);
  EXPECT_EQ(tr.errors[0].offset, 31u);
  tr = read_as("C: \\x4\n", format::rfc);
  EXPECT_EQ(tr.errors.at(0).id, message_id::bad_escape);
  // An empty C: line is an empty line.
  tr = read_as("C:\nC: \n", format::rfc);
  ASSERT_EQ(tr.events.size(), 2u);
  EXPECT_EQ(tr.events[0].octets, "\r\n");
  EXPECT_EQ(tr.events[1].octets, "\r\n");
}

// ---- swaks ---------------------------------------------------------------------------------

TEST(TranscriptSwaks, RealStarttls) {
  const auto tr = t::read(sample("swaks-real-postfix-starttls.txt"));
  ASSERT_EQ(tr.fmt, format::swaks);
  EXPECT_TRUE(tr.ok());
  EXPECT_EQ(tr.events[0].dir, direction::server);
  EXPECT_EQ(tr.events[0].octets, "220 mx.pfx.test ESMTP Postfix\r\n");
  EXPECT_EQ(tr.events[0].line, 3u);
  std::size_t tls = 0;
  while (tls < tr.events.size() && tr.events[tls].dir != direction::tls_start) ++tls;
  ASSERT_LT(tls, tr.events.size());
  EXPECT_EQ(tr.events[tls - 1].octets, "220 2.0.0 Ready to start TLS\r\n");
  EXPECT_EQ(tr.events[tls + 1].octets, "EHLO client.example.org\r\n");
  EXPECT_TRUE(tr.events[tls + 1].tls);
  // DATA lines keep swaks' CR ("Date: …^M" is "Date: …\r" and a LF).
  bool date = false;
  for (const auto& e : tr.events) date = date || (e.octets.starts_with("Date: ") && e.octets.ends_with("+0000\r\n"));
  EXPECT_TRUE(date);
  EXPECT_EQ(tr.events.back().octets, "221 2.0.0 Bye\r\n");
  EXPECT_TRUE(has_note(tr, message_id::tool_message));
}

TEST(TranscriptSwaks, PrefixesIncludingUnexpected) {
  const auto tr = t::read(sample("swaks-prefixes-handwritten.txt"));
  ASSERT_EQ(tr.fmt, format::swaks);
  EXPECT_TRUE(tr.ok());
  bool bad_auth = false;
  for (const auto& e : tr.events)
    if (e.octets == "535 5.7.8 Error: authentication failed\r\n") {
      bad_auth = true;
      EXPECT_EQ(e.dir, direction::server);
      EXPECT_TRUE(e.tls);
    }
  EXPECT_TRUE(bad_auth);
}

// Issue 7: swaks prints its own timeout under "<**"; that is a note, not server octets, while an
// unexpected server reply under "<**" stays a server event.
TEST(TranscriptSwaks, OwnTimeoutIsNotAReply) {
  const auto tr = t::read("=== Trying 127.0.0.1:25...\n<-  220 mx ESMTP\n -> AUTH LOGIN\n"
                          "<** 535 5.7.8 no\n -> QUIT\n<** Timeout (20 secs) waiting for server response\n");
  ASSERT_EQ(tr.fmt, format::swaks);
  ASSERT_EQ(tr.events.size(), 4u);
  EXPECT_EQ(tr.events[2].octets, "535 5.7.8 no\r\n");
  EXPECT_EQ(tr.events[2].dir, direction::server);
  EXPECT_EQ(tr.events.back().octets, "QUIT\r\n");
  EXPECT_TRUE(has_note(tr, message_id::tool_message));
}

TEST(TranscriptSwaks, ShowRawTextTakesTheHexDump) {
  const auto tr = t::read(sample("swaks-real-show-raw-text-excerpt.txt"));
  ASSERT_EQ(tr.fmt, format::swaks);
  EXPECT_TRUE(tr.ok());
  ASSERT_GE(tr.events.size(), 9u);
  EXPECT_EQ(tr.events[0].octets, "220 mx.pfx.test ESMTP Postfix\r\n");
  EXPECT_TRUE(tr.events[0].exact);
  EXPECT_EQ(tr.events[0].before, boundary::write);
  EXPECT_EQ(tr.events[1].octets, "EHLO client.example.org\r\n");
  EXPECT_TRUE(tr.events[1].exact);
  // The EHLO reply is one read of 11 lines, not 11 events.
  EXPECT_EQ(tr.events[2].dir, direction::server);
  EXPECT_TRUE(tr.events[2].octets.starts_with("250-mx.pfx.test\r\n250-PIPELINING\r\n"));
  EXPECT_TRUE(tr.events[2].octets.ends_with("250 CHUNKING\r\n"));
  // The DATA lines have no dump in this excerpt: they stay line events, not exact.
  EXPECT_FALSE(tr.events.back().exact);
  EXPECT_EQ(tr.events.back().octets, "last line\r\n");
}

// ---- smtplib ---------------------------------------------------------------------------------

TEST(TranscriptSmtplib, Levels1And2AreTheSameEvents) {
  const auto one = t::read(sample("python-smtplib-debuglevel1-real.txt"));
  const auto two = t::read(sample("python-smtplib-debuglevel2-real.txt"));
  ASSERT_EQ(one.fmt, format::smtplib);
  ASSERT_EQ(two.fmt, format::smtplib);
  ASSERT_EQ(one.events.size(), two.events.size());
  for (std::size_t i = 0; i < one.events.size(); ++i) {
    EXPECT_EQ(one.events[i].dir, two.events[i].dir);
    EXPECT_TRUE(one.events[i].exact);
    if (one.events[i].octets.find("queued as") == std::string::npos) {
      EXPECT_EQ(one.events[i].octets, two.events[i].octets);
    }
  }
  EXPECT_EQ(one.events[0].octets, "ehlo client.example.org\r\n");
  EXPECT_EQ(one.events[0].before, boundary::write);
  EXPECT_EQ(one.events[1].octets, "250-mx.pfx.test\r\n");
  EXPECT_EQ(one.events[1].before, boundary::unknown);
  bool body = false;
  for (const auto& e : one.events) body = body || e.octets == "Subject: smtplib debug\r\n\r\nhello\r\n.\r\n";
  EXPECT_TRUE(body);
  EXPECT_TRUE(has_note(one, message_id::summary_line));
}

TEST(TranscriptSmtplib, PythonReprDecoder) {
  const auto tr = read_as(
      "send: b'a\\x00\\xff\\t\\\\\\'\"'\n"
      "send: \"it's\"\n"
      "send: 'caf\\xe9 \\u00e9 \\U0001F600'\n"
      "reply: b'\\r\\n'\n"
      "send: 'unterminated\n"
      "send: b'\\xZZ'\n"
      "send: b'x' trailing\n",
      format::smtplib);
  ASSERT_EQ(tr.events.size(), 4u);
  EXPECT_EQ(tr.events[0].octets, std::string("a\0\xff\t\\'\"", 7));
  EXPECT_EQ(tr.events[1].octets, "it's");
  EXPECT_EQ(tr.events[2].octets, "caf\xc3\xa9 \xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(tr.events[3].octets, "\r\n");
  ASSERT_EQ(tr.errors.size(), 3u);
  for (const auto& e : tr.errors) EXPECT_EQ(e.id, message_id::bad_repr);
  EXPECT_EQ(tr.errors[0].line, 5u);
  EXPECT_EQ(tr.errors[2].line, 7u);
}

// ---- Postfix -------------------------------------------------------------------------------------

TEST(TranscriptPostfix, SmtpdDebugPeer) {
  const auto tr = t::read(sample("postfix-smtpd-debug_peer_level2-real.log"));
  ASSERT_EQ(tr.fmt, format::postfix_debug);
  EXPECT_TRUE(tr.ok());
  EXPECT_EQ(tr.events[0].dir, direction::connect);
  EXPECT_EQ(tr.events[1].dir, direction::server);
  EXPECT_EQ(tr.events[1].octets, "220 mx.pfx.test ESMTP Postfix\r\n");
  EXPECT_EQ(tr.events[1].line, 5u);
  EXPECT_EQ(tr.events[2].dir, direction::client);  // '<' = received from the client
  EXPECT_EQ(tr.events[2].octets, "EHLO client.example.org\r\n");
  EXPECT_FALSE(tr.events[2].exact);
  // No DATA content in this format: the capability says so.
  EXPECT_EQ(tr.capabilities()->data, t::data_kept::absent);
  ASSERT_FALSE(tr.notes.empty());
  EXPECT_EQ(tr.notes[0].id, message_id::skipped_lines);
  EXPECT_EQ(tr.notes[0].line, 2u);
  EXPECT_EQ(tr.notes[0].count, 3u);
}

TEST(TranscriptPostfix, SmtpClientArrowsPointTheOtherWay) {
  const auto tr = t::read(sample("postfix-smtp-client-debug-handwritten.log"));
  ASSERT_EQ(tr.fmt, format::postfix_debug);
  const auto c = of(tr, direction::client);
  const auto s = of(tr, direction::server);
  ASSERT_FALSE(c.empty());
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(c[0].octets, "EHLO relay.example.org\r\n");
  EXPECT_EQ(s[0].octets, "250-mx.example.net\r\n");
}

namespace {

// A maillog interleaving three smtpd processes (Postfix runs one per connection): 100 holds the
// line, 200 and 300 are held back and replayed, each as its own connection, in the order they began.
const std::string k_interleaved =
    "Nov 22 10:00:00 mx postfix/smtpd[100]: connect from a[192.0.2.1]\n"                   // 1
    "Nov 22 10:00:00 mx postfix/smtpd[100]: > a[192.0.2.1]: 220 mx\n"                       // 2
    "Nov 22 10:00:01 mx postfix/smtpd[200]: connect from b[192.0.2.2]\n"                   // 3
    "Nov 22 10:00:01 mx postfix/smtpd[200]: > b[192.0.2.2]: 220 mx\n"                       // 4
    "Nov 22 10:00:01 mx postfix/smtpd[100]: < a[192.0.2.1]: EHLO a\n"                       // 5
    "Nov 22 10:00:02 mx postfix/smtpd[200]: < b[192.0.2.2]: HELO b\n"                       // 6
    "Nov 22 10:00:02 mx postfix/cleanup[7]: 1234: message-id=<x@y>\n"                        // 7
    "Nov 22 10:00:02 mx postfix/smtpd[300]: > c[192.0.2.3]: 250 ok\n"                       // 8
    "Nov 22 10:00:02 mx postfix/smtpd[100]: > a[192.0.2.1]: 250 mx\n"                       // 9
    "Nov 22 10:00:03 mx postfix/smtpd[200]: disconnect from b[192.0.2.2] helo=1 commands=1\n"  // 10
    "Nov 22 10:00:03 mx postfix/smtpd[100]: disconnect from a[192.0.2.1] ehlo=1 commands=1\n"  // 11
    "Nov 22 10:00:04 mx postfix/smtpd[300]: < c[192.0.2.3]: QUIT\n";                        // 12

std::string summary(const std::vector<t::event>& events) {
  std::string out;
  for (const auto& e : events) {
    out += std::to_string(e.line) + std::string(t::to_string(e.dir)).substr(0, 1);
    if (!e.octets.empty()) out += "(" + e.octets.substr(0, e.octets.size() - 2) + ")";
    out += " ";
  }
  return out;
}

}  // namespace

TEST(TranscriptPostfix, InterleavedProcessesAreReadOneConversationAtATime) {
  const auto tr = t::read(k_interleaved);
  ASSERT_EQ(tr.fmt, format::postfix_debug);
  EXPECT_TRUE(tr.ok());
  // 100 flows out; 200 (held from line 3) follows 100's disconnect; 300 began mid-conversation
  // (the log started later), so its connect is the reader's, at its first line.
  EXPECT_EQ(summary(tr.events),
            "1c 2s(220 mx) 5c(EHLO a) 9s(250 mx) 3c 4s(220 mx) 6c(HELO b) 8c 8s(250 ok) 12c(QUIT) ");
  // Events keep their source offsets.
  EXPECT_EQ(tr.events[4].offset, k_interleaved.find("Nov 22 10:00:01 mx postfix/smtpd[200]: connect"));
  ASSERT_FALSE(tr.notes.empty());
  EXPECT_EQ(tr.notes[0].id, message_id::interleaved_processes);
  EXPECT_EQ(tr.notes[0].line, 3u);
  EXPECT_EQ(tr.lines, 12u);
}

TEST(TranscriptPostfix, InterleavedAnySplitGivesTheSameEvents) {
  for (std::size_t step : {1u, 7u, 64u}) {
    t::options o;
    o.sniff_bytes = 100;  // detection early, then the demultiplexing runs while streaming
    t::reader r(o);
    std::vector<t::event> ev;
    for (std::size_t i = 0; i < k_interleaved.size(); i += step) {
      r.feed(std::string_view(k_interleaved).substr(i, step));
      ev.insert(ev.end(), r.events().begin(), r.events().end());
      r.clear();
    }
    r.finish();
    ev.insert(ev.end(), r.events().begin(), r.events().end());
    EXPECT_EQ(summary(ev), summary(t::read(k_interleaved).events)) << "step " << step;
  }
  // take(): the parts concatenate to the whole; the last one carries the format and the counts.
  t::options o;
  o.sniff_bytes = 100;
  t::reader r(o);
  r.feed(k_interleaved.substr(0, 300));
  auto a = r.take();
  EXPECT_EQ(a.fmt, format::postfix_debug);
  EXPECT_EQ(a.octets, 300u);
  r.feed(k_interleaved.substr(300));
  r.finish();
  auto b = r.take();
  EXPECT_TRUE(r.events().empty());
  b.events.insert(b.events.begin(), a.events.begin(), a.events.end());
  b.notes.insert(b.notes.begin(), a.notes.begin(), a.notes.end());
  EXPECT_EQ(t::to_json(b), t::to_json(t::read(k_interleaved, o)));
}

TEST(TranscriptPostfix, ASingleProcessReusedForSeveralConnectionsIsUnchanged) {
  const std::string p = "Nov 22 10:00:00 mx postfix/smtpd[100]: ";
  const auto tr = t::read(p + "connect from a[1.2.3.4]\n" + p + "< a[1.2.3.4]: QUIT\n" + p +
                          "disconnect from a[1.2.3.4]\n" + p + "connect from a[1.2.3.4]\n" + p +
                          "< a[1.2.3.4]: NOOP\n");
  EXPECT_EQ(summary(tr.events), "1c 2c(QUIT) 4c 5c(NOOP) ");
  for (const auto& n : tr.notes) EXPECT_NE(n.id, message_id::interleaved_processes);
}

TEST(TranscriptPostfix, HeldLinesAreBoundedByMaxHeld) {
  // 100 never disconnects; 200's lines would be held until the end: beyond max_held its
  // conversation is dropped with an error naming the line, and memory stays bounded.
  const std::string a = "Nov 22 10:00:00 mx postfix/smtpd[100]: ", b = "Nov 22 10:00:00 mx postfix/smtpd[200]: ";
  std::string log = a + "connect from a[1.2.3.4]\n" + b + "connect from b[1.2.3.4]\n";
  for (int i = 0; i < 50; ++i) log += b + "< b[1.2.3.4]: NOOP\n" + a + "< a[1.2.3.4]: NOOP\n";
  log += b + "disconnect from b[1.2.3.4]\n" + b + "connect from b[1.2.3.4]\n" + b + "< b[1.2.3.4]: QUIT\n";
  t::options o;
  o.max_held = 1000;  // about ten held lines
  const auto tr = t::read(log, o);
  ASSERT_EQ(tr.errors.size(), 1u);
  EXPECT_EQ(tr.errors[0].id, message_id::held_lines_overflow);
  EXPECT_GT(tr.errors[0].line, 10u);
  EXPECT_LT(tr.errors[0].line, 30u);
  // 100's 51 events; 200's first conversation is gone; its next one (after the disconnect) is read.
  std::size_t a_events = 0;
  for (const auto& e : tr.events) a_events += e.line <= 2 || (e.line % 2 == 0 && e.line < 103) ? 1 : 0;
  EXPECT_EQ(a_events, 51u);
  EXPECT_EQ(summary({tr.events.end() - 2, tr.events.end()}), "104c 105c(QUIT) ");
  EXPECT_EQ(tr.events.size(), 53u);
  // At most 1024 processes are held: the 1025th is dropped, the others replayed.
  std::string many = a + "connect from a[1.2.3.4]\n";
  for (int pid = 1; pid <= 1025; ++pid)
    many += "Nov 22 10:00:00 mx postfix/smtpd[" + std::to_string(1000 + pid) + "]: < b[1.2.3.4]: NOOP\n";
  const auto capped = t::read(many);
  ASSERT_EQ(capped.errors.size(), 1u);
  EXPECT_EQ(capped.errors[0].id, message_id::held_lines_overflow);
  EXPECT_EQ(capped.errors[0].line, 1026u);
  EXPECT_EQ(capped.events.size(), 1u + 2u * 1024u);  // each held process: connect and its NOOP
  // With room, all of 200 is replayed after 100.
  const auto roomy = t::read(log);
  EXPECT_TRUE(roomy.ok());
  EXPECT_EQ(roomy.events.size(), 51u + 51u + 2u);
}

// ---- smtp-sink ---------------------------------------------------------------------------------

TEST(TranscriptSmtpSink, CommandsAndConnections) {
  const auto tr = t::read(sample("postfix-smtp-sink-v-c-real.log"));
  ASSERT_EQ(tr.fmt, format::smtp_sink);
  EXPECT_TRUE(tr.ok());
  EXPECT_EQ(of(tr, direction::connect).size(), 3u);
  EXPECT_TRUE(of(tr, direction::server).empty());
  const auto c = of(tr, direction::client);
  ASSERT_EQ(c.size(), 25u);
  EXPECT_EQ(c[0].octets, "EHLO client.example.org\r\n");
  // "sess=0 quit=0 mesg=1\rsmtp-sink: ." — the end of data after the counters' bare CR.
  EXPECT_EQ(c[4].octets, ".\r\n");
  EXPECT_EQ(c[4].line, 11u);
  EXPECT_EQ(c.back().octets, "QUIT now\r\n");
  EXPECT_TRUE(has_note(tr, message_id::no_final_newline));
}

// ---- tshark ------------------------------------------------------------------------------------

TEST(TranscriptTshark, AsciiSegments) {
  const auto tr = t::read(sample("tshark-follow-tcp-ascii-real.txt"));
  ASSERT_EQ(tr.fmt, format::tshark_ascii);
  EXPECT_TRUE(tr.ok());
  ASSERT_EQ(tr.events.size(), 9u);
  EXPECT_EQ(tr.events[0].dir, direction::server);
  EXPECT_EQ(tr.events[0].octets, "220 mx.pfx.test ESMTP Postfix\r\n");
  EXPECT_EQ(tr.events[0].line, 8u);
  EXPECT_EQ(tr.events[3].dir, direction::client);
  EXPECT_EQ(tr.events[3].octets,
            "MAIL FROM:<sender@example.org>\r\nRCPT TO:<user@pfx.test>\r\nRCPT TO:<other@pfx.test>\r\nDATA\r\n");
  EXPECT_EQ(tr.events[3].octets.size(), 89u);
  for (const auto& e : tr.events) EXPECT_EQ(e.before, boundary::write);
  EXPECT_EQ(tr.events[8].octets, "221 2.0.0 Bye\r\n");
  EXPECT_EQ(tr.events[8].line, 58u);
}

TEST(TranscriptTshark, AsciiAndHexAgreeOnTheBareLfCapture) {
  const auto a = t::read(sample("postfix-barelf-data.tshark-follow-ascii.txt"));
  const auto h = t::read(sample("postfix-barelf-data.tshark-follow-hex.txt"));
  ASSERT_EQ(a.fmt, format::tshark_ascii);
  ASSERT_EQ(h.fmt, format::tshark_hex);
  EXPECT_TRUE(a.ok());
  EXPECT_TRUE(h.ok());
  ASSERT_EQ(a.events.size(), h.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].dir, h.events[i].dir) << i;
    EXPECT_EQ(a.events[i].octets, h.events[i].octets) << i;
    EXPECT_TRUE(h.events[i].exact);
  }
  bool smuggle = false;
  for (const auto& e : h.events) smuggle = smuggle || e.octets.find("line one\n.\nMAIL FROM:") != std::string::npos;
  EXPECT_TRUE(smuggle);
}

TEST(TranscriptTshark, HexSample) {
  const auto tr = t::read(sample("tshark-follow-tcp-hex-real.txt"));
  ASSERT_EQ(tr.fmt, format::tshark_hex);
  EXPECT_TRUE(tr.ok());
  EXPECT_EQ(tr.events[0].octets, "220 mx.pfx.test ESMTP Postfix\r\n");
  EXPECT_EQ(tr.events[0].line, 7u);
  EXPECT_EQ(tr.events[1].octets, "EHLO client.example.org\r\n");
  EXPECT_EQ(tr.events[1].dir, direction::client);
}

TEST(TranscriptTshark, TruncatedSegmentAndBadLength) {
  auto tr = read_as("Follow: tcp,ascii\n\t10\n220 a\r\n", format::tshark_ascii);
  ASSERT_EQ(tr.errors.size(), 1u);
  EXPECT_EQ(tr.errors[0].id, message_id::truncated_chunk);
  EXPECT_EQ(tr.errors[0].line, 2u);  // the length line
  tr = read_as("Follow: tcp,ascii\nx12\n", format::tshark_ascii);
  EXPECT_EQ(tr.errors.at(0).id, message_id::bad_chunk_length);
  tr = read_as("Follow: tcp,hex\n00000010  41 42\n", format::tshark_hex);
  EXPECT_EQ(tr.errors.at(0).id, message_id::hex_offset_mismatch);
}

TEST(TranscriptTshark, SegmentsLongerThanMaxLineAreSkippedNotKept) {
  t::options o;
  o.fmt = format::tshark_ascii;
  o.max_line = 20;
  const auto tr = t::read("Follow: tcp,ascii\n\t40\n" + std::string(38, 'x') + "\r\n\n6\nQUIT\r\n\n", o);
  ASSERT_EQ(tr.errors.size(), 1u);
  EXPECT_EQ(tr.errors[0].id, message_id::bad_chunk_length);
  EXPECT_EQ(tr.errors[0].line, 2u);
  ASSERT_EQ(tr.events.size(), 1u);
  EXPECT_EQ(tr.events[0].octets, "QUIT\r\n");
  EXPECT_EQ(tr.events[0].line, 6u);
}

TEST(TranscriptTshark, CiphertextAfterStarttlsIsSkipped) {
  std::string in = "Follow: tcp,ascii\n\t6\n220 x\n\n10\nSTARTTLS\r\n\n\t6\n220 y\n\n5\n";
  in += std::string("\x16\x03\x01\x00\x01", 5);
  in += "\n\t3\nabc\n";
  const auto tr = t::read(in);
  ASSERT_EQ(tr.fmt, format::tshark_ascii);
  EXPECT_TRUE(tr.ok());
  ASSERT_EQ(tr.events.size(), 4u);
  EXPECT_EQ(tr.events[3].dir, direction::tls_start);
  EXPECT_TRUE(has_note(tr, message_id::encrypted_skipped));
}

TEST(TranscriptTshark, GreetingFromNodeZeroSwapsDirections) {
  const auto tr = read_as("Follow: tcp,ascii\n6\n220 x\n\n\t6\nQUIT\r\n\n", format::tshark_ascii);
  ASSERT_EQ(tr.events.size(), 2u);
  EXPECT_EQ(tr.events[0].dir, direction::server);
  EXPECT_EQ(tr.events[1].dir, direction::client);
  EXPECT_TRUE(has_note(tr, message_id::directions_swapped));
}

// ---- aiosmtpd ------------------------------------------------------------------------------------

TEST(TranscriptAiosmtpd, DebugLog) {
  const auto tr = t::read(sample("aiosmtpd-debug-log-real.log"));
  ASSERT_EQ(tr.fmt, format::aiosmtpd);
  EXPECT_TRUE(tr.ok());
  EXPECT_EQ(of(tr, direction::connect).size(), 3u);  // three "Peer:" lines
  // The first connection only got the greeting.
  ASSERT_GE(tr.events.size(), 4u);
  EXPECT_EQ(tr.events[0].dir, direction::connect);
  EXPECT_EQ(tr.events[1].dir, direction::server);
  EXPECT_EQ(tr.events[1].octets, "220 aio.test Python SMTP 1.4.3\r\n");
  EXPECT_FALSE(tr.events[1].exact);
  EXPECT_EQ(tr.events[2].dir, direction::connect);
  // DEBUG readline: the exact line read, CRLF included; the INFO ">>" copy is a summary.
  EXPECT_EQ(tr.events[4].dir, direction::client);
  EXPECT_EQ(tr.events[4].octets, "EHLO client.example.org\r\n");
  EXPECT_TRUE(tr.events[4].exact);
  EXPECT_EQ(tr.events[4].line, 11u);
  EXPECT_TRUE(has_note(tr, message_id::summary_line));
  bool data = false;
  for (const auto& e : tr.events) data = data || e.octets == "This is a test mailing\r\n";
  EXPECT_TRUE(data);
}

TEST(TranscriptAiosmtpd, InfoLevelUsesTheArrows) {
  const auto tr = t::read(
      "2026-11-22 09:55:51,736 mail.log INFO Peer: ('127.0.0.1', 49230)\n"
      "2026-11-22 09:55:51,737 mail.log INFO ('127.0.0.1', 49230) >> b'EHLO a'\n"
      "2026-11-22 09:55:51,737 mail.log INFO ('127.0.0.1', 49230) >> b'bad\n");
  ASSERT_EQ(tr.fmt, format::aiosmtpd);
  ASSERT_EQ(tr.events.size(), 2u);
  EXPECT_EQ(tr.events[1].octets, "EHLO a\r\n");
  EXPECT_FALSE(tr.events[1].exact);
  ASSERT_EQ(tr.errors.size(), 1u);
  EXPECT_EQ(tr.errors[0].id, message_id::bad_repr);
  EXPECT_EQ(tr.errors[0].line, 3u);
}

// ---- nodemailer, smtp-server, Haraka ----------------------------------------------------------------

TEST(TranscriptNodemailer, ClientLogWithDataAndStarttls) {
  const auto tr = t::read(sample("nodemailer-logger-debug-starttls-real.txt"));
  ASSERT_EQ(tr.fmt, format::nodemailer);
  EXPECT_TRUE(tr.ok());
  EXPECT_EQ(tr.events[0].dir, direction::connect);
  EXPECT_EQ(tr.events[1].octets, "220 mx.pfx.test ESMTP Postfix\r\n");
  std::size_t tls = 0;
  while (tls < tr.events.size() && tr.events[tls].dir != direction::tls_start) ++tls;
  ASSERT_LT(tls + 1, tr.events.size());
  EXPECT_EQ(tr.events[tls].line, 20u);
  EXPECT_EQ(tr.events[tls - 1].octets, "220 2.0.0 Ready to start TLS\r\n");
  EXPECT_TRUE(tr.events[tls + 1].tls);
  // The unprefixed DATA lines after 354 are client lines, up to ".".
  bool hello = false, dot = false;
  for (const auto& e : tr.events) {
    hello = hello || (e.dir == direction::client && e.octets == "hello\r\n");
    dot = dot || (e.dir == direction::client && e.octets == ".\r\n");
  }
  EXPECT_TRUE(hello);
  EXPECT_TRUE(dot);
  EXPECT_EQ(t::read(sample("nodemailer-logger-debug-real.txt")).fmt, format::nodemailer);
}

TEST(TranscriptNodemailer, ServerLogGluesMultiLineReplies) {
  const auto tr = t::read(sample("nodemailer-smtp-server-logger-real.txt"));
  ASSERT_EQ(tr.fmt, format::nodemailer_server);
  EXPECT_TRUE(tr.ok());
  EXPECT_EQ(tr.capabilities()->data, t::data_kept::absent);
  // "S: 250-nodesrv.test …" and its continuation lines without "S:" are all server lines.
  ASSERT_GE(tr.events.size(), 11u);
  EXPECT_EQ(tr.events[3].octets, "250-nodesrv.test Nice to meet you, runsc\r\n");
  EXPECT_EQ(tr.events[4].dir, direction::server);
  EXPECT_EQ(tr.events[4].octets, "250-PIPELINING\r\n");
  EXPECT_EQ(tr.events[9].octets, "250 SIZE 1048576\r\n");
  EXPECT_TRUE(has_note(tr, message_id::placeholder_line));  // C: <263 bytes of DATA>
  EXPECT_EQ(of(tr, direction::connect).size(), 2u);
}

TEST(TranscriptHaraka, ProtocolLog) {
  const auto tr = t::read(sample("haraka-protocol-handwritten.log"));
  ASSERT_EQ(tr.fmt, format::haraka);
  EXPECT_TRUE(tr.ok());
  ASSERT_EQ(tr.events.size(), 16u);
  EXPECT_EQ(tr.events[1].octets, "EHLO client.example.org\r\n");  // " state=1 " dropped
  EXPECT_EQ(tr.events[1].dir, direction::client);
  const auto esc = t::read("[PROTOCOL] [U] [core] C: MAIL FROM:<a@b>\\nRCPT TO:<c@d> state=1 \n");
  ASSERT_EQ(esc.fmt, format::haraka);
  EXPECT_EQ(esc.events.at(0).octets, "MAIL FROM:<a@b>\nRCPT TO:<c@d>\r\n");
}

// ---- raw capture -------------------------------------------------------------------------------

TEST(TranscriptRaw, ReadsAndRoundTrips) {
  const std::string in = "#smtpspec-raw 1\nS 3232302078\n# note\nC 45484c4f20610d0a\nT\nO\nC 00ff\n";
  const auto tr = t::read(in);
  ASSERT_EQ(tr.fmt, format::raw);
  EXPECT_TRUE(tr.ok());
  ASSERT_EQ(tr.events.size(), 6u);
  EXPECT_EQ(tr.events[0].octets, "220 x");
  EXPECT_EQ(tr.events[1].dir, direction::note);
  EXPECT_EQ(tr.events[2].octets, "EHLO a\r\n");
  EXPECT_EQ(tr.events[3].dir, direction::tls_start);
  EXPECT_EQ(tr.events[4].dir, direction::connect);
  EXPECT_FALSE(tr.events[5].tls);  // a new connection starts outside TLS
  EXPECT_EQ(t::to_raw(tr.events), in);
  const auto bad = read_as("C 4\nC zz\nX\n", format::raw);
  ASSERT_EQ(bad.errors.size(), 3u);
  EXPECT_EQ(bad.errors[0].id, message_id::bad_hex);
  EXPECT_EQ(bad.errors[2].id, message_id::unrecognised_line);
  EXPECT_EQ(bad.errors[2].line, 3u);
}

TEST(TranscriptRaw, EveryFormatConvertsToRawAndBack) {
  for (const auto& entry : fs::directory_iterator(SMTPSPEC_TRANSCRIPT_SAMPLES)) {
    const auto tr = t::read(slurp(entry.path()));
    ASSERT_TRUE(tr.fmt) << entry.path();
    const auto back = t::read(t::to_raw(tr.events));
    ASSERT_EQ(back.fmt, format::raw);
    EXPECT_TRUE(back.ok());
    // The same octets in each direction, in the same order (a group's lines become one write).
    auto flow = [](const t::transcript& x) {
      std::string s;
      direction last = direction::note;
      for (const auto& e : x.events) {
        if (e.dir != direction::client && e.dir != direction::server) continue;
        if (e.dir != last) s += std::string("\n") + std::string(to_string(e.dir)) + ":";
        last = e.dir;
        s += e.octets;
      }
      return s;
    };
    EXPECT_EQ(flow(tr), flow(back)) << entry.path();
  }
}

// ---- detection and bad input -------------------------------------------------------------------

TEST(TranscriptDetect, Heuristics) {
  EXPECT_EQ(t::detect_format("=== Trying 1.2.3.4:25...\n").fmt, format::swaks);
  EXPECT_EQ(t::detect_format("\n=====\nFollow: tcp,hex\n").fmt, format::tshark_hex);
  EXPECT_EQ(t::detect_format("09:57:16.729792 send: 'x'\n").fmt, format::smtplib);
  EXPECT_EQ(t::detect_format("Nov 22 09:53:05 mx postfix/smtpd[9210]: < a[1.2.3.4]: EHLO x\n").fmt,
            format::postfix_debug);
  EXPECT_EQ(t::detect_format("smtp-sink: EHLO x\n").fmt, format::smtp_sink);
  EXPECT_EQ(t::detect_format("S: 220 x\nC: EHLO y\n").fmt, format::rfc);
  EXPECT_EQ(t::detect_format("#smtpspec-raw 1\n").fmt, format::raw);
  // Exim's ACL trace uses ">>> " as well: without "<<<" lines it is not RFC 3461 style.
  EXPECT_EQ(t::detect_format(">>> using ACL \"x\"\n>>> accept\n").fmt, std::nullopt);
  EXPECT_EQ(t::detect_format("hello world\n").fmt, std::nullopt);
  const auto d = t::detect_format("S: 220 x\nsomething else\nmore prose\nC: QUIT\n");
  EXPECT_EQ(d.fmt, format::rfc);
  EXPECT_EQ(d.confidence, 50u);
}

TEST(TranscriptBadInput, NothingDetectedIsAnErrorAtLineOne) {
  const auto tr = t::read("just some text\nand more\n");
  EXPECT_FALSE(tr.fmt);
  ASSERT_EQ(tr.errors.size(), 1u);
  EXPECT_EQ(tr.errors[0].id, message_id::format_not_detected);
  EXPECT_EQ(tr.errors[0].line, 1u);
  EXPECT_EQ(tr.lines, 2u);
  EXPECT_TRUE(tr.events.empty());
  const auto j = nlohmann::json::parse(t::to_json(tr));
  EXPECT_TRUE(j["format"].is_null());
  EXPECT_TRUE(j["capabilities"].is_null());
}

TEST(TranscriptBadInput, BomCrlfAndNoFinalNewline) {
  const auto tr = t::read("\xEF\xBB\xBFS: 220 x\r\nC: QUIT\r\nS: 221 bye");
  ASSERT_EQ(tr.fmt, format::rfc);
  ASSERT_EQ(tr.events.size(), 3u);
  EXPECT_EQ(tr.events[0].octets, "220 x\r\n");
  EXPECT_EQ(tr.events[0].offset, 3u);
  EXPECT_EQ(tr.events[1].octets, "QUIT\r\n");
  EXPECT_EQ(tr.events[2].octets, "221 bye\r\n");
  EXPECT_EQ(tr.events[2].line, 3u);
  EXPECT_TRUE(has_note(tr, message_id::bom_skipped));
  EXPECT_TRUE(has_note(tr, message_id::crlf_file));
  EXPECT_TRUE(has_note(tr, message_id::no_final_newline));
  EXPECT_EQ(tr.lines, 3u);
}

TEST(TranscriptBadInput, MixedFormatsNameTheLine) {
  const auto tr = t::read("=== Trying 1.2.3.4:25...\n<-  220 x\n -> EHLO y\nS: 250 pasted\n<-  250 y\n");
  ASSERT_EQ(tr.fmt, format::swaks);
  ASSERT_EQ(tr.errors.size(), 1u);
  EXPECT_EQ(tr.errors[0].id, message_id::foreign_line);
  EXPECT_EQ(tr.errors[0].line, 4u);
  EXPECT_EQ(tr.errors[0].excerpt, "S: 250 pasted");
  EXPECT_EQ(tr.events.size(), 3u);
}

TEST(TranscriptBadInput, BinaryJunkAndLongLines) {
  t::options o;
  o.fmt = format::rfc;
  o.max_line = 64;
  std::string in = "S: 220 x\n";
  in += std::string(1000, 'A') + "\n";
  in += std::string("\x01\x02\0\xff junk", 10) + "\n";
  in += "C: QUIT\n";
  const auto tr = t::read(in, o);
  ASSERT_EQ(tr.errors.size(), 2u);
  EXPECT_EQ(tr.errors[0].id, message_id::line_too_long);
  EXPECT_EQ(tr.errors[0].line, 2u);
  EXPECT_EQ(tr.errors[1].id, message_id::binary_input);
  EXPECT_EQ(tr.errors[1].line, 3u);
  ASSERT_EQ(tr.events.size(), 2u);
  EXPECT_EQ(tr.events[1].line, 4u);
}

TEST(TranscriptBadInput, MessagesAreCapped) {
  t::options o;
  o.fmt = format::raw;
  o.max_messages = 5;
  std::string in;
  for (int i = 0; i < 50; ++i) in += "junk\n";
  const auto tr = t::read(in, o);
  EXPECT_EQ(tr.errors.size(), 5u);
  EXPECT_EQ(tr.dropped_messages, 45u);
  EXPECT_EQ(tr.notes.back().id, message_id::messages_dropped);
}

TEST(TranscriptBadInput, EmptyInput) {
  const auto tr = t::read("");
  EXPECT_FALSE(tr.fmt);
  EXPECT_EQ(tr.lines, 0u);
  const auto raw = read_as("", format::raw);
  EXPECT_TRUE(raw.ok());
  EXPECT_TRUE(raw.events.empty());
}

// ---- JSON ----------------------------------------------------------------------------------------

TEST(TranscriptJson, Shape) {
  const auto tr = read_as("C: a\\xffb\\r\\n\nS: 250 \xc3\xa9\n", format::rfc);
  const auto s = t::to_json(tr);
  const auto j = nlohmann::json::parse(s);
  EXPECT_EQ(j["format"], "rfc");
  EXPECT_EQ(j["detected"], false);
  EXPECT_EQ(j["confidence"], 100);
  EXPECT_EQ(j["capabilities"]["octets"], "lines");
  EXPECT_EQ(j["capabilities"]["write_boundaries"], "convention");
  ASSERT_EQ(j["events"].size(), 2u);
  EXPECT_EQ(j["events"][0]["dir"], "client");
  EXPECT_EQ(j["events"][0]["hex"], "61ff620d0a");
  EXPECT_EQ(j["events"][0]["text"], "a\xef\xbf\xbd" "b\r\n");
  EXPECT_TRUE(j["events"][1]["hex"].is_null());
  EXPECT_EQ(j["events"][1]["text"], "250 \xc3\xa9\r\n");
  EXPECT_TRUE(s.starts_with("{\"format\":\"rfc\",\"detected\":false,\"confidence\":100,\"capabilities\":{"));
}

// ---- streaming -----------------------------------------------------------------------------------

TEST(TranscriptStream, ReaderMatchesReadForEverySample) {
  for (const auto& entry : fs::directory_iterator(SMTPSPEC_TRANSCRIPT_SAMPLES)) {
    const std::string text = slurp(entry.path());
    const auto whole = t::read(text);
    for (std::size_t step : {1u, 7u, 100u}) {
      t::options o;
      o.sniff_bytes = 1024;  // detection from the first 1 KiB, then streaming
      t::reader r(o);
      std::vector<t::event> ev;
      for (std::size_t i = 0; i < text.size(); i += step) {
        r.feed(std::string_view(text).substr(i, step));
        ev.insert(ev.end(), r.events().begin(), r.events().end());
        r.clear();
      }
      r.finish();
      ev.insert(ev.end(), r.events().begin(), r.events().end());
      ASSERT_EQ(ev.size(), whole.events.size()) << entry.path() << " step " << step;
      for (std::size_t i = 0; i < ev.size(); ++i) {
        EXPECT_EQ(t::to_json(ev[i]), t::to_json(whole.events[i])) << entry.path() << " step " << step;
      }
    }
  }
}
