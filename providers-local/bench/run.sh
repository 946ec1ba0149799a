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
# Debian's Maven needs the dependency plugin's version named explicitly.
mvn -q -o -pl providers-local -am test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="providers-local/target/test-classes:providers-local/target/classes:$(cat providers-local/target/bench.classpath)"
# No de.kherud.llama.tmpdir: the provider's NativeLibrary extracts the native library into a
# private directory of its own (the benchmark opens a helios4j client before any raw model).
exec java -Xmx1g -Dbench.quick="$QUICK" -Dbench.command="providers-local/bench/run.sh $*" \
    -cp "$CP" dev.helios4j.local.bench.LocalProviderBenchmark
