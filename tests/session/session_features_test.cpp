// The server session: asynchronous hooks, limits, bad input and the remaining extensions' details.
#include <gtest/gtest.h>

#include <algorithm>

#include "session_test_util.hpp"
#include "smtpspec/dsn.hpp"

using namespace smtpspec;
using namespace smtpspec_session_test;

namespace {

const session_event* find_hook(const session_events& evs, hook h) {
  for (const auto& e : evs)
    if (e.kind == event_kind::hook && e.hook == h) return &e;
  return nullptr;
}

}  // namespace

// ---- asynchronous hooks ----

TEST(SessionAsync, PendingHookHoldsInputAndAnswerResumes) {
  auto cfg = base_config();
  server_session s(cfg, {});
  (void)s.start();
  (void)s.take_output();
  auto evs = s.feed("EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nNOOP\r\n");
  const auto* rc = find_hook(evs, hook::rcpt);
  ASSERT_NE(rc, nullptr);
  EXPECT_TRUE(rc->needs_answer);
  const std::string before = s.take_output();
  EXPECT_EQ(before.find("250 2.0.0 OK"), std::string::npos) << "NOOP must wait for the pending rcpt hook";
  EXPECT_TRUE(s.wants_input());
  // More input while pending is held, not executed.
  (void)s.feed("NOOP\r\n");
  EXPECT_EQ(s.take_output(), "");
  // Unknown and stale handles are ignored.
  EXPECT_TRUE(s.answer(rc->handle + 100, ok()).empty());
  (void)s.answer(rc->handle, ok());
  EXPECT_EQ(s.take_output(), "250 2.1.5 Recipient <c@d.example> OK\r\n250 2.0.0 OK\r\n250 2.0.0 OK\r\n");
  EXPECT_TRUE(s.answer(rc->handle, deny()).empty()) << "an answered handle is ignored";
  EXPECT_EQ(s.take_output(), "");
}

TEST(SessionAsync, InputBufferLimitWhilePending) {
  auto cfg = base_config();
  cfg.limits.input_buffer = 64;
  server_session s(cfg, {});
  (void)s.start();
  auto evs = s.feed("HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\n");
  ASSERT_NE(find_hook(evs, hook::rcpt), nullptr);
  (void)s.take_output();
  evs = s.feed(std::string(40, 'N'));
  EXPECT_FALSE(s.closed());
  evs = s.feed(std::string(40, 'N'));
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(s.take_output(), "421 4.7.0 mx.example Error: too much pipelined input\r\n");
  EXPECT_TRUE(has_event(transcript{"", evs, s.state()}, event_kind::close));
}

TEST(SessionAsync, WantsInputFalseAtTheBound) {
  auto cfg = base_config();
  cfg.limits.input_buffer = 16;
  server_session s(cfg, {});
  (void)s.start();
  (void)s.feed("HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\n" + std::string(16, 'x'));
  EXPECT_FALSE(s.wants_input());
  EXPECT_FALSE(s.closed());
}

TEST(SessionAsync, PipelinedCommandsLimitWhilePending) {
  auto cfg = base_config();
  cfg.limits.pipelined_commands = 3;
  server_session s(cfg, {});
  (void)s.start();
  (void)s.feed("EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\n");
  (void)s.take_output();
  (void)s.feed("NOOP\r\nNOOP\r\nNOOP\r\n");
  EXPECT_FALSE(s.closed());
  (void)s.feed("NOOP\r\n");
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(s.take_output(), "421 4.7.0 mx.example Error: too much pipelined input\r\n");
}

TEST(SessionAsync, InformationalHooksNeverHold) {
  EXPECT_FALSE(hook_needs_answer(hook::rcpt_ok));
  EXPECT_FALSE(hook_needs_answer(hook::disconnect));
  EXPECT_FALSE(hook_needs_answer(hook::deny));
  EXPECT_TRUE(hook_needs_answer(hook::rcpt));
  auto cfg = base_config();
  cfg.hooks = {hook::rcpt_ok, hook::deny};
  cfg.relaying = true;
  server_session s(cfg, {});
  (void)s.start();
  auto evs = s.feed("HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\nNOOP\r\n");
  const auto* e = find_hook(evs, hook::rcpt_ok);
  ASSERT_NE(e, nullptr);
  EXPECT_FALSE(e->needs_answer);
  EXPECT_EQ(e->handle, 0u);
  EXPECT_NE(s.take_output().find("250 2.0.0 OK\r\n"), std::string::npos);
}

