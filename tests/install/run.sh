#!/usr/bin/env bash
# Installs a built smtpspec tree into a temporary prefix, then builds and runs two consumers
# against it: one through find_package(smtpspec CONFIG), one through pkg-config.
#   bash tests/install/run.sh [build-dir]      (default: build/dev, already built)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build/dev}" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/smtpspec-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

die() { echo "install test: FAIL: $*" >&2; exit 1; }

echo "install test: cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; die "cmake --install"; }

# What a consumer gets must be complete and must not point back at the build machine's trees.
for f in include/smtpspec/smtpspec.hpp include/smtpspec/catalogue/errors.inc \
         include/smtpspec/catalogue/diagnostics.inc; do
  [ -f "$prefix/$f" ] || die "$f not installed"
done
config=$(find "$prefix" -name smtpspecConfig.cmake -print -quit)
pc=$(find "$prefix" -name smtpspec.pc -print -quit)
[ -n "$config" ] || die "smtpspecConfig.cmake not installed"
[ -n "$pc" ] || die "smtpspec.pc not installed"
if grep -rlI -e "$root" -e "$build" "$prefix" --include='*.cmake' --include='*.pc'; then
  die "installed package files name the source or build tree (above)"
fi
if grep -rniI pegtl "$prefix" --include='*.cmake' --include='*.pc' | grep -v '^[^:]*:[0-9]*: *#'; then
  die "installed package files name PEGTL (above); it must stay a private, build-only dependency"
fi
libdir=$(dirname "$(dirname "$pc")")

# 1. CMake consumer. Package registries off, so only the temporary prefix can satisfy it.
echo "install test: find_package consumer"
cmake -S "$here/cmake" -B "$tmp/cmake-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF \
  >"$tmp/cmake-configure.log" || { cat "$tmp/cmake-configure.log"; die "consumer configure"; }
found=$(sed -n 's/^smtpspec_DIR:PATH=//p' "$tmp/cmake-build/CMakeCache.txt")
[ "$found" = "$(dirname "$config")" ] || die "find_package used $found, not the temporary prefix"
cmake --build "$tmp/cmake-build" -j2 >"$tmp/cmake-build.log" || { cat "$tmp/cmake-build.log"; die "consumer build"; }
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$tmp/cmake-build/consumer" \
  || die "find_package consumer"

# 2. pkg-config consumer: the plain compiler line a Makefile would use.
echo "install test: pkg-config consumer"
export PKG_CONFIG_PATH="$(dirname "$pc")"
[ "$(pkg-config --modversion smtpspec)" = "$(sed -n 's/^Version: //p' "$pc")" ] || die "pkg-config --modversion"
# shellcheck disable=SC2046  # pkg-config output is meant to be word-split
# A static libsmtpspec needs its private dependencies (ICU: Requires.private) on the link line,
# which pkg-config gives with --static.
pc_static=
if [ -f "$libdir/libsmtpspec.a" ] && ! ls "$libdir"/libsmtpspec.so* >/dev/null 2>&1; then pc_static=--static; fi
g++ -std=c++20 -Wall -Wextra -o "$tmp/pc-consumer" "$here/consumer.cpp" \
  $(pkg-config $pc_static --cflags --libs smtpspec) || die "pkg-config consumer build"
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$tmp/pc-consumer" \
  || die "pkg-config consumer"

echo "install test: ok"
