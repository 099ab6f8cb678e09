// smtpspec — the DATA reader: RFC 5321 §4.1.1.4 end of data, §4.5.2 transparency, and the bare
// CR / bare LF policies that keep SMTP smuggling out (/work/shared/smuggling.md).
//
// The reader keeps O(1) state between feed() calls: where in a line it is (a CR at the end of
// one input is held until the next octet shows whether it is half of a CRLF) and what a lax
// server would make of the current line. Ordinary octets are found with a vector scan and copied
// to `out` in runs; only CR, LF, NUL and a "." at the start of a line leave the fast path.
//
// Lines. Only CRLF ends a line under `accept` and `reject`; under `normalize` a bare LF (or CR)
// ends one too and is written as CRLF. A "." at the start of a line is transparency and removed
// (§4.5.2), at the start of every line the policy sees, so:
//   - the end of data is only CRLF "." CRLF, the first CRLF being the previous line's or the DATA
//     command's own (an empty message is "." CRLF as the very first line);
//   - under `normalize`, a "." line that a bare LF or CR begins or ends is not the end of data: it
//     becomes an empty line (the dot removed, the bare line end written as CRLF), as Postfix's
//     smtpd_forbid_bare_newline=normalize does;
//   - under `accept` (go-smtp), "." LF after a CRLF loses its dot and keeps the LF, LF "." CRLF is
//     kept as it is (the dot is not at the start of a CRLF line).
// Under `reject` the first bare LF (or CR) sets reject_reason(); the reader appends nothing more
// but keeps reading to the real CRLF "." CRLF, so the session stays in step with the client.
//
// Smuggling. Independently of the policy the reader asks what a lax server would see: one that
// takes any CR or LF for a line end and ignores NUL. A line that such a server reads as "." but
// that is not the real end of data is reported as smuggled_end_of_data at its first octet.
#include <algorithm>
#include <cstring>

#include "json_escape.hpp"
#include "smtpspec/session.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace smtpspec {
namespace {

// Where the reader is in a line.
enum : std::uint8_t {
  bol_framed,  // at the start of a line that a real CRLF (or the DATA command) began
  bol_soft,    // at the start of a line that a normalised bare LF or CR began
  mid,         // inside a line
  mid_cr,      // a CR ended the previous input: CRLF or a bare CR, the next octet tells
  dot,         // a "." at the start of a CRLF-framed line (removed; maybe the end of data)
  dot_cr,      // "." CR there: LF ends the data
  done,        // the end-of-data line was consumed
};

// What a lax server makes of the current line (between any two CR/LF, NULs ignored).
enum : std::uint8_t { lax_other, lax_empty, lax_dot };

// The first index in [i, n) holding CR, LF or NUL, or n.
std::size_t find_special(const char* b, std::size_t i, std::size_t n) noexcept {
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n'), nul = _mm_setzero_si128();
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)),
                                     _mm_cmpeq_epi8(v, nul));
    if (const int m = _mm_movemask_epi8(hit); m != 0) return i + static_cast<std::size_t>(__builtin_ctz(
        static_cast<unsigned>(m)));
  }
#else
  // Eight octets at a time: a word has a zero octet iff (v - 0x01…) & ~v & 0x80… is non-zero.
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, b + i, 8);
    const std::uint64_t c = v ^ (ones * '\r'), l = v ^ (ones * '\n');
    if ((((v - ones) & ~v) | ((c - ones) & ~c) | ((l - ones) & ~l)) & highs) break;
  }
#endif
  for (; i < n; ++i) {
    const char c = b[i];
    if (c == '\r' || c == '\n' || c == '\0') return i;
  }
  return n;
}

}  // namespace

data_reader::data_reader(const data_reader_options& options) : opts_(options) { reset(); }

void data_reader::reset() {
  state_ = bol_framed;
  lax_ = lax_empty;
  line_long_ = false;
  lax_pending_ = false;
  line_len_ = 0;
  lax_start_ = 0;
  pending_start_ = 0;
  in_ = 0;
  out_ = 0;
  diags_.clear();
  reject_.reset();
}

// Kept in offset order (a smuggled "." line is reported at its start, after the NULs inside it),
// at most max_diagnostics of them: the first ones found.
void data_reader::diagnose(session_diagnostic_id id, std::uint64_t offset) {
  if (diags_.size() >= max_diagnostics) return;
  const auto at = std::upper_bound(diags_.begin(), diags_.end(), offset,
                                   [](std::uint64_t off, const auto& d) { return off < d.second; });
  diags_.insert(at, {id, static_cast<std::size_t>(offset)});
}