TEST(SessionAsync, EarlyTalkerWhileConnectPending) {
  auto cfg = base_config();
  cfg.hooks = {hook::connect};
  server_session s(cfg, {});
  auto evs = s.start();
  const auto* c = find_hook(evs, hook::connect);
  ASSERT_NE(c, nullptr);
  const auto handle = c->handle;
  evs = s.feed("EHLO c\r\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].diagnostic, session_diagnostic_id::early_talker);
  EXPECT_EQ(s.take_output(), "") << "no greeting before the connect hook answers";
  (void)s.answer(handle, ok());
  const auto out = s.take_output();
  EXPECT_EQ(out.substr(0, 31), "220 mx.example ESMTP smtpspec\r\n");
  EXPECT_NE(out.find("250-mx.example Hello"), std::string::npos);
}

TEST(SessionAsync, EofCancelsPendingQueueAndAbortsMessage) {
  auto cfg = base_config();
  server_session s(cfg, {});
  (void)s.start();
  auto evs = s.feed("HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\n");
  (void)s.answer(find_hook(evs, hook::rcpt)->handle, ok());
  evs = s.feed("DATA\r\nhello\r\n.\r\n");
  const auto* q = find_hook(evs, hook::queue);
  ASSERT_NE(q, nullptr);
  const auto handle = q->handle;
  evs = s.eof();
  EXPECT_TRUE(has_event(transcript{"", evs, s.state()}, event_kind::message_aborted))
      << "a client vanishing before the queue answered: nothing is queued";
  EXPECT_TRUE(s.answer(handle, ok()).empty());
  (void)s.take_output();
  EXPECT_EQ(s.take_output(), "");
}

// ---- bad input and resources ----

TEST(SessionBadInput, TenMegabyteCommandLineIsBounded) {
  auto cfg = base_config();
  server_session s(cfg, {});
  (void)s.start();
  (void)s.take_output();
  const std::string chunk(65536, 'A');
  std::size_t replies = 0;
  for (int i = 0; i < 160; ++i) {
    (void)s.feed(chunk);
    ASSERT_TRUE(s.wants_input());
    const auto out = s.take_output();
    replies += static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
  }
  EXPECT_EQ(replies, 1u) << "one 500 for the whole over-long line";
  (void)s.feed("\r\nNOOP\r\n");
  EXPECT_EQ(s.take_output(), "250 2.0.0 OK\r\n");
  EXPECT_FALSE(s.closed());
}

TEST(SessionBadInput, HundredThousandRecipients) {
  auto cfg = base_config();
  cfg.hooks = {hook::queue};
  cfg.relaying = true;
  cfg.limits.errors_hard = 1000000;
  server_session s(cfg, {});
  (void)s.start();
  (void)s.feed("EHLO c\r\nMAIL FROM:<>\r\n");
  (void)s.take_output();
  std::string batch;
  std::size_t accepted = 0, refused = 0;
  for (int i = 0; i < 100000; ++i) {
    batch += "RCPT TO:<r" + std::to_string(i) + "@example.net>\r\n";
    if (batch.size() > 60000 || i == 99999) {
      (void)s.feed(batch);
      batch.clear();
      for (const auto& l : lines_of(s.take_output())) {
        if (l.starts_with("250 2.1.5")) ++accepted;
        else if (l == "452 4.5.3 Error: too many recipients") ++refused;
        else ADD_FAILURE() << l;
      }
    }
  }
  EXPECT_EQ(accepted, 1000u);
  EXPECT_EQ(refused, 99000u);
  ASSERT_NE(s.transaction(), nullptr);
  EXPECT_EQ(s.transaction()->recipients.size(), 1000u) << "refused recipients are not kept";
}

TEST(SessionBadInput, TenThousandPipelinedNoops) {
  auto cfg = base_config();
  server_session s(cfg, {});
  (void)s.start();
  (void)s.feed("EHLO c\r\n");
  (void)s.take_output();
  std::string in;
  for (int i = 0; i < 10000; ++i) in += "NOOP\r\n";
  (void)s.feed(in);
  const auto lines = lines_of(s.take_output());
  EXPECT_EQ(lines.size(), 10000u);
  EXPECT_TRUE(std::all_of(lines.begin(), lines.end(), [](const std::string& l) { return l == "250 2.0.0 OK"; }));
}

TEST(SessionBadInput, BinaryGarbageEndsIn421) {
  auto cfg = base_config();
  server_session s(cfg, {});
  (void)s.start();
  std::string garbage;
  unsigned x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 1103515245u + 12345u;
    garbage.push_back(static_cast<char>(x >> 16));
  }
  (void)s.feed(garbage);
  const auto out = s.take_output();
  EXPECT_TRUE(s.closed());
  EXPECT_NE(out.find("421 4.7.0"), std::string::npos) << out.substr(0, 300);
  for (const auto& l : lines_of(out)) EXPECT_LE(l.size() + 2, 512u);
}

