// The two milter session helpers (PROTOCOL.md §1, §3-§5, §8): sans-IO state machines on the codec.
#include <algorithm>
#include <array>
#include <utility>

#include "smtpspec/milter.hpp"

namespace smtpspec::milter {

namespace {

bool is_modification(packet_kind k) noexcept { return info(k).action != 0; }
bool is_decision(packet_kind k) noexcept {
  switch (k) {
    case packet_kind::smfir_accept:
    case packet_kind::smfir_continue:
    case packet_kind::smfir_discard:
    case packet_kind::smfir_reject:
    case packet_kind::smfir_tempfail:
    case packet_kind::smfir_replycode:
    case packet_kind::smfir_skip: return true;
    default: return false;
  }
}

// "x" and "{x}" name the same macro (libmilter's smfi_getsymval).
std::string_view bare_macro_name(std::string_view n) noexcept {
  if (n.size() >= 2 && n.front() == '{' && n.back() == '}') return n.substr(1, n.size() - 2);
  return n;
}

// The macros of `macros` that a symbol list names (all of them when there is no list for the stage).
std::vector<macro_pair> select_macros(const negotiated& n, char stage_byte, std::span<const macro_pair> macros) {
  std::vector<macro_pair> out;
  const auto stage = symbol_stage(stage_byte);
  const symbol_list* list = nullptr;
  if (stage)
    for (const auto& l : n.symbol_lists)
      if (l.stage == *stage) list = &l;
  for (const auto& m : macros) {
    if (list) {
      bool named = false;
      std::string_view names = list->macros;
      while (!names.empty() && !named) {
        const std::size_t sp = names.find(' ');
        const std::string_view w = names.substr(0, sp);
        if (!w.empty() && bare_macro_name(w) == bare_macro_name(m.name)) named = true;
        names = sp == std::string_view::npos ? std::string_view() : names.substr(sp + 1);
      }
      if (!named) continue;
    }
    out.push_back(m);
  }
  return out;
}

// ---- Filter-side transitions: libmilter's next_states[] (PROTOCOL.md §8) ----------------------------

using fs = filter_state;
constexpr std::uint32_t bit(fs s) { return 1U << static_cast<unsigned>(s); }

constexpr std::array<std::uint32_t, 14> next_states = [] {
  std::array<std::uint32_t, 14> t{};
  t[static_cast<unsigned>(fs::init)] = bit(fs::options);
  t[static_cast<unsigned>(fs::options)] = bit(fs::connect) | bit(fs::unknown);
  t[static_cast<unsigned>(fs::connect)] = bit(fs::helo) | bit(fs::mail) | bit(fs::unknown) | bit(fs::quit_nc);
  t[static_cast<unsigned>(fs::helo)] = bit(fs::helo) | bit(fs::mail) | bit(fs::unknown) | bit(fs::quit_nc);
  t[static_cast<unsigned>(fs::mail)] = bit(fs::rcpt) | bit(fs::unknown);
  t[static_cast<unsigned>(fs::rcpt)] = bit(fs::rcpt) | bit(fs::data) | bit(fs::header) | bit(fs::eoh) | bit(fs::body) |
                                       bit(fs::end_of_message) | bit(fs::unknown);
  t[static_cast<unsigned>(fs::data)] = bit(fs::header) | bit(fs::eoh);
  t[static_cast<unsigned>(fs::header)] = bit(fs::header) | bit(fs::eoh);
  t[static_cast<unsigned>(fs::eoh)] = bit(fs::body) | bit(fs::end_of_message);
  t[static_cast<unsigned>(fs::body)] = bit(fs::body) | bit(fs::end_of_message);
  t[static_cast<unsigned>(fs::end_of_message)] = bit(fs::mail) | bit(fs::unknown) | bit(fs::quit_nc);
  t[static_cast<unsigned>(fs::unknown)] =
      bit(fs::helo) | bit(fs::mail) | bit(fs::rcpt) | bit(fs::data) | bit(fs::body) | bit(fs::unknown) | bit(fs::quit_nc);
  t[static_cast<unsigned>(fs::quit_nc)] = bit(fs::connect) | bit(fs::unknown);
  return t;
}();

std::optional<fs> target_of(packet_kind k) noexcept {
  switch (k) {
    case packet_kind::smfic_connect: return fs::connect;
    case packet_kind::smfic_helo: return fs::helo;
    case packet_kind::smfic_mail: return fs::mail;
    case packet_kind::smfic_rcpt: return fs::rcpt;
    case packet_kind::smfic_data: return fs::data;
    case packet_kind::smfic_header: return fs::header;
    case packet_kind::smfic_eoh: return fs::eoh;
    case packet_kind::smfic_body: return fs::body;
    case packet_kind::smfic_bodyeob: return fs::end_of_message;
    case packet_kind::smfic_unknown: return fs::unknown;
    case packet_kind::smfic_quit_nc: return fs::quit_nc;
    default: return std::nullopt;
  }
}

// A step the filter disabled (NO*) or the version lacks may be passed over (libmilter does so).
bool skippable(const negotiated& n, fs s) noexcept {
  switch (s) {
    case fs::connect: return !n.sends(packet_kind::smfic_connect);
    case fs::helo: return !n.sends(packet_kind::smfic_helo);
    case fs::mail: return !n.sends(packet_kind::smfic_mail);
    case fs::rcpt: return !n.sends(packet_kind::smfic_rcpt);
    case fs::data: return !n.sends(packet_kind::smfic_data);
    case fs::header: return !n.sends(packet_kind::smfic_header);
    case fs::eoh: return !n.sends(packet_kind::smfic_eoh);
    case fs::body: return !n.sends(packet_kind::smfic_body);
    default: return false;
  }
}

bool transition_ok(const negotiated& n, fs from, fs to) noexcept {
  std::uint32_t seen = 0, frontier = next_states[static_cast<unsigned>(from)];
  while (frontier != 0) {
    if (frontier & bit(to)) return true;
    seen |= frontier;
    std::uint32_t more = 0;
    for (unsigned s = 0; s < next_states.size(); ++s)
      if ((frontier & (1U << s)) && skippable(n, static_cast<fs>(s))) more |= next_states[s];
    frontier = more & ~seen;
  }
  return false;
}

}  // namespace

std::string_view to_string(filter_state s) noexcept {
  static constexpr std::string_view names[] = {"init", "options", "connect", "helo", "mail", "rcpt", "data",
                                               "header", "eoh", "body", "end_of_message", "unknown", "quit_nc",
                                               "closed"};
  return names[static_cast<std::size_t>(s)];
}
std::string_view to_string(mta_state s) noexcept {
  static constexpr std::string_view names[] = {"init", "negotiating", "ready", "connected", "helo", "mail", "rcpt",
                                               "data", "header", "eoh", "body", "end_of_message", "closed"};
  return names[static_cast<std::size_t>(s)];
}

// ---- filter_session ----------------------------------------------------------------------------------

filter_session::filter_session(filter_options o)
    : opts_(std::move(o)), dec_(direction::to_filter, decoder_options{opts_.max_payload}) {}

void filter_session::fail(error e) {
  if (state_ == filter_state::closed) return;
  failure_ = e;
  state_ = filter_state::closed;
  pending_.reset();
  filter_event ev;
  ev.kind = filter_event::type::error;
  ev.error = e;
  events_.push_back(std::move(ev));
}

std::optional<error> filter_session::send(const packet& p) {
  return encode(p, out_, encoder_options{agreed_.max_payload});
}

void filter_session::feed(std::string_view bytes) {
  if (state_ == filter_state::closed) return;
  dec_.feed(bytes);
  while (dec_.pending() > 0) {
    const std::size_t at = dec_.next_offset();
    on_packet(std::move(*dec_.next()), at);
    if (state_ == filter_state::closed) return;
  }
  if (dec_.failed()) fail(*dec_.error());
}

void filter_session::finish() {
  if (state_ == filter_state::closed) return;
  dec_.finish();
  if (dec_.failed()) return fail(*dec_.error());
  if (pending_) return fail(error{error_code::session_closed, dec_.consumed(), 0});
  state_ = filter_state::closed;
  filter_event ev;
  ev.kind = filter_event::type::closed;
  events_.push_back(std::move(ev));
}

void filter_session::on_packet(packet&& p, std::size_t at) {
  const char byte = info(p.kind).byte;
  if (pending_) return fail(error{error_code::reply_pending, at, byte});
  if (state_ == filter_state::init) {
    if (p.kind != packet_kind::smfic_optneg) return fail(error{error_code::unexpected_packet, at, byte});
    auto n = negotiate_as_filter(p, opts_);
    if (!n.ok()) return fail(error{n.error->code, at, byte});
    agreed_ = std::move(*n.value);
    constexpr std::uint32_t nr = SMFIP_NR_HDR | SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_RCPT |
                                 SMFIP_NR_DATA | SMFIP_NR_UNKN | SMFIP_NR_EOH | SMFIP_NR_BODY;
    wanted_no_reply_ = opts_.protocol & nr & ~agreed_.protocol;
    dec_.set_max_payload(agreed_.max_payload);
    if (auto e = send(make_optneg(direction::to_mta, agreed_.version, agreed_.actions, agreed_.protocol,
                                  agreed_.symbol_lists)))
      return fail(*e);
    state_ = filter_state::options;
    filter_event ev;
    ev.kind = filter_event::type::negotiated;
    ev.command = std::move(p);
    events_.push_back(std::move(ev));
    return;
  }
  switch (p.kind) {
    case packet_kind::smfic_optneg: return fail(error{error_code::unexpected_packet, at, byte});
    case packet_kind::smfic_macro: {
      auto it = std::find_if(macros_.begin(), macros_.end(), [&](const auto& m) { return m.first == p.stage; });
      if (it == macros_.end()) macros_.emplace_back(p.stage, p.macros);
      else it->second = p.macros;
      next_macros_ = std::move(p.macros);
      next_macros_stage_ = p.stage;
      return;
    }
    case packet_kind::smfic_quit: {
      state_ = filter_state::closed;
      filter_event ev;
      ev.kind = filter_event::type::closed;
      ev.command = std::move(p);
      events_.push_back(std::move(ev));
      return;
    }
    case packet_kind::smfic_abort: {
      // Resets the message, not the connection; repeated aborts are normal (Postfix: A A Q).
      if (state_ >= filter_state::mail && state_ <= filter_state::end_of_message) state_ = filter_state::helo;
      next_macros_.reset();
      filter_event ev;
      ev.command = std::move(p);
      events_.push_back(std::move(ev));
      return;
    }
    default: break;
  }
  const auto to = target_of(p.kind);
  if (!to || !agreed_.sends(p.kind) || !transition_ok(agreed_, state_, *to))
    return fail(error{error_code::unexpected_packet, at, byte});
  state_ = *to;
  filter_event ev;
  if (next_macros_ && next_macros_stage_ == byte) ev.macros = std::move(*next_macros_);
  next_macros_.reset();
  if (p.kind == packet_kind::smfic_quit_nc) macros_.clear();  // a new connection follows
  const bool due = agreed_.expects_reply(p.kind);
  // A no-reply bit the filter wanted but the MTA lacks: answer CONTINUE on its behalf.
  bool faked = false;
  if (due) {
    const auto nr_bit = [&]() -> std::uint32_t {
      switch (p.kind) {
        case packet_kind::smfic_connect: return SMFIP_NR_CONN;
        case packet_kind::smfic_helo: return SMFIP_NR_HELO;
        case packet_kind::smfic_mail: return SMFIP_NR_MAIL;
        case packet_kind::smfic_rcpt: return SMFIP_NR_RCPT;
        case packet_kind::smfic_data: return SMFIP_NR_DATA;
        case packet_kind::smfic_unknown: return SMFIP_NR_UNKN;
        case packet_kind::smfic_eoh: return SMFIP_NR_EOH;
        case packet_kind::smfic_body: return SMFIP_NR_BODY;
        case packet_kind::smfic_header: return SMFIP_NR_HDR;
        default: return 0;
      }
    }();
    faked = (nr_bit & wanted_no_reply_) != 0;
  }
  if (faked) {
    if (auto e = send(make(packet_kind::smfir_continue))) return fail(*e);
  } else if (due) {
    pending_ = p.kind;
  }
  ev.kind = filter_event::type::command;
  ev.reply_expected = due && !faked;
  ev.command = std::move(p);
  events_.push_back(std::move(ev));
}

std::optional<filter_event> filter_session::next_event() {
  if (events_.empty()) return std::nullopt;
  filter_event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

std::string filter_session::take_output() { return std::exchange(out_, std::string()); }

std::optional<error> filter_session::finish_reply(packet_kind decision) {
  const packet_kind cmd = *pending_;
  pending_.reset();
  // libmilter: after REJECT/TEMPFAIL/DISCARD the state falls back to HELO except for RCPT and
  // UNKNOWN; after ACCEPT always (the MTA sends nothing more of this message but ABORT).
  const bool negative = decision != packet_kind::smfir_continue && decision != packet_kind::smfir_skip;
  if (decision == packet_kind::smfir_accept ||
      (negative && cmd != packet_kind::smfic_rcpt && cmd != packet_kind::smfic_unknown &&
       cmd != packet_kind::smfic_connect && cmd != packet_kind::smfic_helo))
    if (state_ >= filter_state::mail && state_ <= filter_state::end_of_message) state_ = filter_state::helo;
  return std::nullopt;
}

std::optional<error> filter_session::reply(packet_kind decision) {
  if (state_ == filter_state::closed) return error{error_code::session_closed, 0, info(decision).byte};
  if (!is_decision(decision) || decision == packet_kind::smfir_replycode)
    return error{error_code::unexpected_packet, 0, info(decision).byte};
  if (!pending_) return error{error_code::no_reply_due, 0, info(decision).byte};
  if (decision == packet_kind::smfir_skip &&
      (*pending_ != packet_kind::smfic_body || (agreed_.offered_protocol & SMFIP_SKIP) == 0))
    return error{error_code::skip_not_allowed, 0, 's'};
  if (auto e = send(make(decision))) return e;
  return finish_reply(decision);
}

std::optional<error> filter_session::reply_code(int code, const std::optional<enhanced_status>& enhanced,
                                                std::span<const std::string_view> lines) {
  if (state_ == filter_state::closed) return error{error_code::session_closed, 0, 'y'};
  if (!pending_) return error{error_code::no_reply_due, 0, 'y'};
  auto text = format_replycode(code, enhanced, lines);
  if (!text.ok()) return text.error;
  if (auto e = send(make_text(packet_kind::smfir_replycode, std::move(*text.value)))) return e;
  return finish_reply(packet_kind::smfir_replycode);
}

std::optional<error> filter_session::progress() {
  if (state_ == filter_state::closed) return error{error_code::session_closed, 0, 'p'};
  if (!pending_) return error{error_code::no_reply_due, 0, 'p'};
  return send(make(packet_kind::smfir_progress));
}

std::optional<error> filter_session::modify(const packet& m) {
  const char byte = info(m.kind).byte;
  if (state_ == filter_state::closed) return error{error_code::session_closed, 0, byte};
  if (!is_modification(m.kind)) return error{error_code::unexpected_packet, 0, byte};
  if (pending_ != packet_kind::smfic_bodyeob) return error{error_code::not_at_end_of_message, 0, byte};
  if ((agreed_.actions & info(m.kind).action) == 0) return error{error_code::action_not_negotiated, 0, byte};
  if (m.kind == packet_kind::smfir_replbody && m.data.size() > agreed_.max_payload) {
    // Several packets, as libmilter's smfi_replacebody does.
    std::string out;
    for (std::size_t i = 0; i < m.data.size(); i += body_chunk_size)
      if (auto e = encode(make_data(packet_kind::smfir_replbody, m.data.substr(i, body_chunk_size)), out,
                          encoder_options{agreed_.max_payload}))
        return e;
    out_ += out;
    return std::nullopt;
  }
  return send(m);
}

std::optional<std::string> filter_session::macro(std::string_view name) const {
  for (auto it = macros_.rbegin(); it != macros_.rend(); ++it)
    for (const auto& m : it->second)
      if (bare_macro_name(m.name) == bare_macro_name(name)) return m.value;
  return std::nullopt;
}

// ---- mta_session ------------------------------------------------------------------------------------

mta_session::mta_session(mta_options o) : opts_(o), dec_(direction::to_mta, decoder_options{o.max_payload}) {}

void mta_session::fail(error e) {
  if (state_ == mta_state::closed) return;
  failure_ = e;
  state_ = mta_state::closed;
  pending_.reset();
  chunks_.clear();
  mta_event ev;
  ev.kind = mta_event::type::error;
  ev.error = e;
  events_.push_back(std::move(ev));
}

outcome<send_status> mta_session::checked(packet_kind k) const {
  outcome<send_status> r;
  const char byte = info(k).byte;
  using ms = mta_state;
  if (state_ == ms::closed) r.error = error{error_code::session_closed, 0, byte};
  else if (pending_) r.error = error{error_code::reply_pending, 0, byte};
  else if (k != packet_kind::smfic_optneg && (state_ == ms::init || state_ == ms::negotiating))
    r.error = error{error_code::not_negotiated, 0, byte};
  if (r.error) return r;
  bool ok = false;
  switch (k) {
    case packet_kind::smfic_optneg: ok = state_ == ms::init; break;
    case packet_kind::smfic_connect: ok = state_ == ms::ready; break;
    case packet_kind::smfic_helo: ok = state_ == ms::connected || state_ == ms::helo; break;
    case packet_kind::smfic_mail:
      ok = state_ == ms::connected || state_ == ms::helo || state_ == ms::end_of_message;
      break;
    case packet_kind::smfic_rcpt: ok = state_ == ms::mail || state_ == ms::rcpt; break;
    case packet_kind::smfic_data: ok = state_ == ms::rcpt; break;
    case packet_kind::smfic_header:
    case packet_kind::smfic_eoh: ok = state_ == ms::rcpt || state_ == ms::data || state_ == ms::header; break;
    case packet_kind::smfic_body: ok = state_ == ms::eoh || state_ == ms::body; break;
    case packet_kind::smfic_bodyeob: ok = state_ >= ms::rcpt && state_ <= ms::body; break;
    case packet_kind::smfic_unknown:
    case packet_kind::smfic_abort: ok = state_ >= ms::connected && state_ <= ms::end_of_message; break;
    case packet_kind::smfic_quit: ok = true; break;
    case packet_kind::smfic_quit_nc:
      ok = state_ == ms::connected || state_ == ms::helo || state_ == ms::end_of_message;
      break;
    default: ok = false;
  }
  if (!ok) r.error = error{error_code::unexpected_packet, 0, byte};
  return r;
}

outcome<send_status> mta_session::command(packet&& p, mta_state next, std::span<const macro_pair> macros) {
  auto r = checked(p.kind);
  if (r.error) return r;
  const char byte = info(p.kind).byte;
  if (p.kind != packet_kind::smfic_optneg && !agreed_.sends(p.kind)) {
    state_ = next;
    r.value = send_status::skipped;
    return r;
  }
  std::string out;
  if (!macros.empty()) {
    auto chosen = select_macros(agreed_, byte, macros);
    if (!chosen.empty())
      if (auto e = encode(make_macro(byte, std::move(chosen)), out)) {
        r.error = e;
        return r;
      }
  }
  if (auto e = encode(p, out)) {
    r.error = e;
    return r;
  }
  out_ += out;
  const bool due = p.kind == packet_kind::smfic_optneg || agreed_.expects_reply(p.kind);
  if (due) pending_ = p.kind;
  state_ = next;
  r.value = due ? send_status::awaiting_reply : send_status::no_reply;
  return r;
}

outcome<send_status> mta_session::negotiate() {
  offer_ = make_optneg(direction::to_filter, opts_.version, opts_.actions, opts_.protocol);
  packet p = offer_;
  return command(std::move(p), mta_state::negotiating, {});
}

outcome<send_status> mta_session::connect(std::string_view hostname, char family, std::uint16_t port,
                                          std::string_view address, std::span<const macro_pair> macros) {
  return command(make_connect(std::string(hostname), family, port, std::string(address)), mta_state::connected, macros);
}
outcome<send_status> mta_session::helo(std::string_view name, std::span<const macro_pair> macros) {
  return command(make_text(packet_kind::smfic_helo, std::string(name)), mta_state::helo, macros);
}
outcome<send_status> mta_session::mail(std::span<const std::string> args, std::span<const macro_pair> macros) {
  auto r = command(make_args(packet_kind::smfic_mail, {args.begin(), args.end()}), mta_state::mail, macros);
  if (r.ok()) {
    mods_.clear();
    replbody_open_ = replbody_closed_ = false;
  }
  return r;
}
outcome<send_status> mta_session::rcpt(std::span<const std::string> args, std::span<const macro_pair> macros) {
  return command(make_args(packet_kind::smfic_rcpt, {args.begin(), args.end()}), mta_state::rcpt, macros);
}
outcome<send_status> mta_session::data(std::span<const macro_pair> macros) {
  return command(make(packet_kind::smfic_data), mta_state::data, macros);
}
outcome<send_status> mta_session::header(std::string_view name, std::string_view value,
                                         std::span<const macro_pair> macros) {
  return command(make_header(packet_kind::smfic_header, std::string(name), std::string(value)), mta_state::header,
                 macros);
}
outcome<send_status> mta_session::end_of_headers(std::span<const macro_pair> macros) {
  return command(make(packet_kind::smfic_eoh), mta_state::eoh, macros);
}
outcome<send_status> mta_session::body(std::string_view octets, std::span<const macro_pair> macros) {
  if (octets.empty()) {
    auto r = checked(packet_kind::smfic_body);
    if (!r.error) r.value = send_status::skipped;
    return r;
  }
  const std::size_t first = std::min<std::size_t>(octets.size(), body_chunk_size);
  auto r = command(make_data(packet_kind::smfic_body, std::string(octets.substr(0, first))), mta_state::body, macros);
  if (!r.ok() || *r.value == send_status::skipped) return r;
  for (std::size_t i = first; i < octets.size(); i += body_chunk_size)
    chunks_.emplace_back(octets.substr(i, body_chunk_size));
  // Without a reply to wait for, every chunk goes now.
  if (*r.value == send_status::no_reply)
    while (!chunks_.empty()) send_next_chunk();
  return r;
}
void mta_session::send_next_chunk() {
  std::string c = std::move(chunks_.front());
  chunks_.pop_front();
  (void)encode(make_data(packet_kind::smfic_body, std::move(c)), out_);  // chunk sizes are valid by construction
  if (agreed_.expects_reply(packet_kind::smfic_body)) pending_ = packet_kind::smfic_body;
}
outcome<send_status> mta_session::end_of_message(std::span<const macro_pair> macros) {
  return command(make_data(packet_kind::smfic_bodyeob, {}), mta_state::end_of_message, macros);
}
outcome<send_status> mta_session::unknown(std::string_view line, std::span<const macro_pair> macros) {
  return command(make_text(packet_kind::smfic_unknown, std::string(line)), state_, macros);
}
outcome<send_status> mta_session::abort() {
  const mta_state next = state_ >= mta_state::mail ? mta_state::helo : state_;
  auto r = command(make(packet_kind::smfic_abort), next, {});
  if (r.ok()) {
    mods_.clear();
    chunks_.clear();
    replbody_open_ = replbody_closed_ = false;
  }
  return r;
}
outcome<send_status> mta_session::quit() { return command(make(packet_kind::smfic_quit), mta_state::closed, {}); }
outcome<send_status> mta_session::quit_nc() { return command(make(packet_kind::smfic_quit_nc), mta_state::ready, {}); }

void mta_session::feed(std::string_view bytes) {
  if (state_ == mta_state::closed) return;
  dec_.feed(bytes);
  while (dec_.pending() > 0) {
    const std::size_t at = dec_.next_offset();
    on_packet(std::move(*dec_.next()), at);
    if (state_ == mta_state::closed) return;
  }
  if (dec_.failed()) fail(*dec_.error());
}

void mta_session::finish() {
  if (state_ == mta_state::closed) return;
  dec_.finish();
  if (dec_.failed()) return fail(*dec_.error());
  // A filter that closes while a reply is due: the MTA applies its default action.
  if (pending_) return fail(error{error_code::session_closed, dec_.consumed(), 0});
  state_ = mta_state::closed;
}

void mta_session::on_packet(packet&& p, std::size_t at) {
  const char byte = info(p.kind).byte;
  if (!pending_) return fail(error{error_code::unexpected_packet, at, byte});
  mta_event ev;
  ev.answers = *pending_;
  if (*pending_ == packet_kind::smfic_optneg || p.kind == packet_kind::smfir_optneg) {
    if (*pending_ != packet_kind::smfic_optneg || p.kind != packet_kind::smfir_optneg)
      return fail(error{error_code::unexpected_packet, at, byte});
    auto n = check_negotiation(offer_, p);
    if (!n.ok()) return fail(error{n.error->code, at, byte});
    agreed_ = std::move(*n.value);
    dec_.set_max_payload(std::max(agreed_.max_payload, opts_.max_payload));
    pending_.reset();
    state_ = mta_state::ready;
    ev.kind = mta_event::type::negotiated;
    ev.reply = std::move(p);
    events_.push_back(std::move(ev));
    return;
  }
  if (p.kind == packet_kind::smfir_progress) {
    ev.kind = mta_event::type::progress;
    ev.reply = std::move(p);
    events_.push_back(std::move(ev));
    return;
  }
  if (p.kind == packet_kind::smfir_conn_fail) return fail(error{error_code::conn_fail_reply, at, byte});
  if (p.kind == packet_kind::smfir_shutdown) {
    state_ = mta_state::closed;
    pending_.reset();
    ev.kind = mta_event::type::shutdown;
    ev.reply = std::move(p);
    events_.push_back(std::move(ev));
    return;
  }
  if (is_modification(p.kind)) {
    if (*pending_ != packet_kind::smfic_bodyeob) return fail(error{error_code::not_at_end_of_message, at, byte});
    if ((agreed_.actions & info(p.kind).action) == 0) return fail(error{error_code::action_not_negotiated, at, byte});
    // Postfix: REPLBODY packets must be consecutive.
    if (p.kind == packet_kind::smfir_replbody) {
      if (replbody_closed_) return fail(error{error_code::replbody_not_consecutive, at, byte});
      replbody_open_ = true;
    } else if (replbody_open_) {
      replbody_open_ = false;
      replbody_closed_ = true;
    }
    mods_.push_back(p);
    ev.kind = mta_event::type::modification;
    ev.reply = std::move(p);
    events_.push_back(std::move(ev));
    return;
  }
  // A final reply.
  if (p.kind == packet_kind::smfir_skip &&
      (*pending_ != packet_kind::smfic_body || (agreed_.offered_protocol & SMFIP_SKIP) == 0))
    return fail(error{error_code::skip_not_allowed, at, byte});
  const packet_kind cmd = *pending_;
  pending_.reset();
  if (p.kind == packet_kind::smfir_replycode) ev.problems = check_replycode(p.text);
  if (cmd == packet_kind::smfic_body) {
    if (p.kind == packet_kind::smfir_continue && !chunks_.empty()) send_next_chunk();
    else chunks_.clear();
  }
  // A negative answer to MAIL (or any ACCEPT) ends the transaction for this filter.
  const bool ends = p.kind == packet_kind::smfir_accept ||
                    (p.kind != packet_kind::smfir_continue && p.kind != packet_kind::smfir_skip &&
                     cmd != packet_kind::smfic_rcpt && cmd != packet_kind::smfic_connect &&
                     cmd != packet_kind::smfic_helo && cmd != packet_kind::smfic_unknown);
  if (ends && state_ >= mta_state::mail && state_ < mta_state::end_of_message) state_ = mta_state::helo;
  ev.kind = mta_event::type::reply;
  ev.reply = std::move(p);
  events_.push_back(std::move(ev));
}

std::optional<mta_event> mta_session::next_event() {
  if (events_.empty()) return std::nullopt;
  mta_event e = std::move(events_.front());
  events_.pop_front();
  return e;
}

std::string mta_session::take_output() { return std::exchange(out_, std::string()); }

}  // namespace smtpspec::milter
