// RapidCheck properties of the server session: any split of the client stream gives the same
// replies and events; random command sequences never reach DATA's 354 without an accepted MAIL and
// RCPT; no reply line exceeds 512 octets; nothing is sent after a 221 or 421.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "session_test_util.hpp"

using namespace smtpspec;
using namespace smtpspec_session_test;

namespace {

// Client lines, good and bad, covering every state the session has.
const std::vector<std::string> vocabulary = {
    "EHLO client.example\r\n", "HELO c\r\n", "LHLO c\r\n", "MAIL FROM:<a@example.org>\r\n", "MAIL FROM:<>\r\n",
    "MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME\r\n", "MAIL FROM:<a@example.org> BODY=BINARYMIME\r\n",
    "MAIL FROM:<a@example.org> SIZE=99999999\r\n", "RCPT TO:<b@example.net>\r\n",
    "RCPT TO:<c@example.net> NOTIFY=NEVER\r\n", "RCPT TO:<Postmaster>\r\n", "DATA\r\n", "RSET\r\n", "NOOP\r\n",
    "QUIT\r\n", "VRFY x\r\n", "HELP\r\n", "STARTTLS\r\n", "AUTH PLAIN AHUAcA==\r\n", "AUTH LOGIN\r\n", "dXNlcg==\r\n",
    "*\r\n", "BDAT 5\r\nabcde", "BDAT 0 LAST\r\n", "BDAT 3 LAST\r\nxyz", "hello\r\n.\r\n", "a\nb\r\n.\r\n",
    ".\r\n", "x\r.\r\n", "GARBAGE\r\n", "\r\n", "MAIL FROM:<bad\r\n", "XCLIENT ADDR=192.0.2.9\r\n",
    "XFORWARD NAME=x.example\r\n", "RCPT TO:<d@example.net>\nNOOP\r\n", std::string(600, 'Z') + "\r\n",
    std::string("\x00\xff\x80\r\n", 5),
};

rc::Gen<std::string> client_stream() {
  return rc::gen::map(rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, vocabulary.size())),
                      [](const std::vector<std::size_t>& picks) {
                        std::string s;
                        for (auto i : picks) s += vocabulary[i];
                        return s;
                      });
}

session_config random_config() {
  auto c = base_config();
  c.hooks = {hook::connect, hook::helo, hook::ehlo, hook::mail, hook::rcpt, hook::rcpt_ok, hook::data,
             hook::data_post, hook::queue, hook::auth, hook::starttls, hook::xclient, hook::disconnect, hook::deny};
  c.pipelining = *rc::gen::arbitrary<bool>();
  c.chunking = *rc::gen::arbitrary<bool>();
  c.starttls = *rc::gen::arbitrary<bool>();
  c.auth = *rc::gen::arbitrary<bool>();
  c.auth_requires_tls = *rc::gen::arbitrary<bool>();
  c.xclient = *rc::gen::arbitrary<bool>();
  c.xforward = *rc::gen::arbitrary<bool>();
  c.lmtp = *rc::gen::inRange(0, 8) == 0;
  c.relaying = *rc::gen::arbitrary<bool>();
  c.buffer_message = *rc::gen::arbitrary<bool>();
  c.enhancedstatuscodes = *rc::gen::arbitrary<bool>();
  c.bare_lf = static_cast<newline_policy>(*rc::gen::inRange(0, 3));
  c.bare_cr = static_cast<newline_policy>(*rc::gen::inRange(0, 3));
  c.limits.message_size = *rc::gen::inRange<std::uint64_t>(1, 64);
  c.limits.recipients = *rc::gen::inRange<std::size_t>(1, 4);
  c.limits.errors_hard = *rc::gen::inRange<std::size_t>(3, 40);
  c.limits.command_line_hard = *rc::gen::inRange<std::size_t>(64, 1024);
  return c;
}

answers random_answers() {
  const auto verdicts = *rc::gen::container<std::vector<int>>(8, rc::gen::inRange(0, 6));
  answers a;
  std::size_t i = 0;
  for (hook h : {hook::mail, hook::rcpt, hook::data, hook::data_post, hook::queue, hook::auth, hook::xclient}) {
    (void)i;
    std::vector<hook_response> list;
    for (int v : verdicts) {
      // DISCONNECT rarely, so most streams get somewhere.
      const int w = v == 5 && *rc::gen::inRange(0, 4) != 0 ? 1 : v;
      list.push_back(verdict_of(static_cast<verdict>(w)));
    }
    a[h] = list;
  }
  a[hook::connect] = {verdict_of(verdict::cont)};
  return a;
}

