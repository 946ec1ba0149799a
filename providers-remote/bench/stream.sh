#!/bin/sh
# Streaming benchmark of the openai provider against a bare JDK client, LangChain4j and
# openai-java (issue 16). Compiles providers-remote and its tests with the bench profile (which
# brings in the two libraries; offline once they are cached), then runs the benchmark's main
# class: a server JVM streaming OpenAI's real chunk format and one JVM per client, started afresh
# every round, rounds interleaved. Prints one Markdown table, its notes and the goals to stdout; progress to stderr.
#   providers-remote/bench/stream.sh            # the full run: 7 rounds; about 5 minutes on a quiet 2-CPU machine
#   providers-remote/bench/stream.sh --quick    # 3 short rounds, 1 to 3 minutes, to check that it works
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
# Debian's Maven needs the dependency plugin's version named explicitly. Offline first; online
# only the first time, to fetch the two contenders from Maven Central.
BUILD="-pl providers-remote -am -Pbench test-compile
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test"
mvn -q -B -o $BUILD 2>/dev/null || mvn -q -B -ntp $BUILD
CP="providers-remote/target/test-classes:providers-remote/target/classes:$(cat providers-remote/target/bench.classpath)"
exec java -Xmx256m -Dbench.quick="$QUICK" -cp "$CP" dev.helios4j.remote.StreamBenchmark
