// See lint_model.hpp: the linter asks the library's own server_session what a correct server must do.
#include "lint_model.hpp"

#include <limits>

namespace smtpspec::lint::detail {

namespace {

// The hooks whose answer is the recorded server's policy (mirrored from its reply). RSET, NOOP, QUIT
// and the capabilities list are left to the session: their replies are fixed by the RFCs.
// (data_post is not needed: the queue hook answers for the message.)
const std::vector<hook> policy_hooks{hook::connect, hook::helo,     hook::ehlo, hook::mail,
                                     hook::rcpt,    hook::data,     hook::queue, hook::auth,
                                     hook::starttls, hook::vrfy,    hook::help, hook::unrecognized_command};

// SASL mechanism names (IANA registry) for an excerpt, whose EHLO reply is not in the transcript.
const std::vector<std::string> any_mechanism{"PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-1",
                                             "SCRAM-SHA-256", "XOAUTH2", "OAUTHBEARER", "EXTERNAL",
                                             "GSSAPI", "NTLM", "ANONYMOUS"};

session_config config_for(const offer& o, bool lmtp) {
  session_config c;
  c.lmtp = lmtp;
  c.hostname = "lint.invalid";
  c.profile = profile::lenient;
  const auto has = [&](extension e) { return o.esmtp && o.extensions.has(e); };
  c.pipelining = has(extension::pipelining);
  c.size = has(extension::size);
  c.eightbitmime = has(extension::eightbitmime);
  c.smtputf8 = has(extension::smtputf8);
  c.dsn = has(extension::dsn);
  c.chunking = has(extension::chunking);
  c.binarymime = has(extension::binarymime);
  c.starttls = has(extension::starttls);
  c.auth = has(extension::auth);
  c.auth_mechanisms = o.mechanisms;
  c.auth_requires_tls = false;  // the recorded server decided what it offered when
  c.enhancedstatuscodes = has(extension::enhancedstatuscodes);
  c.requiretls = has(extension::requiretls);
  c.relaying = true;
  // Octets are judged by the lint rules themselves; the session only has to keep reading.
  c.bare_lf = c.bare_cr = newline_policy::accept;
  constexpr std::size_t many = std::size_t{1} << 30;
  auto& l = c.limits;
  // RFC 5321 §4.5.3.1.4's 512 octets: a longer line may be refused (500), so the session does not judge
  // replies to it; the hard cap only bounds what it buffers.
  l.command_line = 512;
  l.command_line_hard = std::size_t{1} << 16;
  l.auth_line = std::size_t{1} << 16;
  l.message_size = o.size > 0 ? o.size : std::numeric_limits<std::uint64_t>::max() / 2;
  l.recipients = l.transactions = l.errors_soft = l.errors_hard = l.unknown_commands = l.auth_failures = many;
  l.pipelined_commands = std::size_t{1} << 16;
  l.input_buffer = std::size_t{1} << 22;  // what a client sends ahead of the replies, bounded
  l.min_data_rate = 0;
  c.hooks = policy_hooks;
  return c;
}

offer everything() {
  offer o;
  o.esmtp = true;
  o.extensions = extension_set::all();
  o.mechanisms = any_mechanism;
  return o;
}

}  // namespace

void reference_server::connect() {
  s_.reset();
  in_.clear();
  replies_.clear();
  hook_.reset();
  diags_.clear();
  recent_.clear();
  recent_base_ = fed_end_ = base_ = 0;
  excerpt_ = false;
  // Before EHLO nothing is offered; the pre-EHLO checks (MAIL before HELO, …) do not depend on it.
  s_ = std::make_unique<server_session>(config_for(everything(), lmtp_));
  take(s_->start(), false);
}

void reference_server::greeting(int code) {
  flush();
  if (!s_ || !hook_ || hook_->hook != hook::connect) return;
  reply r;
  respond(r, code);
  replies_.clear();  // the greeting answers no command
}

void reference_server::excerpt() {
  flush();
  if (!s_ || !hook_ || hook_->hook != hook::connect) return;
  // The transcript starts after the greeting: greet, and bring the session past an EHLO that offered
  // everything. Its state before the excerpt is unknown, so its replies carry `excerpt` (its "out of
  // sequence" refusals are not judged) until the recorded server's own EHLO reply restarts it.
  reply r;
  respond(r, 220);
  replies_.clear();
  const std::string_view hello = lmtp_ ? "LHLO lint.invalid\r\n" : "EHLO lint.invalid\r\n";
  take(s_->feed(hello), false);
  if (hook_ && hook_->hook == hook::ehlo) respond(r, 250);
  replies_.clear();
  diags_.clear();
  base_ = fed_end_ - hello.size();  // modular: session offset hello.size() is client offset fed_end_
  excerpt_ = true;
}

void reference_server::keep(std::string_view octets, std::uint64_t at) {
  if (recent_.empty()) recent_base_ = at;
  recent_.append(octets);
  if (recent_.size() > 2 * recent_cap) {
    const auto cut = recent_.size() - recent_cap;
    recent_.erase(0, cut);
    recent_base_ += cut;
  }
  fed_end_ = at + octets.size();
}

void reference_server::skip(std::string_view octets, std::uint64_t at) {
  flush();  // what came before is read at the offsets it had
  keep(octets, at);
  base_ += octets.size();
}

void reference_server::client(std::string_view octets, std::uint64_t at) {
  keep(octets, at);
  if (!s_) return;
  // Batched: the session reads them when a reply needs its answer (one feed per reply instead of one
  // per transcript line); bounded for transcripts with few replies.
  in_.append(octets);
  if (in_.size() >= recent_cap) flush();
}

void reference_server::flush() {
  if (in_.empty()) return;
  if (s_) take(s_->feed(in_), false);
  in_.clear();
}

void reference_server::restart(const offer& o, bool tls, std::uint64_t hello_at) {
  in_.clear();  // replayed from recent_ below
  s_.reset();
  replies_.clear();
  hook_.reset();
  diags_.clear();
  excerpt_ = false;
  if (hello_at < recent_base_ || hello_at > fed_end_) return;  // the hello line is no longer kept
  connection_info peer;
  peer.tls = tls;
  s_ = std::make_unique<server_session>(config_for(o, lmtp_), std::move(peer));
  take(s_->start(), false);
  reply r;
  if (hook_ && hook_->hook == hook::connect) respond(r, 220);
  replies_.clear();
  base_ = hello_at;
  take(s_->feed(std::string_view(recent_).substr(static_cast<std::size_t>(hello_at - recent_base_))), false);
  // The hello line comes first; the recorded server accepted it.
  if (hook_ && (hook_->hook == hook::ehlo || hook_->hook == hook::helo)) respond(r, 250);
  if (replies_.empty()) {
    s_.reset();
    return;
  }
  replies_.pop_front();
}

void reference_server::end_data() {
  flush();
  if (!s_ || s_->state() != session_state::data) return;
  // "\r\n.\r\n" ends the data wherever the session's reader is (the content was not fed: skip()); these
  // octets are not in the client stream, so later session offsets map back shifted by their length.
  const std::string_view eod = "\r\n.\r\n";
  take(s_->feed(eod), false);
  base_ -= eod.size();
}

void reference_server::take(session_events ev, bool from_hook) {
  for (auto& e : ev) {
    if (e.kind == event_kind::hook && e.needs_answer) {
      hook_ = std::move(e);
    } else if (e.kind == event_kind::diagnostic && e.diagnostic) {
      if (diags_.size() >= 512) diags_.pop_front();
      diags_.emplace_back(lint_offset(e.offset), *e.diagnostic);
    }
  }
  const std::string out = s_->take_output();
  if (out.empty()) return;
  // The session's own output: well-formed CRLF lines (format_reply), so a reply is its lines up to one
  // with SP (or CRLF) after the code; the 220 greeting and the EHLO reply included.
  bool first = from_hook, start = true;
  std::size_t i = 0;
  while (i < out.size()) {
    const auto eol = out.find("\r\n", i);
    const std::string_view line(out.data() + i, (eol == std::string::npos ? out.size() : eol) - i);
    i = eol == std::string::npos ? out.size() : eol + 2;
    if (line.size() < 3) continue;
    if (start) {
      model_reply m;
      m.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
      m.own = !first;
      m.excerpt = excerpt_;
      if (line.size() > 4) m.text = std::string(line.substr(4));
      first = false;
      if (replies_.size() >= 4096) replies_.pop_front();
      replies_.push_back(std::move(m));
    }
    start = line.size() == 3 || line[3] != '-';
  }
}

void reference_server::respond(const reply& r, int code) {
  const session_event h = std::move(*hook_);
  hook_.reset();
  hook_response a;
  const int cls = code / 100;
  a.code = code;
  if (r.enhanced) a.status = *r.enhanced;
  if (cls == 2 || cls == 3) a.verdict = verdict::ok;
  else if (code == 421) a.verdict = verdict::disconnect;
  else if (cls == 4) a.verdict = verdict::denysoft;
  else if (cls == 5) a.verdict = verdict::deny;
  else a.verdict = verdict::ok;
  if (h.hook == hook::data_post && a.verdict == verdict::ok) {
    a.verdict = verdict::cont;  // the queue hook answers for the message
    a.code.reset();
    a.status.reset();
  }
  if (h.hook == hook::auth && code == 334) {
    // Another round of a mechanism the session does not decode; the challenge's content is not judged.
    a.verdict = verdict::cont;
    a.code.reset();
    a.status.reset();
    a.challenge = std::string("lint");
  }
  take(s_->answer(h.handle, a), true);
}

std::optional<model_reply> reference_server::answer(const reply& r, int code, std::uint64_t command_at) {
  flush();
  if (!s_) return std::nullopt;
  for (int i = 0; i < 4 && replies_.empty() && hook_; ++i) respond(r, code);
  if (replies_.empty()) {  // the recorded server answered something the session has not read
    lose();
    return std::nullopt;
  }
  model_reply m = std::move(replies_.front());
  replies_.pop_front();
  if (m.own)
    for (const auto& [at, id] : diags_) {
      if (at != command_at) continue;
      if (id == session_diagnostic_id::bad_sequence) m.bad_sequence = true;
      if (id == session_diagnostic_id::declared_size_too_big) m.declared_size = true;
    }
  if (m.code == 220 && s_->state() == session_state::tls_pending) {
    // The recorded handshake follows the 220: the session starts over (RFC 3207 §4.2), a state that
    // is known even in an excerpt.
    take(s_->tls_established(), false);
    excerpt_ = false;
  }
  if (s_->closed() && replies_.empty() && !hook_) s_.reset();
  return m;
}

}  // namespace smtpspec::lint::detail
