// data_reader: RFC 5321 §4.1.1.4 end of data, §4.5.2 transparency, the bare CR / LF policies,
// diagnostics and their offsets, bounds, and (RapidCheck) split invariance and agreement with
// simple line-based models of each policy.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smtpspec/session.hpp"

using smtpspec::data_reader;
using smtpspec::data_reader_options;
using smtpspec::newline_policy;
using id = smtpspec::session_diagnostic_id;

namespace {

struct outcome {
  std::string out;
  std::size_t consumed = 0;
  bool done = false;
  std::vector<std::pair<id, std::size_t>> diags;
  std::optional<id> reject;
  std::uint64_t in = 0, out_count = 0;
  bool operator==(const outcome&) const = default;
};

data_reader_options policy(newline_policy lf, newline_policy cr, std::size_t max_line = 1000) {
  data_reader_options o;
  o.bare_lf = lf;
  o.bare_cr = cr;
  o.max_line = max_line;
  return o;
}
data_reader_options policy(newline_policy p) { return policy(p, p); }

// Feeds `in` in pieces of the given sizes (the rest in one piece), stopping at done.
outcome feed(const data_reader_options& o, std::string_view in, const std::vector<std::size_t>& cuts = {}) {
  data_reader r(o);
  outcome res;
  std::size_t at = 0;
  auto piece = [&](std::size_t n) {
    if (res.done) return;
    const auto s = r.feed(in.substr(at, n), res.out);
    EXPECT_LE(s.consumed, std::min(n, in.size() - at));
    if (!s.done) {
      EXPECT_EQ(s.consumed, std::min(n, in.size() - at));
    }
    res.consumed += s.consumed;
    res.done = s.done;
    at += s.consumed;
  };
  for (const auto n : cuts) piece(n);
  piece(in.size());
  res.diags = r.diagnostics();
  res.reject = r.reject_reason();
  res.in = r.octets_in();
  res.out_count = r.octets_out();
  return res;
}

std::vector<id> ids(const outcome& o) {
  std::vector<id> v;
  for (const auto& d : o.diags) v.push_back(d.first);
  return v;
}

// ---- transparency and the end of data -------------------------------------------------------------

TEST(DataReader, EmptyMessageIsDotOnTheFirstLine) {
  // The DATA command's CRLF is the first CRLF of CRLF "." CRLF (RFC 5321 §4.1.1.4).
  const auto r = feed({}, ".\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, 3u);
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(r.diags.empty());
}

TEST(DataReader, MessageKeepsItsFinalCrlf) {
  const auto r = feed({}, "Subject: x\r\n\r\nbody\r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.out, "Subject: x\r\n\r\nbody\r\n");
  EXPECT_EQ(r.consumed, 23u);
  EXPECT_EQ(r.in, 23u);
  EXPECT_EQ(r.out_count, r.out.size());
}

TEST(DataReader, DotUnstuffing) {
  // §4.5.2: a line beginning with "." loses that first dot, also on the first line.
  EXPECT_EQ(feed({}, ".a\r\n..\r\n...b\r\n.\r\n").out, "a\r\n.\r\n..b\r\n");
  EXPECT_EQ(feed({}, "..\r\n.\r\n").out, ".\r\n");
  // A dot inside a line is content.
  EXPECT_EQ(feed({}, "a.b\r\n a .\r\n.\r\n").out, "a.b\r\n a .\r\n");
}

TEST(DataReader, StopsAtTheEndOfDataLine) {
  const std::string in = "x\r\n.\r\nQUIT\r\n";
  data_reader r;
  std::string out;
  const auto s = r.feed(in, out);
  EXPECT_TRUE(s.done);
  EXPECT_EQ(s.consumed, 6u);  // the pipelined QUIT is the session's
  EXPECT_EQ(out, "x\r\n");
  const auto again = r.feed("more", out);
  EXPECT_TRUE(again.done);
  EXPECT_EQ(again.consumed, 0u);
  EXPECT_EQ(out, "x\r\n");
}

TEST(DataReader, NotDoneWithoutTheEndOfDataLine) {
  for (const std::string in : {"", "abc", "abc\r\n", "abc\r\n.", "abc\r\n.\r", "abc\r", ".", ".\r"}) {
    const auto r = feed({}, in);
    EXPECT_FALSE(r.done) << in;
    EXPECT_EQ(r.consumed, in.size());
  }
  // What is held back (a trailing CR, a line-initial dot) is written once the next octet shows it.
  data_reader r;
  std::string out;
  (void)r.feed("abc\r", out);
  EXPECT_EQ(out, "abc");
  (void)r.feed("\n.", out);
  EXPECT_EQ(out, "abc\r\n");
  (void)r.feed("x\r\n", out);
  EXPECT_EQ(out, "abc\r\nx\r\n");
}

TEST(DataReader, DotCrLfMustStartALine) {
  // "x.\r\n" is a line ending in a dot; only "." alone on a CRLF-framed line ends the data.
  const auto r = feed({}, "x.\r\n.x\r\n.\r\n");
  EXPECT_EQ(r.out, "x.\r\nx\r\n");
  EXPECT_TRUE(r.done);
}

TEST(DataReader, ResetStartsANewMessage) {
  data_reader r(policy(newline_policy::reject));
  std::string out;
  (void)r.feed("a\nb\r\n.\r\n", out);
  ASSERT_TRUE(r.reject_reason());
  r.reset();
  out.clear();
  const auto s = r.feed(".\r\n", out);
  EXPECT_TRUE(s.done);
  EXPECT_FALSE(r.reject_reason());
  EXPECT_TRUE(r.diagnostics().empty());
  EXPECT_EQ(r.octets_in(), 3u);
}

// ---- policies -----------------------------------------------------------------------------------

TEST(DataReader, BareLfReject) {
  const auto r = feed(policy(newline_policy::reject), "ab\ncd\r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, 10u);
  EXPECT_EQ(r.reject, id::bare_lf_in_data);
  EXPECT_EQ(r.out, "ab");  // nothing after the bare LF
  EXPECT_EQ(r.out_count, 2u);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0], std::make_pair(id::bare_lf_in_data, std::size_t{2}));
}

TEST(DataReader, RejectKeepsReadingToTheRealEnd) {
  // After the rejection only CRLF "." CRLF ends the data: "\n.\n" does not.
  const auto r = feed(policy(newline_policy::reject), "a\n.\nMAIL FROM:<x@y>\r\n.\r\nQUIT\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, 24u);
  EXPECT_EQ(r.reject, id::bare_lf_in_data);
  EXPECT_EQ(ids(r), (std::vector<id>{id::bare_lf_in_data, id::smuggled_end_of_data, id::bare_lf_in_data}));
}

TEST(DataReader, BareCrReject) {
  const auto r = feed(policy(newline_policy::reject), "ab\rcd\r\n.\r\n");
  EXPECT_EQ(r.reject, id::bare_cr_in_data);
  EXPECT_EQ(r.diags[0], std::make_pair(id::bare_cr_in_data, std::size_t{2}));
  EXPECT_TRUE(r.done);
}

TEST(DataReader, RejectReasonIsTheFirst) {
  const auto r = feed(policy(newline_policy::reject), "a\rb\nc\r\n.\r\n");
  EXPECT_EQ(r.reject, id::bare_cr_in_data);
  EXPECT_EQ(ids(r), (std::vector<id>{id::bare_cr_in_data, id::bare_lf_in_data}));
}

TEST(DataReader, Normalize) {
  const auto r = feed(policy(newline_policy::normalize), "a\nb\rc\r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_FALSE(r.reject);
  EXPECT_EQ(r.out, "a\r\nb\r\nc\r\n");
  EXPECT_EQ(ids(r), (std::vector<id>{id::bare_lf_in_data, id::bare_cr_in_data}));
  // A line begun by a bare LF is unstuffed like any other.
  EXPECT_EQ(feed(policy(newline_policy::normalize), "a\n..b\r\n.\r\n").out, "a\r\n.b\r\n");
}

TEST(DataReader, NormalizeDotLineNeedsCrlfOnBothSides) {
  // A "." line begun or ended by a bare LF is an empty line, not the end of data.
  const auto o = policy(newline_policy::normalize);
  EXPECT_EQ(feed(o, "a\n.\r\nb\r\n.\r\n").out, "a\r\n\r\nb\r\n");
  EXPECT_EQ(feed(o, "a\r\n.\nb\r\n.\r\n").out, "a\r\n\r\nb\r\n");
  EXPECT_EQ(feed(o, "a\r\n.\rb\r\n.\r\n").out, "a\r\n\r\nb\r\n");
}

TEST(DataReader, Accept) {
  // go-smtp: the octet is content; "." LF after CRLF loses its dot (still a line-initial dot).
  const auto o = policy(newline_policy::accept);
  EXPECT_EQ(feed(o, "a\nb\rc\r\n.\r\n").out, "a\nb\rc\r\n");
  EXPECT_EQ(feed(o, "x\r\n.\ny\r\n.\r\n").out, "x\r\n\ny\r\n");
  EXPECT_EQ(feed(o, "x\n.\r\ny\r\n.\r\n").out, "x\n.\r\ny\r\n");
  EXPECT_FALSE(feed(o, "a\nb\r\n.\r\n").reject);
}

TEST(DataReader, MixedPolicies) {
  const auto r = feed(policy(newline_policy::normalize, newline_policy::accept), "a\nb\rc\r\n.\r\n");
  EXPECT_EQ(r.out, "a\r\nb\rc\r\n");
  const auto r2 = feed(policy(newline_policy::accept, newline_policy::reject), "a\nb\rc\r\n.\r\n");
  EXPECT_EQ(r2.reject, id::bare_cr_in_data);
  EXPECT_EQ(r2.out, "a\nb");
}

TEST(DataReader, CrAtTheEndOfAnInput) {
  for (const auto p : {newline_policy::reject, newline_policy::normalize, newline_policy::accept}) {
    const std::string in = "ab\rcd\r\n.\r\n";
    const auto whole = feed(policy(p), in);
    for (std::size_t cut = 0; cut <= in.size(); ++cut) EXPECT_EQ(feed(policy(p), in, {cut}), whole) << cut;
  }
}

// ---- diagnostics ----------------------------------------------------------------------------------

TEST(DataReader, NulIsContentWithAWarning) {
  const auto r = feed({}, std::string("a\0b\r\n.\r\n", 8));
  EXPECT_EQ(r.out, std::string("a\0b\r\n", 5));
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0], std::make_pair(id::nul_in_data, std::size_t{1}));
  EXPECT_FALSE(r.reject);
}

TEST(DataReader, LongLineOncePerLine) {
  // 998 octets + CRLF = 1000 is the limit (§4.5.3.1.6); the 999th octet is the first past it.
  EXPECT_TRUE(feed({}, std::string(998, 'a') + "\r\n.\r\n").diags.empty());
  const auto r = feed({}, std::string(999, 'a') + "\r\n" + std::string(3000, 'b') + "\r\nok\r\n.\r\n");
  ASSERT_EQ(r.diags.size(), 2u);
  EXPECT_EQ(r.diags[0], std::make_pair(id::data_line_too_long, std::size_t{998}));
  EXPECT_EQ(r.diags[1], std::make_pair(id::data_line_too_long, std::size_t{1001 + 998}));
  EXPECT_EQ(r.out.size(), 999u + 2 + 3000 + 2 + 4);  // long lines are kept
}

TEST(DataReader, LongLineCountsUnstuffedOctets) {
  // The transparency dot is not part of the line (§4.5.3.1.6).
  EXPECT_TRUE(feed({}, "." + std::string(998, '.') + "\r\n.\r\n").diags.empty());
  const auto r = feed(policy(newline_policy::reject, newline_policy::reject, 10), "..12345678\r\n.\r\n");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].second, 9u);  // ".." then 8 content octets: the 9th is past 10 - 2
}

