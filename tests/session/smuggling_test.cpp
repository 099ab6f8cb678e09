// The SMTP smuggling matrix (/work/shared/smuggling.md): every end-of-data variant of the master
// list (13), the four further NUL placements and pipelining after a real end of data, each under
// the reject, normalize and accept policies, followed by smuggled commands and by ordinary text.
//
// Outcomes: `rejected` (the policy refuses the message; the reader still reads to the real
// CRLF "." CRLF, so the smuggled commands are consumed as data, never executed), `content` (the
// variant and the smuggled commands are message content; `prefix` is what the variant becomes),
// or `real_end` (the variant contains the real CRLF "." CRLF: the data ends there, and what
// follows is pipelined after the end of data, which the session handles as commands — variants
// 13, 14, 17 and pipelining, where a compliant sender would have dot-stuffed the line).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smtpspec/session.hpp"

using smtpspec::data_reader;
using smtpspec::data_reader_options;
using smtpspec::newline_policy;
using id = smtpspec::session_diagnostic_id;

namespace {

enum class outcome { rejected, content, real_end };

struct per_policy {
  outcome what;
  std::string prefix;  // content: the message up to the smuggled part; real_end: the message
};

struct variant {
  const char* name;
  std::string bytes;
  per_policy reject, normalize, accept;
  // Diagnostics (the same under every policy), offsets from the start of "text" + variant.
  std::vector<std::pair<id, std::size_t>> diags;
  std::size_t real_end_consumed = 0;  // real_end: octets of "text" + variant taken
};

std::string s(const char* p, std::size_t n) { return std::string(p, n); }

constexpr auto lf = id::bare_lf_in_data, cr = id::bare_cr_in_data, smug = id::smuggled_end_of_data,
               nul = id::nul_in_data;
const per_policy R{outcome::rejected, ""};
per_policy C(std::string p) { return {outcome::content, std::move(p)}; }
per_policy E(std::string p) { return {outcome::real_end, std::move(p)}; }

const std::vector<variant>& matrix() {
  static const std::vector<variant> v = {
      {"1 <LF>.<LF>", "\n.\n", R, C("text\r\n\r\n"), C("text\n.\n"), {{lf, 4}, {smug, 5}, {lf, 6}}},
      {"2 <LF>.<CR>", "\n.\r", R, C("text\r\n\r\n"), C("text\n.\r"), {{lf, 4}, {smug, 5}, {cr, 6}}},
      {"3 <CR>.<LF>", "\r.\n", R, C("text\r\n\r\n"), C("text\r.\n"), {{cr, 4}, {smug, 5}, {lf, 6}}},
      {"4 <CR>.<CR>", "\r.\r", R, C("text\r\n\r\n"), C("text\r.\r"), {{cr, 4}, {smug, 5}, {cr, 6}}},
      {"5 <LF>.<CR><LF>", "\n.\r\n", R, C("text\r\n\r\n"), C("text\n.\r\n"), {{lf, 4}, {smug, 5}}},
      {"6 <CR>.<CR><LF>", "\r.\r\n", R, C("text\r\n\r\n"), C("text\r.\r\n"), {{cr, 4}, {smug, 5}}},
      {"7 NUL before dot", s("\r\n\0.\r\n", 6), C(s("text\r\n\0.\r\n", 10)), C(s("text\r\n\0.\r\n", 10)),
       C(s("text\r\n\0.\r\n", 10)), {{nul, 6}, {smug, 6}}},
      {"8 <CR><LF>.<LF>", "\r\n.\n", R, C("text\r\n\r\n"), C("text\r\n\n"), {{smug, 6}, {lf, 7}}},
      {"9 <CR><LF>.<CR>", "\r\n.\r", R, C("text\r\n\r\n"), C("text\r\n\r"), {{smug, 6}, {cr, 7}}},
      {"10 NUL after dot", s("\r\n.\0\r\n", 6), C(s("text\r\n\0\r\n", 9)), C(s("text\r\n\0\r\n", 9)),
       C(s("text\r\n\0\r\n", 9)), {{smug, 6}, {nul, 7}}},
      {"11 .<CR><CR><LF>", "\r\n.\r\r\n", R, C("text\r\n\r\n\r\n"), C("text\r\n\r\r\n"), {{smug, 6}, {cr, 7}}},
      {"12 <CR><CR><LF>.<CR><CR><LF>", "\r\r\n.\r\r\n", R, C("text\r\n\r\n\r\n\r\n"), C("text\r\r\n\r\r\n"),
       {{cr, 4}, {smug, 7}, {cr, 8}}},
      {"13 <CR><CR><LF>.<CR><LF>", "\r\r\n.\r\n", R, E("text\r\n\r\n"), E("text\r\r\n"), {{cr, 4}}, 10},
      {"NUL before CRLF.CRLF", s("\0\r\n.\r\n", 6), E(s("text\0\r\n", 7)), E(s("text\0\r\n", 7)),
       E(s("text\0\r\n", 7)), {{nul, 4}}, 10},
      {"<CR>NUL<LF>.<CR><LF>", s("\r\0\n.\r\n", 6), R, C(s("text\r\n\0\r\n\r\n", 11)),
       C(s("text\r\0\n.\r\n", 10)), {{cr, 4}, {nul, 5}, {lf, 6}, {smug, 7}}},
      {"<CR><LF>.<CR>NUL<LF>", s("\r\n.\r\0\n", 6), R, C(s("text\r\n\r\n\0\r\n", 11)),
       C(s("text\r\n\r\0\n", 9)), {{smug, 6}, {cr, 7}, {nul, 8}, {lf, 9}}},
      {"NUL after CRLF.CRLF", s("\r\n.\r\n\0", 6), E("text\r\n"), E("text\r\n"), E("text\r\n"), {}, 9},
      {"pipelining after the end", "\r\n.\r\n", E("text\r\n"), E("text\r\n"), E("text\r\n"), {}, 9},
  };
  return v;
}

const std::string smuggled = "MAIL FROM:<admin@bank.example>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
                             "From: admin@bank.example\r\n\r\nsmuggled\r\n";
const std::string ordinary = "ordinary text after the variant\r\n";

struct run_result {
  std::string out;
  data_reader::step step;
  std::vector<std::pair<id, std::size_t>> diags;
  std::optional<id> reject;
};

run_result run(newline_policy p, const std::string& in) {
  data_reader_options o;
  o.bare_lf = o.bare_cr = p;
  data_reader r(o);
  run_result res;
  res.step = r.feed(in, res.out);
  res.diags = r.diagnostics();
  res.reject = r.reject_reason();
  return res;
}

void check(const variant& v, newline_policy p, const per_policy& want, const std::string& payload) {
  const std::string head = "text" + v.bytes;
  const std::string in = head + payload + ".\r\n";
  const auto r = run(p, in);
  SCOPED_TRACE(std::string(v.name) + " under " + (p == newline_policy::reject      ? "reject"
                                                  : p == newline_policy::normalize ? "normalize"
                                                                                   : "accept"));
  EXPECT_TRUE(r.step.done);
  EXPECT_EQ(r.diags, v.diags);
  switch (want.what) {
    case outcome::rejected:
      EXPECT_TRUE(r.reject.has_value());
      // The reader went on to the real end of data: nothing is left to be read as commands
      // (variant 13 is the exception: its own real end, where the message is rejected).
      EXPECT_EQ(r.step.consumed, v.real_end_consumed == 0 ? in.size() : v.real_end_consumed);
      break;
    case outcome::content:
      EXPECT_FALSE(r.reject.has_value());
      EXPECT_EQ(r.step.consumed, in.size());
      EXPECT_EQ(r.out, want.prefix + payload);
      break;
    case outcome::real_end:
      EXPECT_FALSE(r.reject.has_value());
      EXPECT_EQ(r.step.consumed, v.real_end_consumed);
      EXPECT_EQ(r.out, want.prefix);
      break;
  }
}

TEST(Smuggling, MatrixWithSmuggledCommands) {
  for (const auto& v : matrix()) {
    check(v, newline_policy::reject, v.reject, smuggled);
    check(v, newline_policy::normalize, v.normalize, smuggled);
    check(v, newline_policy::accept, v.accept, smuggled);
  }
}

TEST(Smuggling, MatrixWithOrdinaryText) {
  for (const auto& v : matrix()) {
    check(v, newline_policy::reject, v.reject, ordinary);
    check(v, newline_policy::normalize, v.normalize, ordinary);
    check(v, newline_policy::accept, v.accept, ordinary);
  }
}

TEST(Smuggling, SmuggledCommandsAreNeverLeftOver) {
  // Whatever the policy, after a variant that is not a real end of data the reader has consumed
  // the smuggled commands: the session never sees "MAIL FROM" as a command.
  for (const auto& v : matrix()) {
    if (v.real_end_consumed != 0) continue;
    for (const auto p : {newline_policy::reject, newline_policy::normalize, newline_policy::accept}) {
      const std::string in = "text" + v.bytes + smuggled + ".\r\nQUIT\r\n";
      const auto r = run(p, in);
      EXPECT_EQ(in.substr(r.step.consumed), "QUIT\r\n") << v.name;
    }
  }
}

TEST(Smuggling, EveryVariantSplitAnywhere) {
  for (const auto& v : matrix()) {
    for (const auto p : {newline_policy::reject, newline_policy::normalize, newline_policy::accept}) {
      const std::string in = "text" + v.bytes + smuggled + ".\r\n";
      const auto whole = run(p, in);
      for (std::size_t cut = 0; cut <= in.size(); ++cut) {
        data_reader_options o;
        o.bare_lf = o.bare_cr = p;
        data_reader r(o);
        std::string out;
        auto a = r.feed(std::string_view(in).substr(0, cut), out);
        if (!a.done) {
          const auto b = r.feed(std::string_view(in).substr(cut), out);
          a.consumed += b.consumed;
          a.done = b.done;
        }
        ASSERT_EQ(out, whole.out) << v.name << " cut " << cut;
        ASSERT_EQ(a.consumed, whole.step.consumed) << v.name << " cut " << cut;
        ASSERT_EQ(r.diagnostics(), whole.diags) << v.name << " cut " << cut;
      }
    }
  }
}

TEST(Smuggling, VariantAsTheFirstLine) {
  // The DATA command's CRLF counts as the CRLF before the first line.
  const auto r = run(newline_policy::accept, ".\nMAIL FROM:<a@b>\r\n.\r\n");
  EXPECT_EQ(r.out, "\nMAIL FROM:<a@b>\r\n");
  EXPECT_EQ(r.diags, (std::vector<std::pair<id, std::size_t>>{{smug, 0}, {lf, 1}}));
  const auto n = run(newline_policy::normalize, ".\rX\r\n.\r\n");
  EXPECT_EQ(n.out, "\r\nX\r\n");
}

// go-smtp's TestServer_smtpSmuggling and TestServer_LFDotLF (as quoted in smuggling.md §5): the
// accept policy gives the same message data.
TEST(Smuggling, GoSmtpAcceptCases) {
  EXPECT_EQ(run(newline_policy::accept,
                "This is a message with an SMTP smuggling dot:\r\n.\nFinal dot comes after.\r\n.\r\n")
                .out,
            "This is a message with an SMTP smuggling dot:\r\n\nFinal dot comes after.\r\n");
  EXPECT_EQ(run(newline_policy::accept,
                "This is a message with an SMTP smuggling dot:\n.\r\nFinal dot comes after.\r\n.\r\n")
                .out,
            "This is a message with an SMTP smuggling dot:\n.\r\nFinal dot comes after.\r\n");
  EXPECT_EQ(run(newline_policy::accept, "hey\r\n\n.\nthis is going to break your server\r\n.\r\n").out,
            "hey\r\n\n.\nthis is going to break your server\r\n");
}

}  // namespace
