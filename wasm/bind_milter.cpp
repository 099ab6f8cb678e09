// smtpspec — the native half of smtpspec/milter (npm/milter.js): the milter codec and both session
// helpers. Answers are the core's canonical JSON (conformance/README.md, "Milter"), which milter.js
// JSON.parse()s, so JS and C++ agree by construction; wire bytes go out as Uint8Array copies.
// Sessions and decoders live in tables keyed by small integers that milter.js frees.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "handles.hpp"
#include "smtpspec/milter.hpp"

namespace {

namespace mi = smtpspec::milter;
using emscripten::val;

val bytes_out(const std::string& s) {
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(s.size(), reinterpret_cast<const std::uint8_t*>(s.data())));
}
std::string error_json(const std::optional<mi::error>& e) { return e ? mi::to_json(*e) : "null"; }

std::optional<mi::packet_kind> kind_by_name(const std::string& name) {
  for (const auto& p : mi::packet_catalogue())
    if (p.name == name) return p.kind;
  return std::nullopt;
}

// Octets of a field: a Uint8Array/ArrayBuffer or a string (embind encodes strings as UTF-8).
std::string octets(const val& v) { return v.isUndefined() || v.isNull() ? std::string() : v.as<std::string>(); }
bool has(const val& o, const char* k) { return !o[k].isUndefined() && !o[k].isNull(); }

// A packet from a JS object shaped like its canonical JSON ({type, …fields}); data may be octets.
// Returns nullopt for an unknown type or a field of the wrong kind (milter.js checks types first).
std::optional<mi::packet> packet_of(const val& o) {
  if (!o["type"].isString()) return std::nullopt;
  auto k = kind_by_name(o["type"].as<std::string>());
  if (!k) return std::nullopt;
  mi::packet p = mi::make(*k);
  const auto& pi = mi::info(*k);
  switch (pi.shape) {
    case mi::payload_shape::empty: break;
    case mi::payload_shape::optneg:
      p.version = o["version"].as<std::uint32_t>();
      p.actions = o["actions"].as<std::uint32_t>();
      p.protocol = o["protocol"].as<std::uint32_t>();
      if (has(o, "symbol_lists")) {
        const auto n = o["symbol_lists"]["length"].as<unsigned>();
        for (unsigned i = 0; i < n; ++i) {
          const val l = o["symbol_lists"][i];
          p.symbol_lists.push_back({l["stage"].as<std::uint32_t>(), octets(l["macros"])});
        }
      }
      break;
    case mi::payload_shape::macro: {
      const std::string st = octets(o["stage"]);
      if (st.size() != 1) return std::nullopt;
      p.stage = st[0];
      if (has(o, "macros")) {
        const auto n = o["macros"]["length"].as<unsigned>();
        for (unsigned i = 0; i < n; ++i) p.macros.push_back({octets(o["macros"][i]["name"]), octets(o["macros"][i]["value"])});
      }
      break;
    }
    case mi::payload_shape::connect: {
      p.hostname = octets(o["hostname"]);
      const std::string f = octets(o["family"]);
      if (f.size() != 1) return std::nullopt;
      p.family = f[0];
      if (has(o, "port")) p.port = static_cast<std::uint16_t>(o["port"].as<unsigned>());
      p.address = octets(o["address"]);
      break;
    }
    case mi::payload_shape::text: p.text = octets(o[std::string(pi.text_key).c_str()]); break;
    case mi::payload_shape::text_args:
      p.text = octets(o[std::string(pi.text_key).c_str()]);
      if (has(o, "esmtp_args")) p.esmtp_args = octets(o["esmtp_args"]);
      break;
    case mi::payload_shape::args: {
      const auto n = has(o, "args") ? o["args"]["length"].as<unsigned>() : 0U;
      for (unsigned i = 0; i < n; ++i) p.args.push_back(octets(o["args"][i]));
      break;
    }
    case mi::payload_shape::index_header:
      p.index = o["index"].as<std::uint32_t>();
      [[fallthrough]];
    case mi::payload_shape::header:
      p.name = octets(o["name"]);
      p.value = octets(o["value"]);
      break;
    case mi::payload_shape::bytes: p.data = octets(o["data"]); break;
  }
  return p;
}