TEST(DataReader, DiagnosticsAreBounded) {
  std::string in;
  for (int k = 0; k < 5000; ++k) in += std::string("x\0\n", 3);
  in += "\r\n.\r\n";
  for (const auto p : {newline_policy::reject, newline_policy::normalize, newline_policy::accept}) {
    const auto r = feed(policy(p), in);
    EXPECT_TRUE(r.done);
    EXPECT_EQ(r.diags.size(), 100u);
    EXPECT_EQ(r.diags.front(), std::make_pair(id::nul_in_data, std::size_t{1}));
  }
}

TEST(DataReader, DiagnosticsInOffsetOrder) {
  const auto r = feed(policy(newline_policy::accept), std::string("a\r\n.\0\r\n\0.\n.\r\n", 13));
  std::size_t last = 0;
  for (const auto& d : r.diags) {
    EXPECT_GE(d.second, last);
    last = d.second;
  }
  // "." NUL CRLF, NUL "." LF and LF "." CRLF: each a "." line to a server that ignores NUL and
  // takes CR or LF for a line end.
  EXPECT_EQ(ids(r), (std::vector<id>{id::smuggled_end_of_data, id::nul_in_data, id::nul_in_data,
                                     id::smuggled_end_of_data, id::bare_lf_in_data, id::smuggled_end_of_data}));
  EXPECT_FALSE(r.done);
}

