// smtpspec — the native half of the JS transcript readers (npm/transcript.js). Answers are the
// core's canonical JSON (conformance/README.md, "Transcripts"), which transcript.js JSON.parse()s,
// so JS and C++ agree by construction.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>

#include "smtpspec/transcript.hpp"

namespace tr = smtpspec::transcript;

namespace smtpspec_wasm {

// format: a catalogue name, or "" to detect (transcript.js checks the name first). Also used by the
// streaming reader in bind_lint.cpp.
tr::options transcript_options_of(const std::string& format, double max_line, double max_messages, double max_held) {
  tr::options o;
  if (!format.empty()) o.fmt = tr::format_from_name(format);
  // -1: the default (transcript.js passes -1 for an option not given).
  if (max_line >= 0) o.max_line = static_cast<std::size_t>(max_line);
  if (max_messages >= 0) o.max_messages = static_cast<std::size_t>(max_messages);
  if (max_held >= 0) o.max_held = static_cast<std::size_t>(max_held);
  return o;
}

}  // namespace smtpspec_wasm

namespace {

std::string read_json(const std::string& text, const std::string& format, double max_line, double max_messages,
                      double max_held) {
  return tr::to_json(tr::read(text, smtpspec_wasm::transcript_options_of(format, max_line, max_messages, max_held)));
}

std::string detect_json(const std::string& text) { return tr::to_json(tr::detect_format(text)); }
std::string catalogue_json() { return tr::catalogue_json(); }

}  // namespace

EMSCRIPTEN_BINDINGS(smtpspec_transcript) {
  using emscripten::function;
  function("transcriptReadJson", &read_json);
  function("transcriptDetectJson", &detect_json);
  function("transcriptCatalogueJson", &catalogue_json);
}
