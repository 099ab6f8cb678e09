#!/usr/bin/env bash
# `smtpspec serve` against Postfix's smtp-sink, Haraka, npm smtp-server and aiosmtpd in one run
# (issue 6 item 8). Run by hand; not part of the tests. Prints a Markdown table (see README.md).
#
#   bench/serve/run.sh [--quick] [--no-unshare]
#
# Per server, on a fresh process: peak memory (VmHWM) with 1,000 connections greeted, EHLO'd and
# held; sessions/s (connect, EHLO, QUIT; 20 in parallel); messages/s with smtp-source at 1 KB and
# 100 KB (-s 20); server CPU µs per message (utime+stime of the server process from /proc, before and
# after, divided by the messages). --quick: fewer sessions and messages (< 60 s).
# Runs inside `unshare --net` (loopback only) when it can, else on 127.0.0.1.
#   SMTPSPEC_SERVE_BIN   an smtpspec binary to use (default: a Release build in build/bench-serve)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
quick=0 unshare_ok=1 inner=0
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    --no-unshare) unshare_ok=0 ;;
    --inner) inner=1 ;;
    *) echo "usage: $0 [--quick] [--no-unshare]" >&2; exit 2 ;;
  esac
done
work=${SMTPSPEC_BENCH_SERVE_WORK:-/tmp/smtpspec-bench-serve}
log() { echo "bench/serve: $*" >&2; }

if ((inner == 0)); then
  # Everything that needs the network or a compiler happens before entering the namespace.
  rm -rf "$work" && mkdir -p "$work"
  if [ -z "${SMTPSPEC_SERVE_BIN:-}" ]; then
    b=$root/build/bench-serve
    cmake -S "$root" -B "$b" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSMTPSPEC_BUILD_TESTS=OFF \
      -DSMTPSPEC_BUILD_FUZZ=OFF >/dev/null
    cmake --build "$b" --target smtpspec_cli >&2
    export SMTPSPEC_SERVE_BIN=$b/tools/smtpspec
  fi
  cc -O2 -Wall -o "$work/smtpload" "$here/smtpload.c"
  if [ ! -d "$here/node_modules/Haraka" ] || [ ! -d "$here/node_modules/smtp-server" ]; then
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
  args=()
  ((quick)) && args+=(--quick)
  if ((unshare_ok)) && unshare --net true 2>/dev/null; then
    log "running inside unshare --net (loopback only)"
    exec unshare --net -- bash -c 'ip link set lo up && exec bash "$0" --inner "${@}"' "$0" "${args[@]}"
  fi
  log "unshare --net unavailable: running on 127.0.0.1"
  exec bash "$0" --inner "${args[@]}"
fi

if ((quick)); then sessions=500 m1=500 m100=50 hold=1000; else sessions=10000 m1=10000 m100=2000 hold=1000; fi
ulimit -n 20000 2>/dev/null || true
load=$work/smtpload
py=/usr/bin/python3

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  local i
  for i in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
tck=$(getconf CLK_TCK)

