// ICU answers for the WASM-vs-native parity test (wasm/test/icu.test.mjs). The same source is built
// natively against Debian's libicu and with em++ against the ICU compiled by cmake/icu-wasm.cmake;
// the test runs both and requires identical output. It exercises what smtpspec uses: UTS #46
// (IDNA2008 flags as RFC 5891 wants them, and UTS #46 defaults) and NFC/NFD, on
//   idna <IdnaTestV2.txt>        every source string of Unicode's IDNA test file (one line each)
//   norm <NormalizationTest.txt> every column of Unicode's normalization test file (one line each)
//   scalars                      every Unicode scalar value (one hash per 4,096 code points)
//   random <count>               pseudo-random strings, fixed seed, some ill-formed UTF-8 (one hash
//                                per 1,000 strings)
// A data item missing from the WASM data package shows up as a U_FILE_ACCESS_ERROR difference.
#include <unicode/normalizer2.h>
#include <unicode/uidna.h>
#include <unicode/unistr.h>
#include <unicode/bytestream.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace {

constexpr uint32_t idna2008_flags = UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE |
                                    UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ | UIDNA_CHECK_CONTEXTO |
                                    UIDNA_USE_STD3_RULES;

struct Idna {
  UIDNA* idna = nullptr;
  Idna(uint32_t flags) {
    UErrorCode ec = U_ZERO_ERROR;
    idna = uidna_openUTS46(flags, &ec);
    if (U_FAILURE(ec)) {
      std::printf("uidna_openUTS46 %s\n", u_errorName(ec));
      std::exit(1);
    }
  }
  ~Idna() { uidna_close(idna); }
};

void put_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void put_hex(std::string& out, const std::string& bytes) {
  static const char digits[] = "0123456789abcdef";
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
}

// One UTS #46 conversion: output bytes, UIDNAInfo.errors, the UErrorCode.
void idna_call(std::string& out, const Idna& idna, bool to_ascii, const std::string& in) {
  char buf[2048];
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  UErrorCode ec = U_ZERO_ERROR;
  const auto len = static_cast<int32_t>(in.size());
  int32_t n = to_ascii ? uidna_nameToASCII_UTF8(idna.idna, in.data(), len, buf, sizeof buf, &info, &ec)
                       : uidna_nameToUnicodeUTF8(idna.idna, in.data(), len, buf, sizeof buf, &info, &ec);
  out += ' ';
  if (U_SUCCESS(ec) && n >= 0 && n <= static_cast<int32_t>(sizeof buf)) {
    put_hex(out, std::string(buf, static_cast<size_t>(n)));
  } else {
    out += std::to_string(n);
  }
  out += ':' + std::to_string(info.errors) + ':' + u_errorName(ec);
}

// The UTF-8 normalization alone (the exhaustive scan's budget is a few seconds in WASM).
void norm_utf8(std::string& out, const icu::Normalizer2& norm, const std::string& in) {
  std::string result;
  icu::StringByteSink<std::string> sink(&result);
  UErrorCode ec = U_ZERO_ERROR;
  norm.normalizeUTF8(0, icu::StringPiece(in.data(), static_cast<int32_t>(in.size())), sink, nullptr, ec);
  out += ' ';
  put_hex(out, result);
  out += ':';
  out += u_errorName(ec);
}

void norm_call(std::string& out, const icu::Normalizer2& norm, const std::string& in) {
  std::string result;
  icu::StringByteSink<std::string> sink(&result);
  UErrorCode ec = U_ZERO_ERROR;
  norm.normalizeUTF8(0, icu::StringPiece(in.data(), static_cast<int32_t>(in.size())), sink, nullptr, ec);
  UErrorCode ec2 = U_ZERO_ERROR;
  const bool normalized =
      norm.isNormalizedUTF8(icu::StringPiece(in.data(), static_cast<int32_t>(in.size())), ec2);
  // The UTF-16 API too, on the same text.
  UErrorCode ec3 = U_ZERO_ERROR;
  icu::UnicodeString u16 = norm.normalize(icu::UnicodeString::fromUTF8(in), ec3);
  std::string back;
  u16.toUTF8String(back);
  out += ' ';
  put_hex(out, result);
  out += ':';
  out += u_errorName(ec);
  out += normalized ? ":y:" : ":n:";
  out += u_errorName(ec2);
  out += ':';
  out += back == result ? "=" : "!";
  out += u_errorName(ec3);
}

struct Env {
  Idna strict{idna2008_flags};
  Idna defaults{UIDNA_DEFAULT};
  const icu::Normalizer2* nfc = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  Env() {
    UErrorCode ec = U_ZERO_ERROR;
    nfc = icu::Normalizer2::getNFCInstance(ec);
    nfd = icu::Normalizer2::getNFDInstance(ec);
    if (U_FAILURE(ec)) {
      std::printf("Normalizer2 %s\n", u_errorName(ec));
      std::exit(1);
    }
  }
  void idna_all(std::string& out, const std::string& in) const {
    idna_call(out, strict, true, in);
    idna_call(out, strict, false, in);
    idna_call(out, defaults, true, in);
    idna_call(out, defaults, false, in);
  }
  void norm_all(std::string& out, const std::string& in) const {
    norm_call(out, *nfc, in);
    norm_call(out, *nfd, in);
  }
};

