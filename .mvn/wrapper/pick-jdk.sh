#!/usr/bin/env bash
# Prints the home of a JDK 21 or newer for ./mvnw (and snakebridge-bench/run.sh), or explains on stderr
# that there is none and exits 1. No toolchains.xml is needed:
#   1. JAVA_HOME, when it points at a JDK 21+;
#   2. the JDK whose javac is on PATH, when it is 21+;
#   3. the newest JDK 21+ under /usr/lib/jvm, /opt/java or /opt (or $SNAKEBRIDGE_JDK_ROOTS, space separated).
set -uo pipefail

java_major() { # prints the feature version of the java binary $1, or 0
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/javac" && $(java_major "$JAVA_HOME/bin/java") -ge 21 ]]; then
  echo "$JAVA_HOME"; exit 0
fi
on_path=$(command -v javac || true)
if [[ -n "$on_path" ]]; then
  home=$(dirname "$(dirname "$(readlink -f "$on_path")")")
  if [[ $(java_major "$home/bin/java") -ge 21 ]]; then echo "$home"; exit 0; fi
fi
best="" best_v=0
for root in ${SNAKEBRIDGE_JDK_ROOTS:-/usr/lib/jvm /opt/java /opt}; do
  for dir in "$root"/*/; do
    dir=${dir%/}
    [[ -x "$dir/bin/javac" ]] || continue
    v=$(java_major "$dir/bin/java")
    if (( v >= 21 && v > best_v )); then best=$dir; best_v=$v; fi
  done
done
if [[ -z "$best" ]]; then
  echo "mvnw: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}; looked on PATH and under ${SNAKEBRIDGE_JDK_ROOTS:-/usr/lib/jvm /opt/java /opt})." >&2
  echo "mvnw: install one, or point JAVA_HOME at it, e.g. export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64" >&2
  exit 1
fi
echo "$best"
