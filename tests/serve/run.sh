#!/usr/bin/env bash
# The real-client suite for `smtpspec serve` (tests/serve/*.py, pytest with Debian's /usr/bin/python3):
# swaks, smtplib, raw sockets, LMTP, PROXY, smtp-source, bad input, smuggling, random splits. Needs no
# network beyond 127.0.0.1 and the packages of tools/setup.sh (swaks with Net::SSLeay, postfix for
# smtp-source, openssl).
#   SMTPSPEC_SERVE_BIN        the smtpspec binary to test (tools/test-all.sh: build/dev/tools/smtpspec);
#                             without it the CLI is built in SMTPSPEC_SERVE_BUILD_DIR
#   SMTPSPEC_SERVE_BUILD_DIR  default <repo>/build/serve-tests
#   extra arguments go to pytest (-k NAME, -x, -v)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${SMTPSPEC_SERVE_BIN:-}" ]; then
  build=${SMTPSPEC_SERVE_BUILD_DIR:-$root/build/serve-tests}
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMTPSPEC_WERROR=ON >/dev/null
  cmake --build "$build" --target smtpspec_cli
  SMTPSPEC_SERVE_BIN=$build/tools/smtpspec
fi
SMTPSPEC_SERVE_BIN=$(cd "$(dirname "$SMTPSPEC_SERVE_BIN")" && pwd)/$(basename "$SMTPSPEC_SERVE_BIN")
export SMTPSPEC_SERVE_BIN
cd "$root/tests/serve"
exec /usr/bin/python3 -m pytest -p no:cacheprovider -q "$@" .
