#!/bin/sh
# Prints the test class path of one module (its test classes, its classes, every test-scope
# dependency), compiling it and the modules it needs first: what the benchmark scripts run their
# main classes with. Offline first; online only when something is not cached yet.
#   CP=$(.ci/test-classpath.sh providers-local)
#   CP=$(.ci/test-classpath.sh providers-remote -Pbench)   # with a profile's dependencies
set -eu
MODULE=$1
shift
cd "$(dirname "$0")/.."
# Debian's Maven needs the dependency plugin's version named explicitly.
BUILD="-pl $MODULE -am $* test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test"
mvn -q -B -o $BUILD >/dev/null 2>&1 || mvn -q -B -ntp $BUILD >&2
echo "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/bench.classpath")"
