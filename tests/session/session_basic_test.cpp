// The server session's main path: greeting, EHLO, MAIL, RCPT, DATA, QUIT, hooks and verdicts.
#include <gtest/gtest.h>

#include "session_test_util.hpp"

using namespace smtpspec;
using namespace smtpspec_session_test;

TEST(SessionBasic, GreetingEhloMailRcptDataQuit) {
  auto cfg = base_config();
  const auto t = run(cfg, {{hook::rcpt, {ok()}}, {hook::queue, {ok()}}},
                     "EHLO client.example\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n"
                     "Subject: x\r\n\r\n..dot\r\n.\r\nQUIT\r\n");
  EXPECT_EQ(t.output,
            "220 mx.example ESMTP smtpspec\r\n"
            "250-mx.example Hello\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n"
            "250-DSN\r\n250-CHUNKING\r\n250-BINARYMIME\r\n250 ENHANCEDSTATUSCODES\r\n"
            "250 2.1.0 Sender <a@b.example> OK\r\n"
            "250 2.1.5 Recipient <c@d.example> OK\r\n"
            "354 End data with <CR><LF>.<CR><LF>\r\n"
            "250 2.0.0 Message queued\r\n"
            "221 2.0.0 mx.example closing connection\r\n");
  EXPECT_EQ(message_of(t), "Subject: x\r\n\r\n.dot\r\n");
  EXPECT_EQ(t.state, session_state::closed);
  EXPECT_EQ(hooks_of(t), (std::vector<std::string>{"rcpt", "queue", "disconnect"}));
}

TEST(SessionBasic, HarakaDefaultsRefuseRecipientsAndQueue) {
  auto cfg = base_config();
  auto t = run(cfg, {}, "HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\nQUIT\r\n");
  EXPECT_NE(t.output.find("450 4.7.1 I cannot deliver mail for <x@y.example>\r\n"), std::string::npos) << t.output;
  cfg.relaying = true;
  t = run(cfg, {}, "HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\nDATA\r\nhi\r\n.\r\n");
  EXPECT_NE(t.output.find("451 4.3.0 Queuing declined or disabled, try later\r\n"), std::string::npos) << t.output;
}
