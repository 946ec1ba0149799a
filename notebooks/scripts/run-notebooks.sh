#!/usr/bin/env bash
# Executes the example notebooks (notebooks/*.ipynb) and the check notebooks
# (notebooks/checks/*.ipynb) headlessly in a real Jupyter kernel and checks the executed files
# (see run_notebooks.py). Fails loudly when Jupyter is missing.
#
#   notebooks/scripts/run-notebooks.sh [--checks-only] [--kernel NAME] CLASSPATH
#
# --kernel NAME (or HELIOS4J_KERNEL=NAME): the Java kernel to run them in. "rapaio" (the default,
# what CI uses) installs rapaio-jupyter-kernel 3.0.1 from Maven Central. Any other NAME is a
# kernelspec already installed for Jupyter, such as IJava's "java" or JJava's "java"/"jjava"
# (`jupyter kernelspec list` shows them): it is copied with the helios4j jars added to
# IJAVA_CLASSPATH and JJAVA_CLASSPATH in its env, so the kernel itself is left as it is.
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
kernel="${HELIOS4J_KERNEL:-rapaio}"
while [[ $# -gt 1 ]]; do
  case "$1" in
    --checks-only) checks_only=true; shift ;;
    --kernel) kernel="$2"; shift 2 ;;
    *) break ;;
  esac
done
if [[ $# -ne 1 || -z "$kernel" ]]; then
  echo "usage: run-notebooks.sh [--checks-only] [--kernel NAME] CLASSPATH   (e.g. jshell-startup/target/helios4j-all.jar)" >&2
  exit 2
fi
# Absolute, as the kernels start in the notebook's folder.
classpath="$(IFS=:; for entry in $1; do printf '%s:' "$(realpath -m "$entry")"; done)"
classpath="${classpath%:}"

if ! "$python" -c 'import nbclient, nbformat, jupyter_client' 2> /dev/null; then
  echo "run-notebooks.sh: Jupyter is missing. Install it with:" >&2
  echo "  apt-get install -y python3-nbclient python3-nbconvert jupyter-client python3-ipykernel" >&2
  exit 1
fi

work="$(mktemp -d -t helios4j-notebooks.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# An installed kernel's spec, copied to TARGET with CLASSPATH added to the variables IJava and
# JJava read extra jars from. Run before JUPYTER_* below hide the user's own kernels.
derive_kernelspec() {  # NAME CLASSPATH TARGET
  "$python" - "$@" << 'PY'
import json, os, shutil, sys
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
name, classpath, target = sys.argv[1:4]
try:
    spec = KernelSpecManager().get_kernel_spec(name)
except NoSuchKernel:
    sys.exit(f"run-notebooks.sh: no Jupyter kernel named '{name}'; `jupyter kernelspec list` shows the installed ones")
shutil.copytree(spec.resource_dir, target)
path = os.path.join(target, "kernel.json")
with open(path) as f:
    data = json.load(f)
env = data.setdefault("env", {})
for var in ("IJAVA_CLASSPATH", "JJAVA_CLASSPATH"):
    env[var] = classpath if not env.get(var) else env[var] + os.pathsep + classpath
data["display_name"] = "helios4j in " + data.get("display_name", name)
with open(path, "w") as f:
    json.dump(data, f, indent=1)
PY
}

# The Acme provider, compiled against the core classes on the given classpath.
mkdir -p "$work/acme/classes/META-INF/services"
javac --release 17 -nowarn -cp "$classpath" -d "$work/acme/classes" "$repo/core/src/test/resources/plugins/AcmeProvider.java"
echo com.acme.llm.AcmeProvider > "$work/acme/classes/META-INF/services/dev.helios4j.spi.LlmProvider"
jar cf "$work/acme.jar" -C "$work/acme/classes" .

if [[ "$kernel" != rapaio ]]; then
  derive_kernelspec "$kernel" "$classpath" "$work/jupyter/kernels/helios4j"
  derive_kernelspec "$kernel" "$classpath:$work/acme.jar" "$work/jupyter/kernels/helios4j-acme"
fi
export JUPYTER_PATH="$work/jupyter" JUPYTER_DATA_DIR="$work/jupyter" JUPYTER_RUNTIME_DIR="$work/runtime"

if [[ "$kernel" == rapaio ]]; then
  "$here/install-kernel.sh" --classpath "$classpath" --jupyter-path "$JUPYTER_PATH" --name helios4j
  "$here/install-kernel.sh" --classpath "$classpath:$work/acme.jar" --jupyter-path "$JUPYTER_PATH" \
      --name helios4j-acme --kernel-jar "$JUPYTER_PATH/kernels/helios4j/rapaio-jupyter-kernel-3.0.1.jar"
fi
echo "== notebooks in the kernel: $kernel"

out="$notebooks/target/executed"
status=0
"$python" "$here/run_notebooks.py" --kernel helios4j-acme --out "$out" "$notebooks"/checks/*.ipynb || status=1
if ! $checks_only; then
  "$python" "$here/run_notebooks.py" --kernel helios4j --out "$out" "$notebooks"/*.ipynb || status=1
fi
exit $status