TEST(SessionBadInput, NothingAfterClose) {
  auto cfg = base_config();
  server_session s(cfg, {});
  (void)s.start();
  (void)s.feed("QUIT\r\n");
  (void)s.take_output();
  EXPECT_TRUE(s.feed("NOOP\r\n").empty());
  EXPECT_TRUE(s.eof().empty());
  EXPECT_TRUE(s.timeout().empty());
  EXPECT_EQ(s.take_output(), "");
  EXPECT_FALSE(s.wants_input());
}

TEST(SessionBadInput, EchoIsTruncated) {
  auto cfg = base_config();
  cfg.relaying = true;
  cfg.hooks = {};
  server_session s(cfg, {});
  (void)s.start();
  const std::string local(64, 'l');
  std::string domain;
  for (int i = 0; i < 2; ++i) domain += std::string(60, 'd') + ".";
  domain += "example";
  (void)s.feed("HELO c\r\nMAIL FROM:<" + local + "@" + domain + ">\r\n");
  const auto lines = lines_of(s.take_output());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_LT(lines[2].size(), 140u) << lines[2];
  EXPECT_NE(lines[2].find("..."), std::string::npos);
}

// ---- timeouts ----

TEST(SessionTimeouts, SecondsByState) {
  auto cfg = base_config();
  cfg.limits.command_timeout = 300;
  cfg.limits.data_timeout = 180;
  cfg.relaying = true;
  cfg.hooks = {};
  server_session s(cfg, {});
  (void)s.start();
  EXPECT_EQ(s.timeout_seconds(), 300u);
  (void)s.feed("HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@b.example>\r\nDATA\r\n");
  EXPECT_EQ(s.state(), session_state::data);
  EXPECT_EQ(s.timeout_seconds(), 180u);
  (void)s.take_output();
  auto evs = s.timeout();
  EXPECT_EQ(s.take_output(), "421 4.4.2 mx.example Error: timeout exceeded\r\n");
  EXPECT_TRUE(has_event(transcript{"", evs, s.state()}, event_kind::message_aborted));
  EXPECT_TRUE(s.closed());
}

// ---- host replies ----

TEST(SessionReplies, FromDsn) {
  auto d = dsn::make("no_such_user");
  ASSERT_TRUE(d.has_value());
  const auto r = hook_response::from_dsn(verdict::deny, *d);
  EXPECT_EQ(r.verdict, verdict::deny);
  ASSERT_TRUE(r.code.has_value());
  EXPECT_EQ(*r.code, 550);
  ASSERT_TRUE(r.status.has_value());
  EXPECT_EQ(r.status->to_string(), "5.1.1");
  ASSERT_EQ(r.message.size(), 1u);
  EXPECT_EQ(r.message[0].find("5.1.1"), std::string::npos) << "the DSN's code prefix is not repeated";
  auto cfg = base_config();
  const auto t = run(cfg, {{hook::rcpt, {r}}}, "HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\n");
  EXPECT_EQ(lines_of(t.output).back(), "550 5.1.1 " + r.message[0]);
}

