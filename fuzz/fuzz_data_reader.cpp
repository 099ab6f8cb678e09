// Fuzz target for the DATA reader. Input layout: byte 0 picks the policies (bits 0-1: bare LF,
// bits 2-3: bare CR, 3 meaning reject; bit 4: max_line 8), byte 1 a split point, the rest is the
// data. Invariants (a violation traps): the split and an octet-at-a-time feed change nothing (output,
// consumed, diagnostics, reject), consumed stops right after a CRLF "." CRLF, diagnostics stay
// bounded, ordered and inside the consumed octets, the output is never longer than twice the input
// (normalize writes CRLF for a bare octet) and, under normalize, has CRLF line ends only; the JSON is valid.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "smtpspec/session.hpp"

namespace {
void require(bool ok) {
  if (!ok) __builtin_trap();
}
smtpspec::newline_policy pick(unsigned v) {
  return v == 1 ? smtpspec::newline_policy::normalize
         : v == 2 ? smtpspec::newline_policy::accept
                  : smtpspec::newline_policy::reject;
}
struct run_result {
  std::string out;
  std::size_t consumed = 0;
  bool done = false;
  std::string json;
};
run_result run(const smtpspec::data_reader_options& o, std::string_view s, std::size_t piece) {
  smtpspec::data_reader r(o);
  run_result res;
  for (std::size_t at = 0; !res.done && (at < s.size() || at == 0);) {
    const std::size_t n = piece == 0 ? s.size() - at : std::min(piece, s.size() - at);
    const auto st = r.feed(s.substr(at, n), res.out);
    require(st.consumed <= n);
    require(st.done || st.consumed == n);
    res.consumed += st.consumed;
    res.done = st.done;
    at += n;
    if (n == 0) break;
  }
  smtpspec::data_reader::step total{res.consumed, res.done};
  res.json = smtpspec::to_json(r, total, res.out);
  require(r.octets_in() == res.consumed && r.octets_out() == res.out.size());
  require(r.diagnostics().size() <= 100);
  std::size_t last = 0;
  for (const auto& d : r.diagnostics()) {
    require(d.second >= last && d.second < res.consumed);
    last = d.second;
  }
  return res;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  smtpspec::data_reader_options o;
  o.bare_lf = pick(data[0] & 3);
  o.bare_cr = pick(data[0] >> 2 & 3);
  if (data[0] & 16) o.max_line = 8;
  const std::string_view s(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t cut = s.empty() ? 0 : data[1] % (s.size() + 1);

  const auto whole = run(o, s, 0);
  require(nlohmann::json::accept(whole.json));
  require(whole.out.size() <= 2 * s.size());
  if (whole.done) {
    const std::string_view eaten = s.substr(0, whole.consumed);
    require(eaten.ends_with(".\r\n") && (eaten.size() == 3 || eaten.substr(eaten.size() - 5, 2) == "\r\n"));
  }
  if (o.bare_lf == smtpspec::newline_policy::normalize && o.bare_cr == smtpspec::newline_policy::normalize) {
    for (std::size_t i = 0; i < whole.out.size(); ++i) {
      if (whole.out[i] == '\n') require(i > 0 && whole.out[i - 1] == '\r');
      if (whole.out[i] == '\r') require(i + 1 < whole.out.size() && whole.out[i + 1] == '\n');
    }
  }
  // Two pieces at the chosen cut, then one octet at a time.
  smtpspec::data_reader r(o);
  std::string out;
  auto a = r.feed(s.substr(0, cut), out);
  if (!a.done) {
    const auto b = r.feed(s.substr(cut), out);
    a.consumed += b.consumed;
    a.done = b.done;
  }
  require(smtpspec::to_json(r, a, out) == whole.json);
  if (s.size() <= 4096) require(run(o, s, 1).json == whole.json);
  return 0;
}
