#!/bin/sh
# Benchmark of the llamacpp provider against the raw java-llama.cpp binding.
# Compiles providers-local and its tests offline, then runs the benchmark's main class (not a
# JUnit test). About three minutes on 2 vCPUs; prints one Markdown table to stdout.
#   providers-local/bench/run.sh            # the full run
#   providers-local/bench/run.sh --quick    # a few repetitions, to check that it works
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
CP=$(.ci/test-classpath.sh providers-local)
# No de.kherud.llama.tmpdir: the provider's NativeLibrary extracts the native library into a
# private directory of its own (the benchmark opens a helios4j client before any raw model).
exec java -Xmx1g -Dbench.quick="$QUICK" -Dbench.command="providers-local/bench/run.sh $*" \
    -cp "$CP" dev.helios4j.local.bench.LocalProviderBenchmark
