#!/usr/bin/env bash
# Runs the smtpspec benchmarks and the same workloads (bench/data/) through the peers, in one run,
# and prints one Markdown table (also written to bench/results.md). Run by hand; not a test.
#
#   bench/run.sh
#
# Peers are installed from their registries (crates.io, the Go module proxy, npm, PyPI) into a
# scratch directory, never into the repository: SMTPSPEC_BENCH_SCRATCH (default /tmp/smtpspec-bench).
# A peer that cannot be built or installed becomes an "unavailable: <reason>" row.
# The WASM and Python rows appear when build/wasm/npm and build/python/python-bindings exist
# (override with SMTPSPEC_WASM_PKG / SMTPSPEC_PYTHON_PATH).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=$root/bench
data=$bench/data
scratch=${SMTPSPEC_BENCH_SCRATCH:-/tmp/smtpspec-bench}
py=/usr/bin/python3  # Debian's interpreter: the report uses only its standard library
mkdir -p "$scratch"
rows=$scratch/rows.jsonl
: >"$rows"
rm -f "$scratch"/native.json "$scratch"/surface-*.txt "$scratch"/callgrind.md "$scratch"/peer-instructions.txt

log() { echo "bench: $*" >&2; }
# unavailable IMPL LANG REASON: records a row instead of aborting the run.
unavailable() {
  "$py" -c 'import json,sys; print(json.dumps({"impl":sys.argv[1],"lang":sys.argv[2],"workload":"*","unavailable":sys.argv[3]}))' \
    "$1" "$2" "$3" >>"$rows"
  log "$1: unavailable: $3"
}
# step LOGFILE CMD…: runs CMD with its output in LOGFILE; on failure prints its first error line
# (or its last line).
step() {
  local logf=$1 line
  shift
  if "$@" >"$logf" 2>&1; then return 0; fi
  line=$(grep -i -m1 -E 'error|not found|denied|refused' "$logf" | grep -v 'complete log')
  echo "${line:-$(tail -n 1 "$logf")}" | cut -c1-200
  return 1
}

# --- smtpspec native (Google Benchmark) -----------------------------------------------------------
log "building smtpspec (Release) in build/bench"
if cmake -S "$root" -B "$root/build/bench" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DSMTPSPEC_BUILD_BENCH=ON -DSMTPSPEC_BUILD_TESTS=OFF -DSMTPSPEC_BUILD_FUZZ=OFF >&2 &&
  cmake --build "$root/build/bench" --target smtpspec_bench smtpspec_bench_passes >&2; then
  # Ten repetitions of 0.2 s; the report takes the fastest, as the peer harnesses do.
  "$root/build/bench/bench/smtpspec_bench" --benchmark_repetitions=10 --benchmark_min_time=0.2 \
    --benchmark_display_aggregates_only=true \
    --benchmark_out="$scratch/native.json" --benchmark_out_format=json >&2 ||
    unavailable "smtpspec (native)" "C++" "benchmark run failed"
  native_built=1
else
  unavailable "smtpspec (native)" "C++" "build failed"
fi

# --- Rust: smtp-proto -----------------------------------------------------------------------------
run_rust() {
  command -v cargo >/dev/null || { echo "cargo not installed"; return 1; }
  local d=$scratch/rust
  mkdir -p "$d" && cp "$bench/peers/rust/"{Cargo.toml,Cargo.lock,main.rs} "$d/"
  step "$d/build.log" cargo build --release --locked --manifest-path "$d/Cargo.toml" || return 1
  local v
  v=$(cd "$d" && cargo pkgid -p smtp-proto 2>/dev/null | sed 's/.*[@#:]//')
  "$d/target/release/peer-rust" "$data" "$v"
  # smtp-proto's instructions per command, to set beside smtpspec's (callgrind.py).
  if command -v valgrind >/dev/null; then
    local n
    n=$(valgrind --tool=callgrind --callgrind-out-file="$d/callgrind.out" --log-file="$d/callgrind.log" \
      --toggle-collect='*count_pass*' "$d/target/release/peer-rust" "$data" --passes 10) &&
      awk -v n="$n" '/refs:/ {gsub(",", "", $NF); printf "smtp-proto\tcommands\t%.0f\n", $NF / n}' \
        "$d/callgrind.log" >>"$scratch/peer-instructions.txt"
  fi
}
log "peer: smtp-proto (Rust)"
out=$(run_rust) && echo "$out" >>"$rows" || unavailable smtp-proto Rust "${out:-failed}"