TEST(DataReader, JsonShape) {
  data_reader r(policy(newline_policy::reject));
  std::string out;
  const auto s = r.feed("a\nb\r\n.\r\nQUIT", out);
  const auto j = nlohmann::json::parse(smtpspec::to_json(r, s, out));
  EXPECT_EQ(j["consumed"], 8);
  EXPECT_EQ(j["done"], true);
  EXPECT_EQ(j["message"], "a");
  EXPECT_EQ(j["octets_in"], 8);
  EXPECT_EQ(j["octets_out"], 1);
  EXPECT_EQ(j["reject"], "bare_lf_in_data");
  ASSERT_EQ(j["diagnostics"].size(), 1u);
  EXPECT_EQ(j["diagnostics"][0]["id"], "bare_lf_in_data");
  EXPECT_EQ(j["diagnostics"][0]["offset"], 1);
  EXPECT_EQ(j["diagnostics"][0]["severity"], "error");
  EXPECT_EQ(j["diagnostics"][0]["rfc"], "RFC 5321 §2.3.8");
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  // nlohmann sorts keys; the order on the wire is checked by the conformance vectors.
  EXPECT_EQ(keys.size(), 7u);
  data_reader fresh;
  std::string none;
  const auto t = fresh.feed("", none);
  EXPECT_EQ(smtpspec::to_json(fresh, t, none),
            "{\"consumed\":0,\"done\":false,\"message\":\"\",\"octets_in\":0,\"octets_out\":0,\"diagnostics\":[],"
            "\"reject\":null}");
}

