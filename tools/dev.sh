#!/usr/bin/env bash
# The README's two commands:
#   bash tools/dev.sh main   set up, build the CLI, parse the bundled samples (tools/main-job.sh)
#   bash tools/dev.sh test   set up, build and run every test of every target (tools/test-all.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

case ${1:-} in
  main)
    bash tools/setup.sh
    cmake --preset dev >/dev/null
    cmake --build --preset dev --target smtpspec_cli
    exec bash tools/main-job.sh build/dev/tools/smtpspec
    ;;
  test)
    bash tools/setup.sh
    exec bash tools/test-all.sh
    ;;
  *)
    echo "usage: bash tools/dev.sh main|test" >&2
    exit 2
    ;;
esac
