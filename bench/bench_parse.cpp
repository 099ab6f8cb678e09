// Google Benchmark for the parse entry points over the shared workloads in bench/data/ (the same
// files every peer harness in bench/peers/ reads). One benchmark iteration parses one item, cycling
// through the file, so "Time" is ns per item and items_per_second is items per second.
#include <benchmark/benchmark.h>

#include "workloads.hpp"

namespace {

using namespace smtpspec_bench;

// Reports how many items the parser accepted, so a reader can see that the work was real (and
// compare with the peers' counts).
template <class Parse>
void count(benchmark::State& state, const std::vector<std::string>& items, Parse parse) {
  double ok = 0;
  for (const auto& s : items) ok += parse(s).ok() ? 1 : 0;
  state.counters["accepted"] = ok;
  state.counters["total"] = static_cast<double>(items.size());
}

template <class Parse>
void run(benchmark::State& state, const std::vector<std::string>& items, Parse parse) {
  if (items.empty()) {
    state.SkipWithError("empty workload");
    return;
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = parse(items[i]);
    benchmark::DoNotOptimize(r);
    if (++i == items.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  count(state, items, parse);
}

void BM_parse_command(benchmark::State& state) {
  run(state, commands(), [](const std::string& s) { return smtpspec::parse_command(s); });
}
void BM_parse_mailbox(benchmark::State& state) {
  run(state, mailboxes(), [](const std::string& s) { return smtpspec::parse_mailbox(s); });
}
void BM_parse_mailbox_invalid(benchmark::State& state) {
  run(state, mailboxes_invalid(), [](const std::string& s) { return smtpspec::parse_mailbox(s); });
}
void BM_parse_path(benchmark::State& state) {
  run(state, paths(), [](const std::string& s) { return smtpspec::parse_path(s); });
}
void BM_parse_domain(benchmark::State& state) {
  run(state, domains(), [](const std::string& s) { return smtpspec::parse_domain(s); });
}

// The canonical JSON of already-parsed commands (what the CLI and the bindings' to_json do).
void BM_to_json(benchmark::State& state) {
  std::vector<smtpspec::result<smtpspec::command>> parsed;
  for (const auto& s : commands()) parsed.push_back(smtpspec::parse_command(s));
  std::size_t i = 0;
  for (auto _ : state) {
    auto json = smtpspec::to_json(parsed[i]);
    benchmark::DoNotOptimize(json);
    if (++i == parsed.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// Issue 3: SMTPUTF8 mailboxes (RFC 6531) with U-label domains, each validated (IDNA2008 through
// ICU's UTS #46) and the A-label form computed, as the canonical JSON needs it.
const std::vector<std::string>& utf8_mailboxes() {
  static const std::vector<std::string> v = {
      "用户@例子.广告", "δοκιμή@παράδειγμα.δοκιμή", "иван@пример.рф", "josé@bücher.de", "测试@例子.公司",
      "user@xn--bcher-kva.de", "θεός@ελλάδα.gr", "ユーザー@例え.jp", "info@faß.de", "أحمد@مثال.إختبار",
  };
  return v;
}
void BM_parse_mailbox_utf8(benchmark::State& state) {
  smtpspec::parse_options o;
  o.smtputf8 = true;
  run(state, utf8_mailboxes(), [&o](const std::string& s) { return smtpspec::parse_mailbox(s, o); });
}
void BM_mailbox_utf8_ascii_form(benchmark::State& state) {
  smtpspec::parse_options o;
  o.smtputf8 = true;
  run(state, utf8_mailboxes(), [&o](const std::string& s) {
    auto r = smtpspec::parse_mailbox(s, o);
    if (r.ok()) benchmark::DoNotOptimize(r->domain.ascii());
    return r;
  });
}
// The ASCII workload with SMTPUTF8 on: what the option costs when nothing needs it.
void BM_parse_mailbox_smtputf8_on(benchmark::State& state) {
  smtpspec::parse_options o;
  o.smtputf8 = true;
  run(state, mailboxes(), [&o](const std::string& s) { return smtpspec::parse_mailbox(s, o); });
}

// Issue 3: MAIL and RCPT with typed ESMTP parameters (SIZE, BODY, RET, ENVID; NOTIFY, ORCPT with
// xtext), whole lines and the parameter strings alone; and the plain MAIL line, whose cost the
// typing must not raise.
const std::vector<std::string>& param_commands() {
  static const std::vector<std::string> v = {
      "MAIL FROM:<a@b> SIZE=12345 BODY=8BITMIME RET=HDRS ENVID=QQ314159",
      "RCPT TO:<x@y> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+40y",
  };
  return v;
}
void BM_parse_command_params(benchmark::State& state) {
  run(state, param_commands(), [](const std::string& s) { return smtpspec::parse_command(s); });
}
void BM_parse_esmtp_params(benchmark::State& state) {
  static const std::vector<std::string> v = {"SIZE=12345 BODY=8BITMIME RET=HDRS ENVID=QQ314159",
                                             "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+40y"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = smtpspec::parse_esmtp_params(i == 0 ? smtpspec::verb::mail : smtpspec::verb::rcpt, v[i]);
    benchmark::DoNotOptimize(r);
    i ^= 1;
  }
  state.SetItemsProcessed(state.iterations());
}
void BM_parse_command_plain_mail(benchmark::State& state) {
  static const std::vector<std::string> v = {"MAIL FROM:<a@b>"};
  run(state, v, [](const std::string& s) { return smtpspec::parse_command(s); });
}
BENCHMARK(BM_parse_command);
BENCHMARK(BM_parse_command_params);
BENCHMARK(BM_parse_esmtp_params);
BENCHMARK(BM_parse_command_plain_mail);
BENCHMARK(BM_parse_mailbox);
BENCHMARK(BM_parse_mailbox_utf8);
BENCHMARK(BM_mailbox_utf8_ascii_form);
BENCHMARK(BM_parse_mailbox_smtputf8_on);
BENCHMARK(BM_parse_mailbox_invalid);
BENCHMARK(BM_parse_path);
BENCHMARK(BM_parse_domain);
BENCHMARK(BM_to_json);

// Issue 4 entry points. The reply workload is a whole server side of a session (greeting, a
// multi-line EHLO reply, MAIL/RCPT/DATA replies with enhanced codes, QUIT), parsed in one go;
// items are replies.
const std::string& reply_stream() {
  static const std::string s =
      "220 mx.example.org ESMTP ready\r\n"
      "250-mx.example.org greets client.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
      "250-8BITMIME\r\n250-ENHANCEDSTATUSCODES\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n"
      "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n"
      "354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 4F2C31E0A2\r\n221 2.0.0 Bye\r\n";
  return s;
}

void BM_parse_replies(benchmark::State& state) {
  std::size_t n = 0;
  for (auto _ : state) {
    auto replies = smtpspec::parse_replies(reply_stream());
    n += replies.size();
    benchmark::DoNotOptimize(replies);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * reply_stream().size()));
}

void BM_format_reply(benchmark::State& state) {
  const auto status = smtpspec::parse_enhanced_status("5.1.1").value();
  const std::string_view lines[] = {"<nobody@example.org>: Recipient address rejected", "User unknown"};
  for (auto _ : state) {
    auto r = smtpspec::format_reply(550, status, std::span<const std::string_view>(lines));
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_parse_enhanced_status(benchmark::State& state) {
  static const char* const codes[] = {"2.0.0", "5.1.1", "4.7.1", "5.7.26", "4.4.2", "5.3.4"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = smtpspec::parse_enhanced_status(codes[i]);
    benchmark::DoNotOptimize(r);
    if (++i == std::size(codes)) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_parse_replies);
BENCHMARK(BM_format_reply);
BENCHMARK(BM_parse_enhanced_status);

}  // namespace

BENCHMARK_MAIN();
