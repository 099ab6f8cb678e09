#!/usr/bin/env bash
# The peers stage: the milter codec against real peers on loopback (Postfix + swaks, miltertest,
# OpenDKIM, a pymilter filter), through the C++, Python and Node surfaces. Builds the C++ example
# filter and the MTA-side driver, then runs tests/peers/run_peers.py (what each test proves is in
# its docstring). Needs root (Postfix's master) and the packages of tools/setup.sh.
#   SMTPSPEC_PEERS_BUILD_DIR   where the two programs are built (default <repo>/build/peers)
#   SMTPSPEC_PEERS_LIB_BUILD   a built smtpspec tree (tools/test-all.sh: build/dev) to install and link
#                              against, instead of compiling the library again
#   SMTPSPEC_PEERS_LANGS       surfaces to test, e.g. "cpp,python,node" (default: cpp, plus python
#                              and node when their builds below exist; naming one that does not
#                              exist is a failure)
#   SMTPSPEC_PYTHON_BUILD_DIR  built Python package (default <repo>/build/python, python stage)
#   SMTPSPEC_WASM_BUILD_DIR    built npm package at <dir>/npm (default <repo>/build/wasm, wasm stage)
#   extra arguments go to run_peers.py (-k NAME, --keep)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${SMTPSPEC_PEERS_BUILD_DIR:-$root/build/peers}
pybuild=${SMTPSPEC_PYTHON_BUILD_DIR:-$root/build/python}
wasmbuild=${SMTPSPEC_WASM_BUILD_DIR:-$root/build/wasm}
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
build=$(abs "$build") pybuild=$(abs "$pybuild") wasmbuild=$(abs "$wasmbuild")

prefix=
if [ -n "${SMTPSPEC_PEERS_LIB_BUILD:-}" ]; then
  prefix=$build/prefix
  rm -rf "$prefix"
  cmake --install "$(abs "$SMTPSPEC_PEERS_LIB_BUILD")" --prefix "$prefix" >/dev/null
fi
cmake -S "$root/tests/peers" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMTPSPEC_WERROR=ON \
  -DSMTPSPEC_PEERS_PREFIX="$prefix" >/dev/null
cmake --build "$build"

langs=${SMTPSPEC_PEERS_LANGS:-}
if [ -z "$langs" ]; then
  langs=cpp
  if [ -d "$pybuild/python-bindings/smtpspec" ]; then langs+=,python
  else echo "peers: no Python package in $pybuild (python stage); testing without it"; fi
  if [ -f "$wasmbuild/npm/package.json" ]; then langs+=,node
  else echo "peers: no npm package in $wasmbuild/npm (wasm stage); testing without it"; fi
fi
exec /usr/bin/python3 "$root/tests/peers/run_peers.py" --bin-dir "$build" --langs "$langs" \
  --python-path "$pybuild/python-bindings" --npm-dir "$wasmbuild/npm" "$@"
