#!/usr/bin/env bash
# Installs everything smtpspec needs on Debian 12 (bookworm), as root. Idempotent: a second run
# only checks. C++ dependencies come from Debian; JS dev tools from npm (lock file); Python test
# tools from Debian.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

debs=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  tao-pegtl-dev libicu-dev icu-devtools
  libgtest-dev googletest librapidcheck-dev libbenchmark-dev
  pybind11-dev python3-pybind11 python3-dev python3-pytest python3-venv python3-pip
  emscripten binaryen node-acorn
  clang-14 libclang-rt-14-dev libfuzzer-14-dev llvm-14
  nlohmann-json3-dev libcli11-dev
  dpkg-dev
  # Real peers for the integration tests (milter, server): Postfix (smtpd, smtp-source,
  # smtp-sink), swaks (with Net::SSLeay for --tls), OpenDKIM, miltertest, pymilter; Asio and
  # OpenSSL for `smtpspec serve`; aiosmtpd as a benchmark peer (bench/serve).
  postfix swaks libnet-ssleay-perl opendkim opendkim-tools miltertest python3-milter libmilter-dev
  libasio-dev libssl-dev openssl python3-aiosmtpd
  # The browser playground's end-to-end test (wasm/test/playground.test.mjs), driven by playwright-core.
  chromium
)

missing=()
for p in "${debs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# JS dev tools for the npm package's tests, pinned by wasm/npm/package-lock.json; again when a dev
# dependency was added since the last install.
npm_missing() {
  (cd "$here/wasm/npm" && node -e '
    const fs = require("fs");
    const dev = Object.keys(require("./package.json").devDependencies ?? {});
    process.exit(dev.every((d) => fs.existsSync(`node_modules/${d}/package.json`)) ? 1 : 0);')
}
if [ -f "$here/wasm/npm/package-lock.json" ] && npm_missing; then
  (cd "$here/wasm/npm" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: ok" >&2
