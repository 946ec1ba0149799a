#!/usr/bin/env bash
# Executes the example notebooks (notebooks/*.ipynb) and the check notebooks
# (notebooks/checks/*.ipynb) headlessly in a real Jupyter kernel, rapaio-jupyter-kernel 3.0.1, and
# checks the executed files (see run_notebooks.py). Fails loudly when Jupyter is missing.
#
#   notebooks/scripts/run-notebooks.sh [--checks-only] CLASSPATH
#
# CLASSPATH: the helios4j jar(s) the kernel loads, separated by ':', normally
# jshell-startup/target/helios4j-all.jar. The check notebooks also get the Acme test provider,
# compiled here from core's test sources: a deterministic model whose "Count" prompt never ends.
# Executed notebooks and kernel logs land in notebooks/target/executed/.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
notebooks="$(cd "$here/.." && pwd)"
repo="$(cd "$notebooks/.." && pwd)"
python=/usr/bin/python3 # Debian's Jupyter lives here; another python3 may come first on PATH

checks_only=false
if [[ "${1:-}" == "--checks-only" ]]; then checks_only=true; shift; fi
if [[ $# -ne 1 ]]; then
  echo "usage: run-notebooks.sh [--checks-only] CLASSPATH   (e.g. jshell-startup/target/helios4j-all.jar)" >&2
  exit 2
fi
classpath="$1"

if ! "$python" -c 'import nbclient, nbformat, jupyter_client' 2> /dev/null; then
  echo "run-notebooks.sh: Jupyter is missing. Install it with:" >&2
  echo "  apt-get install -y python3-nbclient python3-nbconvert jupyter-client python3-ipykernel" >&2
  exit 1
fi

work="$(mktemp -d -t helios4j-notebooks.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export JUPYTER_PATH="$work/jupyter" JUPYTER_DATA_DIR="$work/jupyter" JUPYTER_RUNTIME_DIR="$work/runtime"

# The Acme provider, compiled against the core classes on the given classpath.
mkdir -p "$work/acme/classes/META-INF/services"
javac --release 17 -nowarn -cp "$classpath" -d "$work/acme/classes" "$repo/core/src/test/resources/plugins/AcmeProvider.java"
echo com.acme.llm.AcmeProvider > "$work/acme/classes/META-INF/services/dev.helios4j.spi.LlmProvider"
jar cf "$work/acme.jar" -C "$work/acme/classes" .

"$here/install-kernel.sh" --classpath "$classpath" --jupyter-path "$JUPYTER_PATH" --name helios4j
"$here/install-kernel.sh" --classpath "$classpath:$work/acme.jar" --jupyter-path "$JUPYTER_PATH" \
    --name helios4j-acme --kernel-jar "$JUPYTER_PATH/kernels/helios4j/rapaio-jupyter-kernel-3.0.1.jar"

out="$notebooks/target/executed"
status=0
"$python" "$here/run_notebooks.py" --kernel helios4j-acme --out "$out" "$notebooks"/checks/*.ipynb || status=1
if ! $checks_only; then
  "$python" "$here/run_notebooks.py" --kernel helios4j --out "$out" "$notebooks"/*.ipynb || status=1
fi
exit $status