TEST(SessionReplies, HostTextCannotInjectLines) {
  auto cfg = base_config();
  hook_response r = deny();
  r.message = {"bad\r\n250 fake"};
  const auto t = run(cfg, {{hook::rcpt, {r}}}, "HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\n");
  const auto lines = lines_of(t.output);
  EXPECT_EQ(lines.back(), "550 5.7.1 bad  250 fake");
}

TEST(SessionReplies, Host421Closes) {
  auto cfg = base_config();
  hook_response r = denysoft();
  r.code = 421;
  const auto t = run(cfg, {{hook::rcpt, {r}}}, "HELO c\r\nMAIL FROM:<>\r\nRCPT TO:<x@y.example>\r\nNOOP\r\n");
  EXPECT_EQ(lines_of(t.output).back(), "421 4.7.1 Recipient temporarily rejected");
  EXPECT_EQ(t.state, session_state::closed);
}

// ---- extensions ----

TEST(SessionExtensions, EachAdvertisedOnlyWhenEnabled) {
  struct flag {
    bool session_config::*member;
    const char* keyword;
  };
  const flag flags[] = {
      {&session_config::pipelining, "PIPELINING"}, {&session_config::size, "SIZE"},
      {&session_config::eightbitmime, "8BITMIME"}, {&session_config::smtputf8, "SMTPUTF8"},
      {&session_config::dsn, "DSN"},               {&session_config::chunking, "CHUNKING"},
      {&session_config::binarymime, "BINARYMIME"}, {&session_config::starttls, "STARTTLS"},
      {&session_config::auth, "AUTH"},             {&session_config::enhancedstatuscodes, "ENHANCEDSTATUSCODES"},
      {&session_config::xclient, "XCLIENT"},       {&session_config::xforward, "XFORWARD"},
  };
  for (const auto& f : flags) {
    for (bool on : {false, true}) {
      auto cfg = base_config();
      cfg.auth_requires_tls = false;
      cfg.*f.member = on;
      const auto t = run(cfg, {}, "EHLO c\r\n");
      bool seen = false;
      for (const auto& l : lines_of(t.output))
        if (l.size() > 4 && l.substr(4).starts_with(f.keyword)) seen = true;
      EXPECT_EQ(seen, on && (std::string(f.keyword) != "BINARYMIME" || cfg.chunking)) << f.keyword << " " << on;
    }
  }
}

TEST(SessionExtensions, RequiretlsOnlyInsideTls) {
  auto cfg = base_config();
  cfg.requiretls = true;
  cfg.starttls = true;
  const auto t = run(cfg, {}, {feed("EHLO c\r\n"), feed("STARTTLS\r\n"), tls(), feed("EHLO c\r\n")});
  const auto out = t.output;
  const auto first = out.find("REQUIRETLS");
  ASSERT_NE(first, std::string::npos);
  EXPECT_GT(first, out.find("220 2.0.0 Ready to start TLS"));
}

TEST(SessionExtensions, TransactionCarriesParameters) {
  auto cfg = base_config();
  cfg.hooks = {hook::rcpt};
  server_session s(cfg, {});
  (void)s.start();
  auto evs = s.feed(
      "EHLO c\r\nMAIL FROM:<a@b.example> SIZE=100 BODY=8BITMIME RET=HDRS ENVID=x1 SMTPUTF8\r\n"
      "RCPT TO:<c@d.example> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;c@d.example\r\n");
  (void)s.answer(find_hook(evs, hook::rcpt)->handle, ok());
  const auto* t = s.transaction();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->mail_from, "a@b.example");
  EXPECT_EQ(t->declared_size, 100u);
  EXPECT_EQ(t->body, "8BITMIME");
  EXPECT_EQ(t->ret, "HDRS");
  EXPECT_EQ(t->envid, "x1");
  EXPECT_TRUE(t->smtputf8);
  EXPECT_EQ(t->id, 1u);
  ASSERT_EQ(t->recipients.size(), 1u);
  EXPECT_EQ(t->recipients[0].notify, "SUCCESS,DELAY");
  EXPECT_EQ(t->recipients[0].orcpt, "rfc822;c@d.example");
  EXPECT_EQ(t->params.size(), 5u);
}

