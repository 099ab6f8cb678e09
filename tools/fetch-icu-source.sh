#!/usr/bin/env bash
# Fetches Debian's ICU source package, pinned to the source version of the installed libicu-dev, and
# unpacks it (Debian patches applied) into <dest>/icu; <dest>/icu.version records what is there, so a
# second run with the same libicu-dev does nothing. Used by cmake/icu-wasm.cmake: the WebAssembly
# build compiles the same ICU that the native build links, so both give the same answers.
# The system's apt configuration stays untouched: apt reads a throw-away deb-src list derived from the
# configured deb sources, with its own lists and cache in a temporary directory. Needs dpkg-dev.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <dest-dir>" >&2
  exit 2
fi
dest=$1
pkg=$(dpkg-query -W -f='${source:Package}' libicu-dev)
ver=$(dpkg-query -W -f='${source:Version}' libicu-dev)
if [ -z "$ver" ]; then
  echo "fetch-icu-source: libicu-dev is not installed (tools/setup.sh installs it)" >&2
  exit 1
fi
if [ -f "$dest/icu.version" ] && [ "$(cat "$dest/icu.version")" = "$pkg $ver" ] \
   && [ -d "$dest/icu/source/common" ]; then
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/smtpspec-icu-src.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/sources.list.d" "$work/lists/partial" "$work/cache/archives/partial" "$work/get"

# deb822 sources (Debian 12's default) and one-line sources alike, turned into deb-src entries.
found=0
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  sed -E 's/^Types:.*/Types: deb-src/' "$f" >"$work/sources.list.d/$(basename "$f")"
  found=1
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] || continue
  grep -E '^[[:space:]]*deb[[:space:]]' "$f" | sed -E 's/^[[:space:]]*deb[[:space:]]/deb-src /' \
    >"$work/sources.list.d/$(basename "$f").list" || true
  found=1
done
if [ "$found" = 0 ]; then
  echo "fetch-icu-source: no apt sources found in /etc/apt" >&2
  exit 1
fi

apt_opts=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$work/sources.list.d"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "APT::Sandbox::User=root"
)
apt-get "${apt_opts[@]}" -qq update
(cd "$work/get" && apt-get "${apt_opts[@]}" -qq --download-only source "$pkg=$ver" >/dev/null)
dsc=$(ls "$work/get"/*.dsc)
# apt verified the files against the signed Sources index; dpkg-source checks their checksums.
(cd "$work/get" && dpkg-source --no-copy -x "$dsc" "$work/get/unpacked" >/dev/null 2>&1) || {
  echo "fetch-icu-source: dpkg-source -x $dsc failed" >&2
  exit 1
}
if [ ! -d "$work/get/unpacked/source/common" ]; then
  echo "fetch-icu-source: $dsc does not unpack to source/common" >&2
  exit 1
fi
mkdir -p "$dest"
rm -rf "$dest/icu" "$dest/icu.version"
mv "$work/get/unpacked" "$dest/icu"
echo "$pkg $ver" >"$dest/icu.version"
echo "fetch-icu-source: $pkg $ver in $dest/icu" >&2
