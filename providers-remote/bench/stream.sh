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
# The bench profile brings in the two contenders (from Maven Central the first time, offline after).
CP=$(.ci/test-classpath.sh providers-remote -Pbench)
exec java -Xmx256m -Dbench.quick="$QUICK" -cp "$CP" dev.helios4j.remote.StreamBenchmark