# --- Go: go-smtp ----------------------------------------------------------------------------------
run_go() {
  command -v go >/dev/null || { echo "go not installed"; return 1; }
  local d=$scratch/go
  mkdir -p "$d" && cp "$bench/peers/go/"{go.mod,go.sum,main.go} "$d/"
  step "$d/build.log" bash -c "cd '$d' && go build -mod=readonly -o peer-go ." || return 1
  "$d/peer-go" "$data"
}
log "peer: go-smtp (Go)"
out=$(run_go) && echo "$out" >>"$rows" || unavailable go-smtp Go "${out:-failed}"

# --- smtpspec WASM package location ---------------------------------------------------------------
wasm_pkg=${SMTPSPEC_WASM_PKG:-}
if [ -z "$wasm_pkg" ] && [ -f "$root/build/wasm/npm/smtpspec_wasm.js" ]; then
  wasm_pkg=$root/build/wasm/npm
fi

# --- Node: smtp-server, Haraka, address-rfc2821, @haraka/email-address, smtp-address-parser, WASM --
run_node() {
  command -v npm >/dev/null || { echo "npm not installed"; return 1; }
  local d=$scratch/node
  mkdir -p "$d"
  # Reinstall only when the lock file changed. A failed install still runs the harness: the WASM
  # row needs no package, and each peer that cannot be loaded reports itself.
  if ! cmp -s "$bench/peers/node/package-lock.json" "$d/package-lock.json" || [ ! -d "$d/node_modules" ]; then
    cp "$bench/peers/node/"{package.json,package-lock.json} "$d/"
    local why
    if ! why=$(step "$d/install.log" bash -c "cd '$d' && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error"); then
      unavailable "npm ci" "JavaScript (Node)" "$why"
      rm -f "$d/package-lock.json"  # retry next time
    fi
  fi
  cp "$bench/peers/node/peers.mjs" "$d/"
  node "$d/peers.mjs" "$data" ${wasm_pkg:+"$wasm_pkg"}
}
log "peers: npm (smtp-server, Haraka, address-rfc2821, @haraka/email-address, smtp-address-parser) and smtpspec WASM"
out=$(run_node) && echo "$out" >>"$rows" || unavailable "npm peers" "JavaScript (Node)" "${out:-failed}"

# --- Python: email-validator and smtpspec's module ------------------------------------------------
py_path=${SMTPSPEC_PYTHON_PATH:-}
if [ -z "$py_path" ] && [ -d "$root/build/python/python-bindings/smtpspec" ]; then
  py_path=$root/build/python/python-bindings
fi
run_python() {
  local d=$scratch/venv
  if ! cmp -s "$bench/peers/python/requirements.txt" "$d/requirements.txt"; then
    rm -rf "$d"
    step "$scratch/venv.log" "$py" -m venv "$d" || return 1
    local why
    if why=$(step "$scratch/pip.log" "$d/bin/pip" install --disable-pip-version-check -q \
      -r "$bench/peers/python/requirements.txt"); then
      cp "$bench/peers/python/requirements.txt" "$d/"
    else
      unavailable "pip install" Python "$why"  # smtpspec's own row can still run
    fi
  fi
  "$d/bin/python" "$bench/peers/python/peers.py" "$data" ${py_path:+"$py_path"}
}
log "peers: PyPI (email-validator) and smtpspec Python"
out=$(run_python) && echo "$out" >>"$rows" || unavailable "PyPI peers" Python "${out:-failed}"

# --- The surfaces' own benchmark scripts (reported verbatim, next to the table) --------------------
if [ -n "$wasm_pkg" ] && [ -f "$root/wasm/bench/bench.mjs" ]; then
  log "wasm/bench/bench.mjs"
  node "$root/wasm/bench/bench.mjs" "$wasm_pkg" >"$scratch/surface-wasm.txt" 2>&1 ||
    log "wasm/bench/bench.mjs failed (see $scratch/surface-wasm.txt)"
fi
if [ -n "$py_path" ] && [ -f "$root/python-bindings/bench/bench.py" ]; then
  log "python-bindings/bench/bench.py"
  PYTHONPATH=$py_path "$py" "$root/python-bindings/bench/bench.py" >"$scratch/surface-python.txt" 2>&1 ||
    log "python-bindings/bench/bench.py failed (see $scratch/surface-python.txt)"
fi

# --- Instruction counts: they do not move with the machine's load, and say where the time goes ---
if [ -n "${native_built:-}" ] && command -v valgrind >/dev/null; then
  log "callgrind instruction counts"
  "$py" "$bench/callgrind.py" "$root/build/bench/bench/smtpspec_bench_passes" "$scratch/callgrind" \
    >"$scratch/callgrind.md" || log "callgrind failed"
elif [ -n "${native_built:-}" ]; then
  log "valgrind not installed: no instruction counts"
fi

"$py" "$bench/report.py" "$scratch" | tee "$bench/results.md"
