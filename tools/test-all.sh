#!/usr/bin/env bash
# Every test of every target, in order, stopping at the first failure:
#   native   dev preset (-Werror) build + ctest
#   asan     ASan+UBSan build + ctest (the whole native suite)
#   install  tests/install/run.sh: find_package and pkg-config consumers of an installed copy
#   wasm     wasm/test.sh (Emscripten build + node --test)
#   python   python-bindings/test.sh (pybind11 module + pytest)
#   peers    tests/peers/run.sh: the milter codec against Postfix, miltertest, OpenDKIM and pymilter
#   serve    tests/serve/run.sh: `smtpspec serve` (dev build) against swaks, smtplib, smtp-source, bad input
#   parity   the three conformance runners' outputs must be byte-identical
# Prints a banner and the elapsed seconds per stage, and ends with "N passed, M failed".
# Assumes tools/setup.sh has run (bash tools/dev.sh test does both).
#
# Conformance outputs: SMTPSPEC_CONFORMANCE_OUT_DIR names a directory; each runner writes
# <dir>/<surface>.jsonl (surface = native, wasm, python). While a surface's stage runs,
# SMTPSPEC_CONFORMANCE_OUT also names that same file (the variable conformance/README.md uses).
set -uo pipefail
export LC_NUMERIC=C  # $EPOCHREALTIME must use "." for the timings
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Every runner must find the shared vectors here; without this a missing manifest only skips.
export SMTPSPEC_REQUIRE_VECTORS=1
export SMTPSPEC_CONFORMANCE_OUT_DIR=$root/build/conformance
rm -rf "$SMTPSPEC_CONFORMANCE_OUT_DIR"  # never compare a previous run's files
mkdir -p "$SMTPSPEC_CONFORMANCE_OUT_DIR"
out_for() { echo "$SMTPSPEC_CONFORMANCE_OUT_DIR/$1.jsonl"; }

SKIP=77  # a stage function returns this when its surface does not exist yet
passed=0 failed=0
skipped=() report=() ran=()

stage_native() {
  cmake --preset dev
  cmake --build --preset dev
  SMTPSPEC_CONFORMANCE_OUT=$(out_for native) ctest --preset dev
}

stage_asan() {
  cmake --preset asan
  cmake --build --preset asan
  # native.jsonl comes from the dev build; the sanitizer run only has to pass.
  env -u SMTPSPEC_CONFORMANCE_OUT_DIR ctest --preset asan
}

stage_install() {
  bash tests/install/run.sh build/dev
}

# ---- WASM stage (owned by the WASM work; this is only the hook) --------------------------------
stage_wasm() {
  export NODE_PATH=/usr/share/nodejs  # em++ cannot find acorn without it (TOOLCHAIN.md)
  export SMTPSPEC_CONFORMANCE_OUT; SMTPSPEC_CONFORMANCE_OUT=$(out_for wasm)
  if [ -f wasm/test.sh ]; then
    bash wasm/test.sh
  elif [ -f wasm/CMakeLists.txt ] && [ -f wasm/npm/package.json ]; then
    cmake --preset wasm
    cmake --build --preset wasm
    (cd wasm/npm && npm test)
  else
    echo "no wasm/test.sh (nor wasm/CMakeLists.txt with wasm/npm/package.json) yet"
    return $SKIP
  fi
}

# ---- Python stage (owned by the Python work; this is only the hook) ----------------------------
stage_python() {
  if [ ! -f python-bindings/test.sh ]; then
    echo "no python-bindings/test.sh yet"
    return $SKIP
  fi
  SMTPSPEC_CONFORMANCE_OUT=$(out_for python) bash python-bindings/test.sh
}

# ---- Peers stage (owned by the milter peers work) ----------------------------------------------
# Links against the dev build (installed into build/peers/prefix) and uses the Python and npm
# packages the two stages above built; every surface is required here.
stage_peers() {
  SMTPSPEC_PEERS_LIB_BUILD=build/dev SMTPSPEC_PEERS_LANGS=cpp,python,node bash tests/peers/run.sh
}

# ---- Serve stage (owned by the serve-tests work) ------------------------------------------------
# The dev build's CLI against real clients on 127.0.0.1 (no network; ~1-2 min on 2 cores).
stage_serve() {
  SMTPSPEC_SERVE_BIN=build/dev/tools/smtpspec bash tests/serve/run.sh
}

stage_parity() {
  local s missing=0
  if [[ " ${ran[*]} " != *" wasm "* || " ${ran[*]} " != *" python "* ]]; then
    echo "not every surface's stage ran; nothing to compare"
    return $SKIP
  fi
  for s in native wasm python; do
    if [ ! -s "$(out_for "$s")" ]; then
      echo "missing or empty: $(out_for "$s") (does that runner honour SMTPSPEC_CONFORMANCE_OUT_DIR?)"
      missing=1
    fi
  done
  ((missing == 0)) || return 1
  for s in wasm python; do
    if ! cmp "$(out_for native)" "$(out_for "$s")"; then
      diff "$(out_for native)" "$(out_for "$s")" | head -n 20
      return 1
    fi
  done
  echo "native, wasm and python gave identical canonical JSON ($(wc -l <"$(out_for native)") vectors)"
}

summary() {
  echo
  printf '%s\n' "${report[@]}"
  awk -v a="$total_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "total             %7.1fs\n", b - a }'
  ((${#skipped[@]} == 0)) || echo "skipped: ${skipped[*]}"
  echo "$passed passed, $failed failed"
}

run_stage() {
  local name=$1 fn=$2 start rc secs
  echo
  echo "==================== stage: $name ===================="
  start=$EPOCHREALTIME
  (set -e; "$fn")  # a subshell, so set -e applies inside the stage and a failure stays here
  rc=$?
  secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  if ((rc == 0)); then
    passed=$((passed + 1)) ran+=("$name")
    report+=("$(printf '%-8s passed   %7ss' "$name" "$secs")")
    echo "==================== $name: passed in ${secs}s ===================="
  elif ((rc == SKIP)); then
    skipped+=("$name")
    report+=("$(printf '%-8s skipped  %7ss' "$name" "$secs")")
    echo "==================== $name: skipped ===================="
  else
    failed=$((failed + 1))
    report+=("$(printf '%-8s FAILED   %7ss (exit %d)' "$name" "$secs" "$rc")")
    echo "==================== $name: FAILED (exit $rc) after ${secs}s ===================="
    summary
    exit 1
  fi
}

total_start=$EPOCHREALTIME
run_stage native stage_native
run_stage asan stage_asan
run_stage install stage_install
run_stage wasm stage_wasm
run_stage python stage_python
run_stage peers stage_peers
run_stage serve stage_serve
run_stage parity stage_parity
summary