TEST(SessionExtensions, StarttlsResetsEverything) {
  auto cfg = base_config();
  cfg.starttls = true;
  cfg.auth = true;
  cfg.auth_requires_tls = false;
  cfg.hooks = {hook::auth};
  server_session s(cfg, {});
  (void)s.start();
  auto evs = s.feed("EHLO c\r\nAUTH PLAIN AHUAcA==\r\n");
  (void)s.answer(find_hook(evs, hook::auth)->handle, ok());
  EXPECT_EQ(s.connection().authenticated_user, "u");
  (void)s.feed("STARTTLS\r\n");
  EXPECT_EQ(s.state(), session_state::tls_pending);
  (void)s.tls_established("CIPHER");
  EXPECT_TRUE(s.connection().tls);
  EXPECT_EQ(s.connection().tls_cipher, "CIPHER");
  EXPECT_FALSE(s.connection().authenticated_user.has_value());
  EXPECT_EQ(s.connection().helo, "");
  EXPECT_FALSE(s.connection().esmtp);
}

TEST(SessionExtensions, XclientChangesTheConnection) {
  auto cfg = base_config();
  cfg.xclient = true;
  cfg.hooks = {hook::xclient};
  const auto t = run(cfg, {{hook::xclient, {ok()}}},
                     "EHLO c\r\nXCLIENT ADDR=198.51.100.7 PORT=4321 NAME=m.example LOGIN=bob\r\nMAIL FROM:<>\r\n");
  const auto lines = lines_of(t.output);
  EXPECT_EQ(lines[lines.size() - 2], "220 mx.example ESMTP smtpspec");
  EXPECT_EQ(lines.back(), "503 5.5.1 Error: send HELO/EHLO first") << "XCLIENT starts a new session";
  server_session s(cfg, {});
  (void)s.start();
  auto evs = s.feed("EHLO c\r\nXCLIENT ADDR=198.51.100.7 PORT=4321 NAME=m.example LOGIN=bob\r\n");
  (void)s.answer(find_hook(evs, hook::xclient)->handle, ok());
  EXPECT_EQ(s.connection().remote_address, "198.51.100.7");
  EXPECT_EQ(s.connection().remote_port, 4321);
  EXPECT_EQ(s.connection().remote_name, "m.example");
  EXPECT_EQ(s.connection().authenticated_user, "bob");
  EXPECT_EQ(s.connection().xclient.at("ADDR"), "198.51.100.7");
}

TEST(SessionExtensions, ProxyHeaderFillsConnection) {
  auto cfg = base_config();
  cfg.proxy = proxy_protocol::v1;
  server_session s(cfg, {});
  EXPECT_TRUE(s.start().empty());
  EXPECT_EQ(s.state(), session_state::proxy_header);
  (void)s.feed("PROXY TCP4 198.51.100.1 203.0.113.2 51000 25\r\n");
  EXPECT_EQ(s.connection().remote_address, "198.51.100.1");
  EXPECT_EQ(s.connection().remote_port, 51000);
  EXPECT_EQ(s.connection().local_port, 25);
  ASSERT_TRUE(s.connection().proxy.has_value());
  EXPECT_EQ(s.connection().proxy->family, "TCP4");
  EXPECT_EQ(s.take_output(), "220 mx.example ESMTP smtpspec\r\n");
}

TEST(SessionExtensions, BadProxyHeaderClosesWithoutGreeting) {
  auto cfg = base_config();
  cfg.proxy = proxy_protocol::any;
  server_session s(cfg, {});
  (void)s.start();
  (void)s.feed("PROXY NONSENSE\r\n");
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(s.take_output(), "");
}