uint64_t fnv1a(uint64_t h, const std::string& s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}
constexpr uint64_t fnv_basis = 0xcbf29ce484222325ULL;

// IdnaTestV2.txt's first field, with its \uXXXX and \x{X…} escapes.
std::string unescape(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 1 < field.size() && field[i + 1] == 'u' && i + 5 < field.size()) {
      put_utf8(out, static_cast<uint32_t>(std::stoul(field.substr(i + 2, 4), nullptr, 16)));
      i += 5;
    } else if (field[i] == '\\' && i + 2 < field.size() && field[i + 1] == 'x' && field[i + 2] == '{') {
      const size_t close = field.find('}', i);
      put_utf8(out, static_cast<uint32_t>(std::stoul(field.substr(i + 3, close - i - 3), nullptr, 16)));
      i = close;
    } else {
      out += field[i];
    }
  }
  return out;
}

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(' ');
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

int run_idna(const Env& env, const char* path) {
  std::ifstream in(path);
  if (!in) return std::printf("cannot read %s\n", path), 1;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    std::string out = "idna " + std::to_string(lineno);
    env.idna_all(out, unescape(trim(line.substr(0, line.find(';')))));
    std::puts(out.c_str());
  }
  return 0;
}

int run_norm(const Env& env, const char* path) {
  std::ifstream in(path);
  if (!in) return std::printf("cannot read %s\n", path), 1;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#' || line[0] == '@') continue;
    std::string out = "norm " + std::to_string(lineno);
    size_t start = 0;
    for (int column = 0; column < 5; ++column) {
      const size_t end = line.find(';', start);
      std::string text;
      size_t p = start;
      while (p < end) {
        while (p < end && line[p] == ' ') ++p;
        if (p >= end) break;
        size_t q = p;
        while (q < end && line[q] != ' ') ++q;
        put_utf8(text, static_cast<uint32_t>(std::stoul(line.substr(p, q - p), nullptr, 16)));
        p = q;
      }
      env.norm_all(out, text);
      start = end + 1;
    }
    std::puts(out.c_str());
  }
  return 0;
}

int run_scalars(const Env& env) {
  uint64_t h = fnv_basis;
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp < 0xD800 || cp > 0xDFFF) {
      std::string s;
      put_utf8(s, cp);
      std::string out;
      norm_utf8(out, *env.nfc, s);
      norm_utf8(out, *env.nfd, s);
      idna_call(out, env.strict, true, "a" + s + "b.example");
      h = fnv1a(h, out);
    }
    if ((cp & 0xFFF) == 0xFFF) {
      std::printf("scalars %04X %016llx\n", cp & ~0xFFFu, static_cast<unsigned long long>(h));
      h = fnv_basis;
    }
  }
  return 0;
}

// Strings mixing the scripts and characters that IDNA and NFC treat specially.
int run_random(const Env& env, long count) {
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  static const uint32_t ranges[][2] = {
      {'a', 'z'},       {'0', '9'},       {'-', '.'},       {0x3002, 0x3002}, {0xFF0E, 0xFF0E},
      {0x0300, 0x036F}, {0x1100, 0x11FF}, {0xAC00, 0xD7A3}, {0x05D0, 0x05EA}, {0x0620, 0x064A},
      {0x0660, 0x0669}, {0x06F0, 0x06F9}, {0x200C, 0x200D}, {0x00DF, 0x00DF}, {0x03C2, 0x03C3},
      {0x0370, 0x03FF}, {0x0400, 0x04FF}, {0x4E00, 0x4E80}, {0x1F600, 0x1F64F}, {0x0900, 0x097F},
      {0x0E00, 0x0E7F}, {0x00B7, 0x00B7}, {0x0375, 0x0375}, {0x30FB, 0x30FB}, {'A', 'Z'},
      {0x0000, 0x10FFFF}};
  constexpr size_t nranges = sizeof ranges / sizeof ranges[0];
  uint64_t h = fnv_basis;
  for (long i = 0; i < count; ++i) {
    std::string s;
    const auto len = 1 + next() % 24;
    for (uint64_t k = 0; k < len; ++k) {
      const uint64_t r = next();
      if (r % 50 == 0) {  // a stray byte: truncated, overlong, surrogate and other ill-formed UTF-8
        s += static_cast<char>(0x80 + (r >> 8) % 0x80);
        continue;
      }
      const auto& range = ranges[(r >> 8) % nranges];
      uint32_t cp = range[0] + static_cast<uint32_t>((r >> 16) % (range[1] - range[0] + 1));
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      put_utf8(s, cp);
    }
    std::string out;
    env.idna_all(out, s);
    env.norm_all(out, s);
    h = fnv1a(h, out);
    if (i % 1000 == 999 || i + 1 == count) {
      std::printf("random %ld %016llx\n", i / 1000, static_cast<unsigned long long>(h));
      h = fnv_basis;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return std::puts("usage: icu_probe idna FILE | norm FILE | scalars | random COUNT"), 2;
  const Env env;
  const std::string mode = argv[1];
  if (mode == "idna" && argc == 3) return run_idna(env, argv[2]);
  if (mode == "norm" && argc == 3) return run_norm(env, argv[2]);
  if (mode == "scalars") return run_scalars(env);
  if (mode == "random" && argc == 3) return run_random(env, std::atol(argv[2]));
  return std::puts("bad arguments"), 2;
}
