#!/usr/bin/env bash
# The JavaScript stage: builds the npm package with Emscripten (CMake preset "wasm", into
# build/wasm, or $SMTPSPEC_WASM_BUILD_DIR; the package is assembled in <build>/npm) and runs wasm/test/*.test.mjs with
# node --test: API units, the shared conformance vectors, and npm pack + install + use.
# SMTPSPEC_CONFORMANCE_OUT / SMTPSPEC_CONFORMANCE_OUT_DIR pass through to the conformance runner.
# Prints the progress as dots, any failing tests in full, then node's summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}  # em++ needs acorn (TOOLCHAIN.md)

build=${SMTPSPEC_WASM_BUILD_DIR:-$root/build/wasm}
if [ "$build" = "$root/build/wasm" ]; then
  cmake --preset wasm >/dev/null
else  # the same settings as the preset, in another directory
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE=/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake >/dev/null
fi
cmake --build "$build"

export SMTPSPEC_NPM_DIR=$build/npm
log=$build/node-test.log
status=0
node --test --test-reporter=dot --test-reporter-destination=stdout \
  --test-reporter=spec --test-reporter-destination="$log" \
  wasm/test/*.test.mjs || status=$?
echo  # the dot reporter has listed any failures in full; the counts come from the spec log
grep -E '^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$log" || tail -n 12 "$log"
exit "$status"
