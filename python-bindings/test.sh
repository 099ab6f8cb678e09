#!/usr/bin/env bash
# The Python stage, run from anywhere: build the pybind11 module, run pytest against the built
# package (unit tests, the shared conformance vectors, and `pip install` into a fresh venv).
#   SMTPSPEC_PYTHON            interpreter (default /usr/bin/python3: Debian's pytest and pybind11
#                              are importable only by it)
#   SMTPSPEC_PYTHON_BUILD_DIR  build directory (default <repo>/build/python)
#   SMTPSPEC_CONFORMANCE_OUT[_DIR], SMTPSPEC_REQUIRE_VECTORS  passed through to the runner
#   extra arguments go to pytest (e.g. -k 'not pip_install')
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${SMTPSPEC_PYTHON:-/usr/bin/python3}
build=${SMTPSPEC_PYTHON_BUILD_DIR:-$root/build/python}
export SMTPSPEC_PYTHON=$py CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2}
# Paths made absolute now, since pytest runs from the build directory.
mkdir -p "$build" && build=$(cd "$build" && pwd)
for v in SMTPSPEC_CONFORMANCE_OUT_DIR SMTPSPEC_CONFORMANCE_OUT; do
  if [[ -n ${!v:-} && ${!v} != /* ]]; then export "$v=$PWD/${!v}"; fi
done

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DSMTPSPEC_BUILD_PYTHON=ON -DSMTPSPEC_BUILD_CLI=OFF -DSMTPSPEC_BUILD_TESTS=OFF \
  -DSMTPSPEC_BUILD_FUZZ=OFF -DSMTPSPEC_BUILD_BENCH=OFF -DSMTPSPEC_INSTALL=OFF \
  -DPython_EXECUTABLE="$py"
cmake --build "$build" --target smtpspec_python

# The package assembled in the build tree; no bytecode or cache files in the source tree. Run from
# the build directory: `python -m` puts the working directory first on sys.path, and from
# python-bindings/ that would import the source package, which has no compiled module.
cd "$build"
PYTHONPATH="$build/python-bindings" PYTHONDONTWRITEBYTECODE=1 \
  "$py" -m pytest -p no:cacheprovider -q -ra --rootdir "$root/python-bindings" \
  "$root/python-bindings/tests" "$@"
