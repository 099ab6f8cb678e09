#!/usr/bin/env bash
# The main job: parse the bundled samples in conformance/samples/ with the CLI and print one
# canonical JSON object per input, under a header per file; then lint the transcript corpus and check
# the findings equal the expected ones. Some samples are invalid on purpose
# (they show the errors), so a rejected input is not a failure of this job; a CLI that cannot run
# or prints the wrong number of lines is.
#   bash tools/main-job.sh [path-to-smtpspec-binary]   (default: build/dev/tools/smtpspec)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cli=${1:-$root/build/dev/tools/smtpspec}
samples=$root/conformance/samples
[ -x "$cli" ] || { echo "main-job: $cli not found; run: bash tools/dev.sh main" >&2; exit 1; }

total=0 valid=0
for kind in command path mailbox domain; do
  case $kind in
    mailbox) file=$samples/mailboxes.txt ;;
    *) file=$samples/${kind}s.txt ;;
  esac
  echo "== ${file#"$root"/} (smtpspec parse $kind) =="
  out=$("$cli" parse "$kind" <"$file") || {
    # The CLI may signal "some input was invalid" with its exit status; only a missing line
    # per input (checked below) counts as a failure here.
    true
  }
  n_in=$(grep -c '' "$file")
  n_out=$(printf '%s\n' "$out" | grep -c '^{')
  if [ "$n_in" != "$n_out" ]; then
    printf '%s\n' "$out"
    echo "main-job: $n_in inputs but $n_out JSON lines from '$cli parse $kind'" >&2
    exit 1
  fi
  # One "input => result" pair per line so a reader can see which answer belongs to which input.
  while IFS= read -r input <&3 && IFS= read -r json <&4; do
    printf '%s\n    %s\n' "$input" "$json"
  done 3<"$file" 4< <(printf '%s\n' "$out")
  ok=$(printf '%s\n' "$out" | grep -c '^{"ok":true' || true)
  echo "-- $ok of $n_in valid"
  echo
  total=$((total + n_in)) valid=$((valid + ok))
done
# Replies: a server's side of the RFC 5321 Appendix D.1 session, then replies with faults
# (mixed codes, a short code, an enhanced class that contradicts the reply code).
file=$samples/replies.txt
echo "== ${file#"$root"/} (smtpspec parse reply) =="
replies=$("$cli" parse reply <"$file") || true
n_replies=$(printf '%s\n' "$replies" | grep -c '^{' || true)
[ "$n_replies" -gt 0 ] || { echo "main-job: no replies parsed from $file" >&2; exit 1; }
printf '%s\n' "$replies"
clean=$(printf '%s\n' "$replies" | grep -c '"diagnostics":\[\]}$' || true)
echo "-- $n_replies replies, $clean without diagnostics"
echo

echo "main-job: parsed $total samples, $valid valid, $((total - valid)) rejected; $n_replies replies"
echo

# Lint: every transcript of the bundled corpus (conformance/transcripts/: RFC examples and real
# Postfix/aiosmtpd captures) through `smtpspec lint`; the findings must equal the reviewed
# <file>.findings.json (conformance/transcripts/REVIEW.md says what they are and whether they are right).
echo "== conformance/transcripts/ (smtpspec lint) =="
python3 "$root/tools/update_lint_corpus.py" --check --cli "$cli" || {
  echo "main-job: lint findings differ from the expected ones (above)" >&2
  exit 1
}
