#!/bin/sh
# Memory of the caller and of its engine processes while the 134M F16 model is opened, used and
# closed again and again with llamacpp.keep-alive=0, then opened in-process for contrast (issue 10).
# Compiles providers-local and its tests offline, then runs EngineMemoryBenchmark's main class (not a
# JUnit test). About a minute on 2 vCPUs; prints one Markdown table to stdout.
#   providers-local/bench/memory.sh                          # 4 rounds through the engine, 2 in-process
#   providers-local/bench/memory.sh -Dbench.opens=8 -Dbench.inProcess=0
#   providers-local/bench/memory.sh -Dbench.big=/tmp/random-134m-f16.gguf   # reuse (or keep) the model file
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CP=$(.ci/test-classpath.sh providers-local)
exec java -Xmx1g "$@" -Dbench.command="providers-local/bench/memory.sh $*" \
    -cp "$CP" dev.helios4j.local.internal.engine.EngineMemoryBenchmark
