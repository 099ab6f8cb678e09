#!/usr/bin/env bash
# smtpspec serve smoke test: start on a free port, send one message with swaks, check the Maildir
# file (the two prepended header lines, then the message), stop with SIGTERM (exit status 0).
# Usage: smoke_test.sh path/to/smtpspec
set -euo pipefail
bin=${1:?usage: smoke_test.sh path/to/smtpspec}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
# A config file: an unknown key is an error naming it; command-line options override the file.
printf '{"maildir": "%s", "bogus-key": 1}' "$dir/Maildir" >"$dir/bad.json"
if "$bin" serve --config "$dir/bad.json" 2>"$dir/err"; then echo "unknown config key accepted"; exit 1; fi
grep -q 'unknown key bogus-key' "$dir/err" || { echo "error does not name the key:"; cat "$dir/err"; exit 1; }
printf '{"maildir": "%s", "hostname": "cfg.test", "log-level": "info", "limits": {"command_timeout": 30}}' \
  "$dir/Maildir" >"$dir/good.json"
"$bin" serve --config "$dir/good.json" --listen 127.0.0.1:0 --hostname mx.test --pid-file "$dir/pid" \
  --log "$dir/log" >"$dir/out" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
line=$(head -n1 "$dir/out")
[[ $line =~ ^smtpspec\ serve\ listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]] || { echo "bad ready line: $line"; exit 1; }
port=${BASH_REMATCH[1]}
[[ $(cat "$dir/pid") == "$pid" ]] || { echo "pid file does not hold $pid"; exit 1; }
swaks --silent 2 --server 127.0.0.1 --port "$port" --helo client.test --from a@example.org --to b@example.net \
  --header 'Subject: smoke' --body $'line one\n.dot line\nline three' >"$dir/swaks" 2>&1 ||
  { cat "$dir/swaks"; exit 1; }
shopt -s nullglob
files=("$dir"/Maildir/new/*)
[[ ${#files[@]} -eq 1 ]] || { echo "expected one file in new/, got ${#files[@]}"; ls -R "$dir/Maildir"; exit 1; }
[[ -z $(ls "$dir/Maildir/tmp") ]] || { echo "tmp/ is not empty"; exit 1; }
f=${files[0]}
head -c 200 "$f" | head -n1 | grep -q $'^Return-Path: <a@example.org>\r$' || { echo "no Return-Path line"; head -n3 "$f"; exit 1; }
sed -n 2p "$f" | grep -q $'^Received: from client.test (unknown \\[127.0.0.1\\]) by mx.test (smtpspec) with ESMTP id .* for <b@example.net>; .*\r$' ||
  { echo "bad Received line"; sed -n 2p "$f" | od -c | tail -3; exit 1; }
grep -q $'^Subject: smoke\r$' "$f" || { echo "header missing"; exit 1; }
grep -q $'^\\.dot line\r$' "$f" || { echo "dot-unstuffing lost the leading dot"; exit 1; }
# Nothing but CRLF line ends in the file.
[[ $(LC_ALL=C tr -cd '\n' <"$f" | wc -c) -eq $(LC_ALL=C grep -c $'\r$' "$f") ]] || { echo "a bare LF in the file"; exit 1; }
kill -TERM "$pid"
wait "$pid" || { echo "exit status $? after SIGTERM"; exit 1; }
[[ ! -e $dir/pid ]] || { echo "pid file left behind"; exit 1; }
grep -q ' queued ' "$dir/log" || { echo "no queued line in the log"; cat "$dir/log"; exit 1; }
echo "serve smoke test passed"