pid= port=
start_server() {  # NAME: sets pid and port
  local name=$1 d=$work/$1
  mkdir -p "$d"
  case $name in
    smtpspec|smtpspec-nofsync|smtpspec-tmpfs)
      local extra=() maildir=$d/Maildir
      [ "$name" != smtpspec ] && extra+=(--no-fsync)
      # tmpfs: the server's own cost without the file system's (smtp-sink stores nothing at all)
      if [ "$name" = smtpspec-tmpfs ]; then
        maildir=$(mktemp -d /dev/shm/smtpspec-bench.XXXXXX)/Maildir
        ln -sfn "$maildir" "$d/Maildir"
      fi
      "$SMTPSPEC_SERVE_BIN" serve --listen 127.0.0.1:0 --maildir "$maildir" --max-connections 5000 \
        --log "$d/log" --log-level error "${extra[@]}" >"$d/stdout" 2>"$d/stderr" &
      pid=$!
      local i
      for i in $(seq 1 100); do
        port=$(sed -n 's/^smtpspec serve listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$d/stdout")
        [ -n "$port" ] && return 0
        sleep 0.05
      done
      return 1 ;;
    smtp-sink)
      port=$(free_port)
      smtp-sink -u nobody -m 5000 "127.0.0.1:$port" 1024 >"$d/stdout" 2>&1 &
      pid=$! ;;
    haraka)
      port=$(free_port)
      node "$here/node_modules/Haraka/bin/haraka" -i "$d/haraka" >/dev/null 2>&1
      cp "$here/haraka/bench_accept.js" "$d/haraka/plugins/"
      echo bench_accept >"$d/haraka/config/plugins"
      # nodes=0: one process (unset means a cluster master plus one worker, whose CPU we would miss)
      printf 'listen=127.0.0.1:%s\nnodes=0\n' "$port" >"$d/haraka/config/smtp.ini"
      printf '[main]\nlevel=error\n' >"$d/haraka/config/log.ini"
      node "$here/node_modules/Haraka/bin/haraka" -c "$d/haraka" >"$d/stdout" 2>&1 &
      pid=$! ;;
    smtp-server)
      port=$(free_port)
      NODE_PATH=$here/node_modules node "$here/smtp_server_peer.js" "$port" >"$d/stdout" 2>&1 &
      pid=$! ;;
    aiosmtpd)
      port=$(free_port)
      "$py" "$here/aiosmtpd_peer.py" "$port" >"$d/stdout" 2>&1 &
      pid=$! ;;
  esac
  wait_port "$port"
}

stop_server() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# messages SIZE COUNT: prints "msgs_per_s cpu_us_per_msg"
messages() {
  local size=$1 count=$2 c0 c1 t0 t1
  c0=$(cpu_ticks "$pid") t0=$EPOCHREALTIME
  smtp-source -s 20 -m "$count" -l "$size" -f sender@example.org -t rcpt@example.org "127.0.0.1:$port" >&2
  t1=$EPOCHREALTIME c1=$(cpu_ticks "$pid")
  awk -v n="$count" -v a="$t0" -v b="$t1" -v c="$((c1 - c0))" -v t="$tck" \
    'BEGIN { printf "%.0f %.0f\n", n / (b - a), c / t * 1e6 / n }'
}

export LC_NUMERIC=C
rows=()
when=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(cut -d' ' -f1 /proc/loadavg)
for name in smtpspec smtpspec-nofsync smtpspec-tmpfs smtp-sink haraka smtp-server aiosmtpd; do
  log "$name"
  if ! start_server "$name"; then
    rows+=("| $name | did not start | | | | | | |")
    stop_server
    continue
  fi
  idle=$(rss_kib "$pid")
  held=$( (sleep 1; echo) | "$load" hold 127.0.0.1 "$port" "$hold" | head -n 1) || true
  peak=$(hwm_kib "$pid")
  # let the held connections go before the throughput runs
  sleep 0.5
  s=$("$load" sessions 127.0.0.1 "$port" 20 "$sessions" | awk '{print $8}') || s=failed
  read -r r1 c1 < <(messages 1024 "$m1") || { r1=failed c1=; }
  read -r r100 c100 < <(messages 102400 "$m100") || { r100=failed c100=; }
  if [[ $name == smtpspec* ]]; then
    got=$(find -L "$work/$name/Maildir/new" -type f | wc -l)
    [ "$got" -eq $((m1 + m100)) ] || log "$name: $got messages in Maildir/new, expected $((m1 + m100))"
  fi
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %.1f | %.1f (%s) |' "$name" "$s" "$r1" "$r100" "$c1" "$c100" \
    "$(awk -v k="$idle" 'BEGIN{print k/1024}')" "$(awk -v k="$peak" 'BEGIN{print k/1024}')" "$held")")
  stop_server
  [ "$name" = smtpspec-tmpfs ] && rm -rf "$(dirname "$(readlink "$work/$name/Maildir")")"
done

echo "Run: $when, $(nproc) cores, load average $load_before at start$( ((quick)) && echo ', --quick')."
echo "Sessions: $sessions; messages: $m1 × 1 KB and $m100 × 100 KB with \`smtp-source -s 20\`;" \
  "$hold held connections. smtpspec writes every message to its Maildir (fsync unless --no-fsync)."
echo
echo "| server | sessions/s | msgs/s 1 KB | msgs/s 100 KB | CPU µs/msg 1 KB | CPU µs/msg 100 KB | idle RSS MB | VmHWM MB with $hold conns |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
