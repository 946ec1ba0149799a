#!/usr/bin/env bash
# Installs a Java kernel for Jupyter with helios4j on its classpath, in one command:
# rapaio-jupyter-kernel 3.0.1 from Maven Central (fetched with Maven) and a kernelspec written here.
#
# Why write the kernelspec ourselves: rapaio's own installer writes RJK_CLASSPATH: "" into
# kernel.json, which hides any classpath the shell sets, and it ignores $HOME.
#
#   notebooks/scripts/install-kernel.sh --classpath jshell-startup/target/helios4j-all.jar
#
# Options:
#   --classpath CP       jars the notebooks can use, separated by ':' (default: the helios4j all jar)
#   --jupyter-path DIR   where Jupyter looks for kernels (default: $JUPYTER_DATA_DIR or ~/.local/share/jupyter);
#                        the spec goes to DIR/kernels/NAME
#   --name NAME          kernel name (default: helios4j)
#   --display-name TEXT  name shown in Jupyter (default: "Java (helios4j)")
#   --java-opt OPT       a JVM option for the kernel, such as -Xmx2g; repeatable
#   --kernel-jar JAR     use this rapaio-jupyter-kernel jar instead of fetching it
set -euo pipefail

RAPAIO="io.github.padreati:rapaio-jupyter-kernel:3.0.1"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
classpath="$repo/jshell-startup/target/helios4j-all.jar"
jupyter_path="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}"
name="helios4j"
display_name="Java (helios4j)"
kernel_jar=""
java_opts=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --classpath) classpath="$2"; shift 2 ;;
    --jupyter-path) jupyter_path="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --display-name) display_name="$2"; shift 2 ;;
    --java-opt) java_opts+=("$2"); shift 2 ;;
    --kernel-jar) kernel_jar="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "install-kernel.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Absolute paths: the kernel starts in the notebook's directory, not here.
abs_classpath=""
IFS=':' read -r -a entries <<< "$classpath"
for entry in "${entries[@]}"; do
  if [[ ! -e "$entry" ]]; then
    echo "install-kernel.sh: $entry does not exist. Build it first (see the README), or pass --classpath." >&2
    exit 1
  fi
  # rapaio splits RJK_CLASSPATH on ';' on every OS, not on the path separator.
  abs_classpath+="${abs_classpath:+;}$(cd "$(dirname "$entry")" && pwd)/$(basename "$entry")"
done

kernel_dir="$jupyter_path/kernels/$name"
mkdir -p "$kernel_dir"
if [[ -z "$kernel_jar" ]]; then
  command -v mvn > /dev/null || { echo "install-kernel.sh: needs Maven (mvn) to fetch $RAPAIO, or --kernel-jar." >&2; exit 1; }
  # Debian's Maven needs the dependency plugin's version named for goals run outside a project.
  mvn -q -B -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$RAPAIO" -DoutputDirectory="$kernel_dir" -Dmdep.stripVersion=false
  kernel_jar="$kernel_dir/rapaio-jupyter-kernel-3.0.1.jar"
fi
kernel_jar="$(cd "$(dirname "$kernel_jar")" && pwd)/$(basename "$kernel_jar")"

json_string() { # a JSON string literal
  local s="${1//\\/\\\\}"
  s="${s//\"/\\\"}"
  printf '"%s"' "$s"
}

argv="$(json_string java)"
for opt in "${java_opts[@]+"${java_opts[@]}"}"; do
  argv+=", $(json_string "$opt")"
done
argv+=", $(json_string -jar), $(json_string "$kernel_jar"), $(json_string "{connection_file}")"

cat > "$kernel_dir/kernel.json" <<JSON
{
  "argv": [$argv],
  "display_name": $(json_string "$display_name"),
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "RJK_CLASSPATH": $(json_string "$abs_classpath"),
    "RJK_COMPILER_OPTIONS": "",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1"
  }
}
JSON
echo "Installed the Jupyter kernel '$name' in $kernel_dir (rapaio-jupyter-kernel 3.0.1, classpath $abs_classpath)."
