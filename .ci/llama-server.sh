#!/usr/bin/env bash
# Builds a current llama-server once, without network beyond npm, and prints its path.
#
# The npm package node-llama-cpp@3.21.1 carries the whole llama.cpp source of a 2026 release as
# llama/gitRelease.bundle (a git bundle whose HEAD is 80fb11a). The build goes into
# ${HELIOS4J_TOOLS:-/var/cache/helios4j}/llama.cpp-80fb11a, outside any clone, so CI keeps it; a
# second run finds the binary and builds nothing. A build cut short resumes where it stopped.
# About 20 minutes on 2 cores. Needs cmake, g++, git and npm (.ci/run installs them).
# Only the binary's path goes to stdout; progress goes to stderr.
set -euo pipefail

version=3.21.1
commit=80fb11a
tools="${HELIOS4J_TOOLS:-/var/cache/helios4j}"
tree="$tools/llama.cpp-$commit"
binary="$tree/build/bin/llama-server"

say() { echo "llama-server.sh: $*" >&2; }

if [[ -x "$binary" ]]; then
  say "found $binary"
  echo "$binary"
  exit 0
fi

for tool in cmake g++ git npm; do
  command -v "$tool" >/dev/null || { say "needs $tool: install it (Debian: apt-get install cmake g++ git npm)"; exit 1; }
done
mkdir -p "$tools/src"

if [[ ! -d "$tree/.git" ]]; then
  bundle="$tools/src/package/llama/gitRelease.bundle"
  if [[ ! -f "$bundle" ]]; then
    say "fetching node-llama-cpp@$version from npm"
    tgz="$(cd "$tools/src" && npm pack --silent "node-llama-cpp@$version" | tail -n 1)"
    tar -xzf "$tools/src/$tgz" -C "$tools/src" package/llama/gitRelease.bundle
  fi
  head="$(git bundle list-heads "$bundle" | awk '$2 == "HEAD" {print $1}')"
  if [[ "$head" != "$commit"* ]]; then
    say "$bundle has HEAD ${head:-none}, not $commit: not the source this script expects"
    exit 1
  fi
  say "cloning $bundle into $tree"
  rm -rf "$tree.tmp"   # our own leftover from a run cut short
  git -c advice.detachedHead=false clone --quiet "$bundle" "$tree.tmp"
  mv "$tree.tmp" "$tree"
fi

head="$(git -C "$tree" rev-parse HEAD)"
if [[ "$head" != "$commit"* ]]; then
  say "$tree is at $head, not $commit; move it away and run this again"
  exit 1
fi

if [[ ! -f "$tree/build/CMakeCache.txt" ]]; then
  say "configuring"
  cmake -S "$tree" -B "$tree/build" -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DCMAKE_BUILD_TYPE=Release >&2
fi
say "building llama-server (about 20 minutes on 2 cores)"
cmake --build "$tree/build" --target llama-server -j2 >&2

"$binary" --version >&2
echo "$binary"