std::string bad_packet_json() { return mi::to_json(mi::error{mi::error_code::invalid_field, 0, 0}); }

// ---- codec ----------------------------------------------------------------------------------------

std::string decode_json(const std::string& bytes, const std::string& direction, std::uint32_t max_payload) {
  const mi::decoder_options o{max_payload};
  if (direction == "conversation") return mi::to_json(mi::decode_conversation(bytes, o));
  return mi::to_json(mi::decode_all(direction == "to_mta" ? mi::direction::to_mta : mi::direction::to_filter, bytes, o));
}

// [Uint8Array | null, error JSON | "null"]
val encode(const val& packet, std::uint32_t max_payload) {
  val out = val::array();
  auto p = packet_of(packet);
  if (!p) {
    out.call<void>("push", val::null(), val(bad_packet_json()));
    return out;
  }
  auto r = mi::encode(*p, mi::encoder_options{max_payload});
  out.call<void>("push", r.ok() ? bytes_out(*r.value) : val::null(), val(error_json(r.error)));
  return out;
}

std::string check_replycode_json(const std::string& text) {
  return mi::to_json(mi::make_text(mi::packet_kind::smfir_replycode, text));
}

std::string format_replycode_json(int code, const std::string& enhanced, const val& lines) {
  std::optional<smtpspec::enhanced_status> st;
  if (!enhanced.empty()) {
    auto s = smtpspec::parse_enhanced_status(enhanced);
    if (!s.ok()) return "{\"text\":null,\"error\":" + mi::to_json(mi::error{mi::error_code::invalid_replycode, 0, 'y'}) + "}";
    st = s.value();
  }
  std::vector<std::string> owned = emscripten::vecFromJSArray<std::string>(lines);
  std::vector<std::string_view> views(owned.begin(), owned.end());
  auto r = mi::format_replycode(code, st, views);
  if (!r.ok()) return "{\"text\":null,\"error\":" + error_json(r.error) + "}";
  mi::packet p = mi::make_text(mi::packet_kind::smfir_replycode, *r.value);
  return "{\"text\":" + mi::to_json(p) + ",\"error\":null}";
}

std::string catalogue_json() { return mi::catalogue_json(); }

// ---- handles ----------------------------------------------------------------------------------------

using smtpspec_wasm::table;  // wasm/handles.hpp
table<mi::decoder>& decoders() { static table<mi::decoder> t; return t; }
table<mi::filter_session>& filters() { static table<mi::filter_session> t; return t; }
table<mi::mta_session>& mtas() { static table<mi::mta_session> t; return t; }

int decoder_new(const std::string& direction, std::uint32_t max_payload) {
  return decoders().add(std::make_unique<mi::decoder>(
      direction == "to_mta" ? mi::direction::to_mta : mi::direction::to_filter, mi::decoder_options{max_payload}));
}
// {"packets":[…], "error":…} for what this feed completed (the error once it is known).
std::string decoder_feed(int id, const std::string& bytes, bool finish) {
  auto* d = decoders().get(id);
  if (!d) return "null";
  d->feed(bytes);
  if (finish) d->finish();
  mi::decoded_stream s;
  while (auto p = d->next()) s.packets.push_back(std::move(*p));
  s.error = d->error();
  return mi::to_json(s);
}
void decoder_free(int id) { decoders().items.erase(id); }

