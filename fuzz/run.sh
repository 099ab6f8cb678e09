#!/usr/bin/env bash
# Builds the fuzz targets with clang-14, libFuzzer, ASan and UBSan, and runs each for N seconds.
#   fuzz/run.sh [seconds per target, default 30] [target…]   (targets: command path mailbox domain reply enhanced_status)
# Build tree: $SMTPSPEC_FUZZ_BUILD (default /tmp/smtpspec-fuzz). New corpus entries go to the build
# tree, never into the repository; crash reproducers go to fuzz/crashes/<target>/, which ctest
# then replays as regression inputs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
seconds=${1:-${FUZZ_SECONDS:-30}}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(command path mailbox domain reply enhanced_status)
build=${SMTPSPEC_FUZZ_BUILD:-/tmp/smtpspec-fuzz}
jobs=$(nproc 2>/dev/null || echo 2)

flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1"
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DSMTPSPEC_BUILD_FUZZ=ON -DSMTPSPEC_LIBFUZZER=ON \
  -DSMTPSPEC_BUILD_TESTS=OFF -DSMTPSPEC_BUILD_CLI=OFF -DSMTPSPEC_INSTALL=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target $(printf 'fuzz_%s ' "${targets[@]}")

# Seeds: the checked-in corpus plus every conformance vector input.
python3 "$here/seed_from_vectors.py" "$root/conformance" "$build/vector-seeds" || true

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
summary=()
for t in "${targets[@]}"; do
  work="$build/corpus/$t"
  crashes="$here/crashes/$t"
  mkdir -p "$work" "$crashes" "$build/vector-seeds/$t"
  log="$build/fuzz_$t.log"
  echo "== fuzz_$t for ${seconds}s (log: $log)"
  if "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len=2048 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -dict="$here/$t.dict" -artifact_prefix="$crashes/" \
      "$work" "$here/corpus/$t" "$build/vector-seeds/$t" >"$log" 2>&1; then
    result=ok
  else
    result="FAILED (reproducer in $crashes/)"
    status=1
  fi
  # Drop the crash directory again when it stayed empty.
  rmdir "$crashes" "$here/crashes" 2>/dev/null || true
  runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log" || true)
  eps=$(awk '/stat::average_exec_per_sec:/ {print $2}' "$log" || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}' || true)
  line="fuzz_$t: $result; runs=${runs:-?} exec/s=${eps:-?} cov=${cov:-?} corpus=$(ls "$work" | wc -l)"
  echo "$line"
  summary+=("$line")
done
printf '%s\n' "${summary[@]}"
exit $status