data_reader::step data_reader::feed(std::string_view in, std::string& out) {
  if (state_ == done) return {0, true};
  const char* b = in.data();
  const std::size_t n = in.size();
  const std::uint64_t base = in_;
  // Content octets a line may hold: max_line counts the CRLF.
  const std::size_t limit = opts_.max_line > 2 ? opts_.max_line - 2 : 0;
  std::size_t i = 0;
  std::size_t run = 0;  // [run, i) is copied to `out` verbatim at the next flush

  const auto flush = [&](std::size_t upto) {
    if (!reject_ && upto > run) {
      out.append(b + run, upto - run);
      out_ += upto - run;
    }
    run = upto;
  };
  const auto emit = [&](std::string_view s) {
    if (reject_) return;
    out.append(s);
    out_ += s.size();
  };
  const auto start_line = [&] {
    line_len_ = 0;
    line_long_ = false;
  };
  // k content octets at offset `at` join the line.
  const auto grow = [&](std::size_t k, std::uint64_t at) {
    if (!line_long_ && line_len_ + k > limit) {
      line_long_ = true;
      diagnose(session_diagnostic_id::data_line_too_long, at + (limit - line_len_));
    }
    line_len_ += k;
  };
  // A CR or LF at b[k]: the lax server's line ends there.
  const auto lax_end = [&](std::size_t k) {
    if (lax_ == lax_dot) diagnose(session_diagnostic_id::smuggled_end_of_data, lax_start_);
    lax_ = lax_empty;
    lax_start_ = base + k + 1;
  };
  // Octets other than CR, LF and NUL in [from, to).
  const auto lax_span = [&](std::size_t from, std::size_t to) {
    if (to == from || lax_ == lax_other) return;
    lax_ = lax_ == lax_empty && to - from == 1 && b[from] == '.' ? lax_dot : lax_other;
  };
  // A bare CR or LF at offset `at` (already flushed up to it, not in the run): diagnosed and
  // written as the policy says; the state that follows.
  const auto bare = [&](bool lf, std::uint64_t at) -> std::uint8_t {
    const auto id = lf ? session_diagnostic_id::bare_lf_in_data : session_diagnostic_id::bare_cr_in_data;
    diagnose(id, at);
    switch (lf ? opts_.bare_lf : opts_.bare_cr) {
      case newline_policy::normalize:
        emit("\r\n");
        start_line();
        return bol_soft;
      case newline_policy::accept:
        emit(lf ? "\n" : "\r");
        break;
      case newline_policy::reject:
        if (!reject_) reject_ = id;
        break;
    }
    grow(1, at);
    return mid;
  };

  while (i < n) {
    switch (state_) {
      case mid: {
        const std::size_t q = find_special(b, i, n);
        if (q > i) {
          grow(q - i, base + i);
          lax_span(i, q);
          i = q;
          if (i == n) break;
        }
        const char c = b[i];
        if (c == '\0') {  // content, diagnosed; invisible to the lax server
          diagnose(session_diagnostic_id::nul_in_data, base + i);
          grow(1, base + i);
          ++i;
        } else if (c == '\n') {
          lax_end(i);
          flush(i);
          state_ = bare(true, base + i);
          run = ++i;
        } else if (i + 1 == n) {  // CR at the end of the input: wait for the next octet
          lax_end(i);
          flush(i);
          run = ++i;
          state_ = mid_cr;
        } else if (b[i + 1] == '\n') {
          lax_end(i);
          lax_end(i + 1);
          i += 2;
          start_line();
          state_ = bol_framed;
        } else {
          lax_end(i);
          flush(i);
          state_ = bare(false, base + i);
          run = ++i;
        }
        break;
      }
      case mid_cr:  // the CR is not in this input (run == i == 0)
        if (b[i] == '\n') {
          lax_end(i);
          emit("\r\n");
          start_line();
          state_ = bol_framed;
          run = ++i;
        } else {
          state_ = bare(false, base + i - 1);
        }
        break;
      case bol_framed:
        if (b[i] == '.') {
          lax_span(i, i + 1);
          flush(i);
          run = ++i;
          state_ = dot;
        } else {
          state_ = mid;
        }
        break;
      case bol_soft:
        if (b[i] == '.') {  // transparency, but never the end of data
          lax_span(i, i + 1);
          flush(i);
          run = ++i;
        }
        state_ = mid;
        break;
      case dot:
        if (b[i] == '\r') {
          // The lax server's "." line ends here; it is smuggling unless LF follows.
          lax_pending_ = lax_ == lax_dot;
          pending_start_ = lax_start_;
          lax_ = lax_empty;
          lax_start_ = base + i + 1;
          flush(i);
          run = ++i;
          state_ = dot_cr;
        } else if (b[i] == '\n') {
          lax_end(i);
          flush(i);
          state_ = bare(true, base + i);
          run = ++i;
        } else {
          state_ = mid;
        }
        break;
      case dot_cr:
        if (b[i] == '\n') {
          lax_pending_ = false;
          flush(i);
          ++i;
          state_ = done;
          in_ += i;
          return {i, true};
        }
        if (lax_pending_) {
          lax_pending_ = false;
          diagnose(session_diagnostic_id::smuggled_end_of_data, pending_start_);
        }
        flush(i);
        state_ = bare(false, base + i - 1);
        break;
      default:
        i = n;
        break;
    }
  }
  flush(n);
  in_ += n;
  return {n, false};
}

const std::vector<std::pair<session_diagnostic_id, std::size_t>>& data_reader::diagnostics() const noexcept {
  return diags_;
}
std::optional<session_diagnostic_id> data_reader::reject_reason() const noexcept { return reject_; }
std::uint64_t data_reader::octets_in() const noexcept { return in_; }
std::uint64_t data_reader::octets_out() const noexcept { return out_; }

std::string to_json(const data_reader& r, const data_reader::step& s, std::string_view message) {
  detail::json_writer w;
  w.raw("{").key("consumed", true).num(s.consumed).key("done").boolean(s.done);
  w.key("message").str(message);
  w.key("octets_in").num(r.octets_in()).key("octets_out").num(r.octets_out());
  w.key("diagnostics").array(r.diagnostics(), [&](const auto& d) {
    const auto& i = info(d.first);
    w.raw("{").key("id", true).str(i.name).key("severity").str(to_string(i.level));
    w.key("offset").num(d.second).key("rfc").str(i.rfc).key("message").str(i.message).raw("}");
  });
  w.key("reject");
  if (const auto rr = r.reject_reason()) w.str(to_string(*rr));
  else w.null();
  w.raw("}");
  return std::move(w.out);
}

}  // namespace smtpspec