TEST(SessionExtensions, LmtpPerRecipientReplies) {
  auto cfg = base_config();
  cfg.lmtp = true;
  hook_response q = ok();
  q.per_recipient = {ok(), deny()};
  const auto t = run(cfg, {{hook::rcpt, {ok()}}, {hook::queue, {q}}},
                     "LHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@x.example>\r\nRCPT TO:<b@x.example>\r\n"
                     "RCPT TO:<c@x.example>\r\nDATA\r\nhi\r\n.\r\n");
  const auto lines = lines_of(t.output);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[lines.size() - 3], "250 2.0.0 <a@x.example> Message queued");
  EXPECT_EQ(lines[lines.size() - 2], "550 5.7.1 <b@x.example> Message rejected");
  EXPECT_EQ(lines[lines.size() - 1], "250 2.0.0 <c@x.example> Message queued") << "the main answer for the rest";
}

TEST(SessionExtensions, AuthPlainWithAuthzid) {
  auto cfg = base_config();
  cfg.auth = true;
  cfg.auth_requires_tls = false;
  cfg.hooks = {hook::auth};
  server_session s(cfg, {});
  (void)s.start();
  // "admin\0bob\0secret"
  auto evs = s.feed("EHLO c\r\nAUTH PLAIN YWRtaW4AYm9iAHNlY3JldA==\r\n");
  const auto* a = find_hook(evs, hook::auth);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->argument, "PLAIN");
  EXPECT_EQ(a->authzid, "admin");
  EXPECT_EQ(a->username, "bob");
  EXPECT_EQ(a->password, "secret");
  hook_response r = ok();
  r.user = "robert";
  (void)s.answer(a->handle, r);
  EXPECT_EQ(s.connection().authenticated_user, "robert");
}

TEST(SessionExtensions, BdatAnyChunkSizes) {
  auto cfg = base_config();
  cfg.hooks = {hook::rcpt, hook::queue, hook::data_post};
  cfg.buffer_message = true;
  std::string msg;
  for (int i = 0; i < 300; ++i) msg.push_back(static_cast<char>(i));
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{299}, std::size_t{300}}) {
    std::string in = "EHLO c\r\nMAIL FROM:<> BODY=BINARYMIME\r\nRCPT TO:<a@b.example>\r\n";
    for (std::size_t i = 0; i < msg.size(); i += chunk) {
      const auto n = std::min(chunk, msg.size() - i);
      in += "BDAT " + std::to_string(n) + (i + n == msg.size() ? " LAST" : "") + "\r\n" + msg.substr(i, n);
    }
    if (chunk == 300) in += "MAIL FROM:<>\r\nRCPT TO:<a@b.example>\r\nBDAT 0 LAST\r\n";
    const auto t = run(cfg, {{hook::rcpt, {ok()}}, {hook::queue, {ok()}}}, in);
    const session_event* post = nullptr;
    for (const auto& e : t.events)
      if (e.kind == event_kind::hook && e.hook == hook::data_post && !post) post = &e;
    ASSERT_NE(post, nullptr) << chunk;
    EXPECT_EQ(post->data, msg) << chunk;
    EXPECT_NE(lines_of(t.output).back().find("Message queued"), std::string::npos) << chunk;
  }
}

// ---- JSON and names ----

TEST(SessionNames, RoundTrips) {
  for (hook h : all_hooks()) EXPECT_EQ(hook_from_string(to_string(h)), h);
  EXPECT_EQ(all_hooks().size(), hook_count);
  EXPECT_FALSE(hook_from_string("nope").has_value());
  EXPECT_EQ(verdict_from_string("denysoft"), verdict::denysoft);
  EXPECT_EQ(verdict_from_string("OK"), verdict::ok);
  EXPECT_FALSE(verdict_from_string("maybe").has_value());
  EXPECT_EQ(to_string(verdict::denydisconnect), "DENYDISCONNECT");
  EXPECT_EQ(to_string(session_state::tls_pending), "tls_pending");
  EXPECT_EQ(to_string(event_kind::message_aborted), "message_aborted");
  const auto cat = session_diagnostic_catalogue();
  for (std::size_t i = 0; i < cat.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(cat[i].id), i);
    EXPECT_EQ(to_string(cat[i].id), cat[i].name);
    EXPECT_FALSE(cat[i].rfc.empty());
  }
}

