// Every hook that needs an answer, with every verdict: the reply class, and whether the session
// closes (Haraka's semantics: DENY 5xx, DENYSOFT 4xx, DENYDISCONNECT 5xx and close, DISCONNECT 421
// and close; CONT the session's default, OK acceptance).
#include <gtest/gtest.h>

#include "session_test_util.hpp"

using namespace smtpspec;
using namespace smtpspec_session_test;

namespace {

struct scenario {
  hook h;
  std::string input;     // reaches the hook; the hook's reply is the last line of the output
  int cont_class;        // first digit of the reply for CONT
  int ok_class;          // … for OK
  bool cont_ok_close = false;  // quit: closes for every verdict
};

session_config config_for(hook h) {
  auto c = base_config();
  c.hooks = {h};
  if (h != hook::rcpt) c.hooks.push_back(hook::rcpt);
  c.starttls = true;
  c.auth = true;
  c.auth_requires_tls = false;
  c.xclient = true;
  c.xforward = true;
  return c;
}

const std::string tx = "EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n";

const scenario scenarios[] = {
    {hook::connect, "", 2, 2},
    {hook::helo, "HELO c\r\n", 2, 2},
    {hook::ehlo, "EHLO c\r\n", 2, 2},
    {hook::capabilities, "EHLO c\r\n", 2, 2},
    {hook::mail, "EHLO c\r\nMAIL FROM:<a@b.example>\r\n", 2, 2},
    {hook::rcpt, "EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n", 4, 2},
    {hook::data, tx + "DATA\r\n", 3, 3},
    {hook::data_post, tx + "DATA\r\nx\r\n.\r\n", 4, 4},  // CONT/OK go on to queue (no OK: 451)
    {hook::queue, tx + "DATA\r\nx\r\n.\r\n", 4, 2},
    {hook::rset, "RSET\r\n", 2, 2},
    {hook::quit, "QUIT\r\n", 2, 2, true},
    {hook::vrfy, "VRFY x\r\n", 2, 2},
    {hook::noop, "NOOP\r\n", 2, 2},
    {hook::help, "HELP\r\n", 2, 2},
    {hook::unrecognized_command, "FOO\r\n", 5, 2},
    {hook::auth, "EHLO c\r\nAUTH PLAIN AHUAcA==\r\n", 5, 2},
    {hook::starttls, "EHLO c\r\nSTARTTLS\r\n", 2, 2},
    {hook::xclient, "EHLO c\r\nXCLIENT ADDR=192.0.2.7\r\n", 5, 2},
    {hook::xforward, "EHLO c\r\nXFORWARD ADDR=192.0.2.7\r\n", 2, 2},
};

}  // namespace

TEST(SessionVerdicts, EveryHookEveryVerdict) {
  for (const auto& sc : scenarios) {
    for (verdict v : {verdict::cont, verdict::ok, verdict::deny, verdict::denysoft, verdict::denydisconnect,
                      verdict::disconnect}) {
      const auto cfg = config_for(sc.h);
      answers a{{sc.h, {verdict_of(v)}}};
      if (sc.h != hook::rcpt) a[hook::rcpt] = {ok()};
      const auto t = run(cfg, a, sc.input);
      const std::string where = std::string(to_string(sc.h)) + " " + std::string(to_string(v));
      bool asked = false;
      for (const auto& e : t.events)
        if (e.kind == event_kind::hook && e.hook == sc.h && e.needs_answer) asked = true;
      EXPECT_TRUE(asked) << where;
      const auto lines = lines_of(t.output);
      ASSERT_FALSE(lines.empty()) << where;
      const std::string& last = lines.back();
      const int cls = last[0] - '0';
      const bool closed = t.state == session_state::closed;
      switch (v) {
        case verdict::cont:
          EXPECT_EQ(cls, sc.cont_class) << where << ": " << last;
          EXPECT_EQ(closed, sc.cont_ok_close) << where;
          break;
        case verdict::ok:
          EXPECT_EQ(cls, sc.ok_class) << where << ": " << last;
          EXPECT_EQ(closed, sc.cont_ok_close) << where;
          break;
        case verdict::deny:
          if (sc.h == hook::quit) break;
          EXPECT_EQ(cls, 5) << where << ": " << last;
          EXPECT_FALSE(closed && sc.h != hook::connect) << where;
          break;
        case verdict::denysoft:
          if (sc.h == hook::quit) break;
          EXPECT_EQ(cls, 4) << where << ": " << last;
          break;
        case verdict::denydisconnect:
          if (sc.h == hook::quit) break;
          EXPECT_EQ(cls, 5) << where << ": " << last;
          EXPECT_TRUE(closed) << where;
          break;
        case verdict::disconnect:
          EXPECT_TRUE(closed) << where;
          if (sc.h != hook::quit) {
            EXPECT_EQ(last.substr(0, 4), "421 ") << where;
          }
          break;
      }
    }
  }
}

TEST(SessionVerdicts, DenyHookReportsVerdictAndReply) {
  auto cfg = base_config();
  cfg.hooks = {hook::mail, hook::deny};
  const auto t = run(cfg, {{hook::mail, {denysoft()}}}, "HELO c\r\nMAIL FROM:<a@b.example>\r\n");
  const session_event* d = nullptr;
  for (const auto& e : t.events)
    if (e.kind == event_kind::hook && e.hook == hook::deny) d = &e;
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->argument, "mail");
  EXPECT_EQ(d->verdict, verdict::denysoft);
  EXPECT_EQ(d->reply, "450 4.7.1 Sender temporarily rejected\r\n");
  EXPECT_FALSE(d->needs_answer);
}

TEST(SessionVerdicts, UnsubscribedHooksAreAnsweredContAtOnce) {
  auto cfg = base_config();
  cfg.hooks = {};
  const auto t = run(cfg, {}, "EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nNOOP\r\n");
  EXPECT_TRUE(hooks_of(t).empty());
  const auto lines = lines_of(t.output);
  EXPECT_EQ(lines[lines.size() - 2], "450 4.7.1 I cannot deliver mail for <c@d.example>");
  EXPECT_EQ(lines.back(), "250 2.0.0 OK");
}