// ---- properties ---------------------------------------------------------------------------------

rc::Gen<std::string> data_text() {
  return rc::gen::container<std::string>(rc::gen::weightedElement<char>(
      {{6, 'a'}, {3, '.'}, {3, '\r'}, {3, '\n'}, {1, '\0'}, {1, ' '}}));
}
rc::Gen<newline_policy> any_policy() {
  return rc::gen::element(newline_policy::reject, newline_policy::normalize, newline_policy::accept);
}

// The accept policy as lines: the data ends at the first CRLF "." CRLF (the DATA command's CRLF
// first); the message is the CRLF-ended lines before it, each line-initial dot removed.
struct model_result {
  bool done = false;
  std::size_t consumed = 0;
  std::string out;
};
model_result accept_model(const std::string& in) {
  model_result m;
  const std::string p = "\r\n" + in;
  const std::size_t f = p.find("\r\n.\r\n");
  if (f == std::string::npos) return m;
  m.done = true;
  m.consumed = f + 3;
  const std::string raw = in.substr(0, f);
  for (std::size_t at = 0; at < raw.size();) {
    const std::size_t e = raw.find("\r\n", at);
    std::string line = raw.substr(at, e - at);
    if (!line.empty() && line[0] == '.') line.erase(0, 1);
    m.out += line + "\r\n";
    at = e + 2;
  }
  return m;
}

