#!/bin/sh
# Benchmark of Batch (issue 14) against OpenAI-format servers on loopback, in a JVM of their own:
# throughput against concurrency, the client's CPU per row, heap over 100,000 rows, and two
# servers with one killed mid-run. A few minutes on 2 vCPUs; prints Markdown to stdout. The machine
# may be shared: compare the ratios, and the load averages printed at the start and the end.
#   providers-remote/bench/run.sh            # the full run
#   providers-remote/bench/run.sh --quick    # fewer rows, to check that it works
#   BENCH_ONLY=throughput|memory|servers providers-remote/bench/run.sh   # one section
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
CP=$(.ci/test-classpath.sh providers-remote)
# -Xmx256m: a heap that grew with the rows would fail here, not only show in the table.
exec java -Xmx256m -Dbench.quick="$QUICK" -Dbench.only="${BENCH_ONLY:-}" -Dbench.command="providers-remote/bench/run.sh $*" \
    -Djava.util.logging.config.file=/dev/null \
    -cp "$CP" dev.helios4j.remote.BatchBenchmark
