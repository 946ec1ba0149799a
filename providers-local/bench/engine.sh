#!/bin/sh
# Tokens per second of one model three ways, side by side in one run: in this JVM, in helios4j's
# engine process (EngineServer, reached over loopback), and in a real llama-server started with the
# same flags. Prints one Markdown table to stdout.
#   providers-local/bench/engine.sh [--quick]
# The llama-server column needs HELIOS4J_TEST_LLAMA_SERVER or the binary .ci/llama-server.sh builds.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
QUICK=false
[ "${1:-}" = "--quick" ] && QUICK=true
SERVER=${HELIOS4J_TEST_LLAMA_SERVER:-${HELIOS4J_TOOLS:-/var/cache/helios4j}/llama.cpp-80fb11a/build/bin/llama-server}
[ -x "$SERVER" ] || SERVER=""
CP=$(.ci/test-classpath.sh providers-local)
exec java -Xmx1g -Dbench.quick="$QUICK" -Dbench.llamaServer="$SERVER" \
    -cp "$CP" dev.helios4j.local.internal.engine.EngineServerBenchmark