// The normalize policy as lines: CRLF, bare LF and bare CR each end a line; only a "." line with
// a CRLF before (or the start) and after ends the data; every line loses a leading dot.
model_result normalize_model(const std::string& in) {
  model_result m;
  bool framed_before = true;
  std::size_t at = 0;
  while (at < in.size()) {
    std::size_t e = at;
    while (e < in.size() && in[e] != '\r' && in[e] != '\n') ++e;
    if (e == in.size()) break;
    const bool crlf = in[e] == '\r' && e + 1 < in.size() && in[e + 1] == '\n';
    if (in[e] == '\r' && e + 1 == in.size()) break;  // undecided
    std::string line = in.substr(at, e - at);
    const std::size_t next = e + (crlf ? 2 : 1);
    if (framed_before && crlf && line == ".") {
      m.done = true;
      m.consumed = next;
      return m;
    }
    if (!line.empty() && line[0] == '.') line.erase(0, 1);
    m.out += line + "\r\n";
    framed_before = crlf;
    at = next;
  }
  return m;
}

RC_GTEST_PROP(DataReaderProperty, AnySplitGivesTheSameResult, ()) {
  const auto text = *data_text();
  const std::string in = text + (*rc::gen::arbitrary<bool>() ? "\r\n.\r\n" : "");
  const auto o = policy(*any_policy(), *any_policy(), *rc::gen::inRange<std::size_t>(0, 12));
  const auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, 6));
  const auto whole = feed(o, in);
  RC_ASSERT(feed(o, in, cuts) == whole);
  std::vector<std::size_t> ones(in.size(), 1);
  RC_ASSERT(feed(o, in, ones) == whole);
}

RC_GTEST_PROP(DataReaderProperty, AcceptMatchesTheLineModel, ()) {
  const std::string in = *data_text() + "\r\n.\r\n" + *data_text();
  const auto r = feed(policy(newline_policy::accept), in);
  const auto m = accept_model(in);
  RC_ASSERT(r.done == m.done);
  RC_ASSERT(r.consumed == m.consumed);
  RC_ASSERT(r.out == m.out);
  RC_ASSERT(!r.reject);
}

RC_GTEST_PROP(DataReaderProperty, RejectEndsWhereAcceptEnds, ()) {
  const std::string in = *data_text() + "\r\n.\r\n" + *data_text();
  const auto r = feed(policy(newline_policy::reject), in);
  const auto m = accept_model(in);
  RC_ASSERT(r.done && r.consumed == m.consumed);
  const std::string eaten = in.substr(0, m.consumed);
  bool bare = false;
  for (std::size_t k = 0; k < eaten.size(); ++k) {
    if (eaten[k] == '\n' && (k == 0 || eaten[k - 1] != '\r')) bare = true;
    if (eaten[k] == '\r' && (k + 1 == eaten.size() || eaten[k + 1] != '\n')) bare = true;
  }
  RC_ASSERT(r.reject.has_value() == bare);
  if (!bare) RC_ASSERT(r.out == m.out);
}

RC_GTEST_PROP(DataReaderProperty, NormalizeMatchesTheLineModel, ()) {
  const std::string in = *data_text() + "\r\n.\r\n" + *data_text();
  const auto r = feed(policy(newline_policy::normalize), in);
  const auto m = normalize_model(in);
  RC_ASSERT(r.done == m.done);
  RC_ASSERT(r.consumed == m.consumed);
  RC_ASSERT(r.out == m.out);
  // The output has only CRLF line ends.
  for (std::size_t k = 0; k < r.out.size(); ++k) {
    if (r.out[k] == '\n') RC_ASSERT(k > 0 && r.out[k - 1] == '\r');
    if (r.out[k] == '\r') RC_ASSERT(k + 1 < r.out.size() && r.out[k + 1] == '\n');
  }
}

RC_GTEST_PROP(DataReaderProperty, DiagnosticsStayInsideAndOrdered, ()) {
  const std::string in = *data_text() + "\r\n.\r\n";
  const auto r = feed(policy(*any_policy(), *any_policy(), 8), in);
  std::size_t last = 0;
  RC_ASSERT(r.diags.size() <= 100u);
  for (const auto& d : r.diags) {
    RC_ASSERT(d.second < r.consumed);
    RC_ASSERT(d.second >= last);
    last = d.second;
  }
}

}  // namespace