TEST(SessionJson, EventsAndCatalogue) {
  session_event e;
  e.kind = event_kind::hook;
  e.hook = hook::rcpt;
  e.handle = 7;
  e.needs_answer = true;
  e.argument = "a@b";
  e.params = {{"NOTIFY", std::string("NEVER")}, {"X", std::nullopt}};
  EXPECT_EQ(to_json(e),
            R"({"kind":"hook","hook":"rcpt","handle":7,"needs_answer":true,"argument":"a@b",)"
            R"("params":[{"keyword":"NOTIFY","value":"NEVER"},{"keyword":"X","value":null}]})");
  session_event d;
  d.kind = event_kind::message_data;
  d.data = std::string("a\0\xff", 3);
  EXPECT_EQ(to_json(d), "{\"kind\":\"message_data\",\"data\":\"a\\u0000\xef\xbf\xbd\"}");
  session_event a;
  a.kind = event_kind::message_aborted;
  a.diagnostic = session_diagnostic_id::message_too_big;
  a.offset = 9;
  EXPECT_EQ(to_json(session_events{a}),
            R"([{"kind":"message_aborted","diagnostic":"message_too_big","offset":9}])");
  const auto cat = session_diagnostic_catalogue_json();
  EXPECT_EQ(cat.rfind("{\"diagnostics\":[{\"id\":\"bare_lf_in_command\"", 0), 0u);
  EXPECT_NE(cat.find("{\"name\":\"rcpt_ok\",\"needs_answer\":false}"), std::string::npos);
}

// RFC 4648 §4 as RFC 4954 §4 uses it: padding required, nothing outside the alphabet.
TEST(SessionAuth, Base64Responses) {
  auto cfg = base_config();
  cfg.auth = true;
  cfg.auth_requires_tls = false;
  cfg.hooks = {hook::auth};
  struct c {
    const char* line;
    bool valid;
    std::string decoded;
  };
  const c cases[] = {
      {"dXNlcg==", true, "user"}, {"dXNlcjE=", true, "user1"}, {"dXNlcjEy", true, "user12"}, {"", true, ""},
      {"dXNlcg", false, ""},      {"dXNlcg=", false, ""},      {"dX=lcg==", false, ""},    {"dXNl cg==", false, ""},
      {"dXNlcg===", false, ""},   {"ZA==ZA==", false, ""},     {"/+/+", true, "\xff\xef\xfe"},
  };
  for (const auto& x : cases) {
    server_session s(cfg, {});
    (void)s.start();
    (void)s.feed("EHLO c\r\nAUTH LOGIN\r\n");
    (void)s.take_output();
    auto evs = s.feed(std::string(x.line) + "\r\n");
    const auto out = s.take_output();
    if (x.valid) {
      EXPECT_EQ(out, "334 UGFzc3dvcmQ6\r\n") << x.line;
      evs = s.feed("cA==\r\n");
      bool seen = false;
      for (const auto& e : evs)
        if (e.kind == event_kind::hook && e.hook == hook::auth) {
          seen = true;
          EXPECT_EQ(e.username, x.decoded) << x.line;
          EXPECT_EQ(e.password, "p");
        }
      EXPECT_TRUE(seen) << x.line;
    } else {
      EXPECT_EQ(out, "501 5.5.2 Error: invalid base64\r\n") << x.line;
      EXPECT_EQ(s.state(), session_state::command);
    }
  }
}

TEST(SessionAuth, EmptyInitialResponseIsEquals) {
  auto cfg = base_config();
  cfg.auth = true;
  cfg.auth_requires_tls = false;
  cfg.auth_mechanisms = {"X-ANON"};
  cfg.hooks = {hook::auth};
  server_session s(cfg, {});
  (void)s.start();
  auto evs = s.feed("EHLO c\r\nAUTH X-ANON =\r\n");
  const session_event* a = nullptr;
  for (const auto& e : evs)
    if (e.kind == event_kind::hook && e.hook == hook::auth) a = &e;
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->has_sasl_response);
  EXPECT_EQ(a->sasl_response, "");
  evs = s.feed("");
  server_session s2(cfg, {});
  (void)s2.start();
  evs = s2.feed("EHLO c\r\nAUTH X-ANON\r\n");
  a = nullptr;
  for (const auto& e : evs)
    if (e.kind == event_kind::hook && e.hook == hook::auth) a = &e;
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->has_sasl_response);
}