int filter_new(std::uint32_t version, std::uint32_t actions, std::uint32_t protocol, const val& symbol_lists,
               std::uint32_t max_payload) {
  mi::filter_options o;
  o.version = version;
  o.actions = actions;
  o.protocol = protocol;
  o.max_payload = max_payload;
  const auto n = symbol_lists["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i)
    o.symbol_lists.push_back({symbol_lists[i][0].as<std::uint32_t>(), octets(symbol_lists[i][1])});
  return filters().add(std::make_unique<mi::filter_session>(std::move(o)));
}
std::string events_json(mi::filter_session& s) {
  std::string out = "[";
  while (auto e = s.next_event()) {
    if (out.size() > 1) out += ',';
    out += mi::to_json(*e);
  }
  return out + "]";
}
std::string filter_feed(int id, const std::string& bytes, bool finish) {
  auto* s = filters().get(id);
  if (!s) return "[]";
  if (finish) s->finish();
  else s->feed(bytes);
  return events_json(*s);
}
std::string filter_reply(int id, const std::string& type) {
  auto* s = filters().get(id);
  auto k = kind_by_name(type);
  if (!s || !k) return bad_packet_json();
  return error_json(s->reply(*k));
}
std::string filter_reply_code(int id, int code, const std::string& enhanced, const val& lines) {
  auto* s = filters().get(id);
  if (!s) return bad_packet_json();
  std::optional<smtpspec::enhanced_status> st;
  if (!enhanced.empty()) {
    auto e = smtpspec::parse_enhanced_status(enhanced);
    if (!e.ok()) return mi::to_json(mi::error{mi::error_code::invalid_replycode, 0, 'y'});
    st = e.value();
  }
  std::vector<std::string> owned = emscripten::vecFromJSArray<std::string>(lines);
  std::vector<std::string_view> views(owned.begin(), owned.end());
  return error_json(s->reply_code(code, st, views));
}
std::string filter_progress(int id) {
  auto* s = filters().get(id);
  return s ? error_json(s->progress()) : bad_packet_json();
}
std::string filter_modify(int id, const val& packet) {
  auto* s = filters().get(id);
  auto p = packet_of(packet);
  if (!s || !p) return bad_packet_json();
  return error_json(s->modify(*p));
}
val filter_take_output(int id) {
  auto* s = filters().get(id);
  return bytes_out(s ? s->take_output() : std::string());
}
std::string filter_status(int id) {
  auto* s = filters().get(id);
  if (!s) return "null";
  return std::string("{\"state\":\"") + std::string(mi::to_string(s->state())) + "\",\"closed\":" +
         (s->closed() ? "true" : "false") + ",\"reply_due\":" + (s->reply_due() ? "true" : "false") +
         ",\"agreed\":" + mi::to_json(s->agreed()) + ",\"failure\":" + error_json(s->failure()) + "}";
}
std::string filter_macro(int id, const std::string& name) {
  auto* s = filters().get(id);
  if (!s) return "null";
  auto v = s->macro(name);
  if (!v) return "null";
  // A JSON string, written by the core's writer (through a packet of one text field).
  return mi::to_json(mi::make_text(mi::packet_kind::smfic_helo, *v));
}
void filter_free(int id) { filters().items.erase(id); }

int mta_new(std::uint32_t version, std::uint32_t actions, std::uint32_t protocol, std::uint32_t max_payload) {
  return mtas().add(std::make_unique<mi::mta_session>(mi::mta_options{version, actions, protocol, max_payload}));
}
std::string sent_json(const mi::outcome<mi::send_status>& r) {
  static constexpr const char* names[] = {"awaiting_reply", "no_reply", "skipped"};
  if (r.ok()) return std::string("{\"status\":\"") + names[static_cast<int>(*r.value)] + "\",\"error\":null}";
  return "{\"status\":null,\"error\":" + error_json(r.error) + "}";
}
std::vector<mi::macro_pair> macros_of(const val& a) {
  std::vector<mi::macro_pair> out;
  if (a.isUndefined() || a.isNull()) return out;
  const auto n = a["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) out.push_back({octets(a[i][0]), octets(a[i][1])});
  return out;
}
std::vector<std::string> strings_of(const val& a) {
  std::vector<std::string> out;
  const auto n = a["length"].as<unsigned>();
  for (unsigned i = 0; i < n; ++i) out.push_back(octets(a[i]));
  return out;
}
// One entry point for every command: `a` holds the command's arguments by name (milter.js).
std::string mta_command(int id, const std::string& cmd, const val& a) {
  auto* s = mtas().get(id);
  if (!s) return sent_json({std::nullopt, mi::error{mi::error_code::session_closed, 0, 0}});
  const auto m = macros_of(a["macros"]);
  if (cmd == "negotiate") return sent_json(s->negotiate());
  if (cmd == "connect") {
    const std::string f = octets(a["family"]);
    if (f.size() != 1) return sent_json({std::nullopt, mi::error{mi::error_code::unknown_family, 0, 'C'}});
    return sent_json(s->connect(octets(a["hostname"]), f[0], static_cast<std::uint16_t>(a["port"].as<unsigned>()),
                                octets(a["address"]), m));
  }
  if (cmd == "helo") return sent_json(s->helo(octets(a["name"]), m));
  if (cmd == "mail") return sent_json(s->mail(strings_of(a["args"]), m));
  if (cmd == "rcpt") return sent_json(s->rcpt(strings_of(a["args"]), m));
  if (cmd == "data") return sent_json(s->data(m));
  if (cmd == "header") return sent_json(s->header(octets(a["name"]), octets(a["value"]), m));
  if (cmd == "end_of_headers") return sent_json(s->end_of_headers(m));
  if (cmd == "body") return sent_json(s->body(octets(a["octets"]), m));
  if (cmd == "end_of_message") return sent_json(s->end_of_message(m));
  if (cmd == "unknown") return sent_json(s->unknown(octets(a["line"]), m));
  if (cmd == "abort") return sent_json(s->abort());
  if (cmd == "quit") return sent_json(s->quit());
  if (cmd == "quit_nc") return sent_json(s->quit_nc());
  return sent_json({std::nullopt, mi::error{mi::error_code::unexpected_packet, 0, 0}});
}
std::string mta_feed(int id, const std::string& bytes, bool finish) {
  auto* s = mtas().get(id);
  if (!s) return "[]";
  if (finish) s->finish();
  else s->feed(bytes);
  std::string out = "[";
  while (auto e = s->next_event()) {
    if (out.size() > 1) out += ',';
    out += mi::to_json(*e);
  }
  return out + "]";
}
val mta_take_output(int id) {
  auto* s = mtas().get(id);
  return bytes_out(s ? s->take_output() : std::string());
}
std::string mta_status(int id) {
  auto* s = mtas().get(id);
  if (!s) return "null";
  std::string mods = "[";
  for (const auto& p : s->modifications()) {
    if (mods.size() > 1) mods += ',';
    mods += mi::to_json(p);
  }
  mods += "]";
  return std::string("{\"state\":\"") + std::string(mi::to_string(s->state())) + "\",\"closed\":" +
         (s->closed() ? "true" : "false") + ",\"awaiting_reply\":" + (s->awaiting_reply() ? "true" : "false") +
         ",\"agreed\":" + mi::to_json(s->agreed()) + ",\"failure\":" + error_json(s->failure()) +
         ",\"modifications\":" + mods + "}";
}
void mta_free(int id) { mtas().items.erase(id); }

}  // namespace

EMSCRIPTEN_BINDINGS(smtpspec_milter) {
  using emscripten::function;
  function("milterCatalogueJson", &catalogue_json);
  function("milterDecodeJson", &decode_json);
  function("milterEncode", &encode);
  function("milterCheckReplycodeJson", &check_replycode_json);
  function("milterFormatReplycodeJson", &format_replycode_json);
  function("milterDecoderNew", &decoder_new);
  function("milterDecoderFeed", &decoder_feed);
  function("milterDecoderFree", &decoder_free);
  function("milterFilterNew", &filter_new);
  function("milterFilterFeed", &filter_feed);
  function("milterFilterReply", &filter_reply);
  function("milterFilterReplyCode", &filter_reply_code);
  function("milterFilterProgress", &filter_progress);
  function("milterFilterModify", &filter_modify);
  function("milterFilterTakeOutput", &filter_take_output);
  function("milterFilterStatus", &filter_status);
  function("milterFilterMacro", &filter_macro);
  function("milterFilterFree", &filter_free);
  function("milterMtaNew", &mta_new);
  function("milterMtaCommand", &mta_command);
  function("milterMtaFeed", &mta_feed);
  function("milterMtaTakeOutput", &mta_take_output);
  function("milterMtaStatus", &mta_status);
  function("milterMtaFree", &mta_free);
}
