#!/usr/bin/env bash
# The JavaScript stage: builds the npm package with Emscripten (CMake preset "wasm", into
# build/wasm; the package is assembled in build/wasm/npm) and runs wasm/test/*.test.mjs with
# node --test: API units, the shared conformance vectors, and npm pack + install + use.
# SMTPSPEC_CONFORMANCE_OUT / SMTPSPEC_CONFORMANCE_OUT_DIR pass through to the conformance runner.
# Prints the progress as dots, any failing tests in full, then node's summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}  # em++ needs acorn (TOOLCHAIN.md)

cmake --preset wasm >/dev/null
cmake --build --preset wasm

export SMTPSPEC_NPM_DIR=$root/build/wasm/npm
log=$root/build/wasm/node-test.log
status=0
node --test --test-reporter=dot --test-reporter-destination=stdout \
  --test-reporter=spec --test-reporter-destination="$log" \
  wasm/test/*.test.mjs || status=$?
echo  # the dot reporter has listed any failures in full; the counts come from the spec log
grep -E '^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$log" || tail -n 12 "$log"
exit "$status"