std::vector<step> split_steps(const std::string& in, const std::vector<std::size_t>& cuts) {
  std::vector<std::size_t> c;
  for (auto x : cuts) c.push_back(in.empty() ? 0 : x % (in.size() + 1));
  std::sort(c.begin(), c.end());
  std::vector<step> steps;
  std::size_t prev = 0;
  for (auto x : c) {
    if (x > prev) steps.push_back(feed(in.substr(prev, x - prev)));
    prev = std::max(prev, x);
  }
  if (prev < in.size()) steps.push_back(feed(in.substr(prev)));
  return steps;
}

}  // namespace

RC_GTEST_PROP(SessionProperty, AnySplitGivesTheSameRepliesAndEvents, ()) {
  const auto cfg = random_config();
  const auto a = random_answers();
  const auto in = *client_stream();
  const auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::arbitrary<std::size_t>());
  script whole{cfg, {}, a, {feed(in), eof()}};
  auto steps = split_steps(in, cuts);
  steps.push_back(eof());
  script parts{cfg, {}, a, steps};
  const auto t1 = smtpspec_session_driver::play(whole);
  const auto t2 = smtpspec_session_driver::play(parts);
  RC_ASSERT(t1.output == t2.output);
  // Compared as text: RapidCheck cannot print nlohmann::json values.
  RC_ASSERT(smtpspec_session_driver::normalised(t1).dump() == smtpspec_session_driver::normalised(t2).dump());
  RC_ASSERT(t1.state == t2.state);
}

RC_GTEST_PROP(SessionProperty, ReplyLinesBoundedAndNothingAfterClosing, ()) {
  const auto cfg = random_config();
  const auto a = random_answers();
  const auto in = *client_stream();
  const auto t = smtpspec_session_driver::play(script{cfg, {}, a, {feed(in), feed(in), eof()}});
  RC_ASSERT(smtpspec_session_driver::output_invariant(t.output) == std::string());
  // The eof step always closes; the close event comes once, last.
  RC_ASSERT(!t.events.empty());
  RC_ASSERT(t.events.back().kind == event_kind::close);
  std::size_t closes = 0;
  for (const auto& e : t.events) closes += e.kind == event_kind::close ? 1 : 0;
  RC_ASSERT(closes == 1u);
}

RC_GTEST_PROP(SessionProperty, Never354WithoutMailAndAcceptedRcpt, ()) {
  const auto cfg = random_config();
  const auto a = random_answers();
  const auto picks = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, vocabulary.size()));
  server_session s(cfg, {});
  std::map<hook, std::size_t> used;
  std::function<void(session_events)> handle = [&](session_events evs) {
    for (const auto& e : evs) {
      if (e.kind != event_kind::hook || !e.needs_answer) continue;
      hook_response r;
      auto it = a.find(e.hook);
      if (it != a.end()) r = it->second[std::min(used[e.hook]++, it->second.size() - 1)];
      handle(s.answer(e.handle, r));
    }
  };
  handle(s.start());
  (void)s.take_output();
  for (auto i : picks) {
    handle(s.feed(vocabulary[i]));
    const auto out = s.take_output();
    if (out.find("354 ") != std::string::npos) {
      RC_ASSERT(s.transaction() != nullptr);
      RC_ASSERT(!s.transaction()->recipients.empty());
    }
    if (s.state() == session_state::data) {
      RC_ASSERT(s.transaction() != nullptr);
      RC_ASSERT(!s.transaction()->recipients.empty());
    }
  }
}

// With a hook left pending the output is a prefix of the synchronous one, and answering later
// gives exactly the synchronous output.
RC_GTEST_PROP(SessionProperty, LateAnswersGiveTheSameOutput, ()) {
  auto cfg = random_config();
  cfg.limits.input_buffer = 1 << 20;
  cfg.limits.pipelined_commands = 1 << 20;
  const auto a = random_answers();
  const auto in = *client_stream();
  const auto sync = smtpspec_session_driver::play(script{cfg, {}, a, {feed(in)}});
  server_session s(cfg, {});
  std::map<hook, std::size_t> used;
  std::vector<std::pair<hook, std::uint64_t>> queue;
  auto collect = [&](const session_events& evs) {
    for (const auto& e : evs)
      if (e.kind == event_kind::hook && e.needs_answer) queue.emplace_back(e.hook, e.handle);
  };
  collect(s.start());
  std::string out;
  // Feed everything first (one octet at a time), answering nothing; then answer in order.
  for (char c : in) collect(s.feed(std::string_view(&c, 1)));
  out += s.take_output();
  RC_ASSERT(sync.output.compare(0, out.size(), out) == 0);
  while (!queue.empty()) {
    const auto [h, id] = queue.front();
    queue.erase(queue.begin());
    hook_response r;
    auto it = a.find(h);
    if (it != a.end()) r = it->second[std::min(used[h]++, it->second.size() - 1)];
    collect(s.answer(id, r));
  }
  out += s.take_output();
  RC_ASSERT(out == sync.output);
}
