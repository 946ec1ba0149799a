#!/usr/bin/env bash
# Startup benchmark (not a test): wall time from starting a command to JShell's first prompt,
# for bare `jshell` and for the ./helios4j launcher, alternated in one run on one machine.
# The launcher's prompt comes after helios.jsh ran, so `llm` is open by then.
# Usage: jshell-startup/bench/startup.sh [RUNS]   (default 5, after one warm-up run of each)
# Extra launcher arguments can go in HELIOS4J_BENCH_ARGS, e.g. "-R-Dhelios4j.model=acme:x --class-path acme.jar".
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints the milliseconds until the first "jshell>" prompt, then ends the session with /exit.
to_prompt() {
  local fifo=$work/in out=$work/out pid start now
  rm -f "$fifo"; mkfifo "$fifo"; : >"$out"
  start=$(date +%s%N)
  "$@" <"$fifo" >"$out" 2>&1 & pid=$!
  exec 3>"$fifo"
  until grep -q 'jshell>' "$out"; do
    kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; echo "startup failed: $*" >&2; exit 1; }
    sleep 0.005
  done
  now=$(date +%s%N)
  printf '/exit\n' >&3; exec 3>&-
  wait "$pid" || true
  echo $(( (now - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

read -r -a extra <<<"${HELIOS4J_BENCH_ARGS:-}"
to_prompt jshell >/dev/null                          # warm-up: page cache, JIT-free CDS archive
to_prompt "$root/helios4j" "${extra[@]}" >/dev/null  # warm-up: builds the jar, writes the demo model
bare=(); launcher=()
for ((i = 0; i < runs; i++)); do
  bare+=("$(to_prompt jshell)")
  launcher+=("$(to_prompt "$root/helios4j" "${extra[@]}")")
done
b=$(printf '%s\n' "${bare[@]}" | median)
l=$(printf '%s\n' "${launcher[@]}" | median)
echo "bare jshell to prompt:      ${bare[*]} ms (median $b)"
echo "./helios4j to prompt:       ${launcher[*]} ms (median $l)"
awk -v l="$l" -v b="$b" 'BEGIN { printf "ratio launcher/bare:        %.2fx (target <= 2x)\n", l / b }'
