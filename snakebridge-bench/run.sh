#!/usr/bin/env bash
# One command for the benchmarks (docs/PERFORMANCE.md):
#
#   bash snakebridge-bench/run.sh [--unpinned | --pinned] [--quick | other BenchMain options, see --help]
#
# Builds the benchmarks jar, then runs the same bench command once per regime, each with its own
# baselines, and prints both headline tables at the end, unpinned first:
#   unpinned (what users get): no taskset, Python started as is (SNAKEBRIDGE_BENCH_PYTHON);
#   pinned (the lab regime): the JVM (and its JMH forks) pinned to one core and every Python process (the
#     echo children and the runtime's workers) pinned to another, through a wrapper script passed as
#     SNAKEBRIDGE_PYTHON.
# --unpinned or --pinned runs that regime alone; the default is both.
#
# Environment:
#   SNAKEBRIDGE_BENCH_PYTHON   the interpreter (default /usr/bin/python3)
#   SNAKEBRIDGE_BENCH_JVM_CPU  the core for the JVM (default 0)
#   SNAKEBRIDGE_BENCH_PY_CPU   the core for Python (default 1)
#   SNAKEBRIDGE_BENCH_SKIP_BUILD=1  use the jar already built
#   SNAKEBRIDGE_BENCH_JAVA_OPTS     extra JVM options (the JMH forks inherit them)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${SNAKEBRIDGE_BENCH_PYTHON:-/usr/bin/python3}
jvm_cpu=${SNAKEBRIDGE_BENCH_JVM_CPU:-0}
py_cpu=${SNAKEBRIDGE_BENCH_PY_CPU:-1}
jar="$root/snakebridge-bench/target/benchmarks.jar"

die() { echo "run.sh: $*" >&2; exit 1; }

regimes=(unpinned pinned)
args=()
for a in "$@"; do
  case "$a" in
    --unpinned) regimes=(unpinned) ;;
    --pinned) regimes=(pinned) ;;
    -h|--help) regimes=(help); args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done

[[ -x "$python" ]] || command -v "$python" >/dev/null || die "no Python interpreter '$python' (set SNAKEBRIDGE_BENCH_PYTHON)"
if [[ " ${regimes[*]} " == *" pinned "* ]]; then
  command -v taskset >/dev/null || die "taskset not found (package util-linux); it pins the JVM and Python to their cores (or run --unpinned)"
  [[ "$jvm_cpu" != "$py_cpu" ]] || die "the JVM and Python must be on different cores (both are $jvm_cpu)"
  taskset -c "$jvm_cpu" true 2>/dev/null || die "cannot pin to core $jvm_cpu (set SNAKEBRIDGE_BENCH_JVM_CPU)"
  taskset -c "$py_cpu" true 2>/dev/null || die "cannot pin to core $py_cpu (set SNAKEBRIDGE_BENCH_PY_CPU)"
fi

# The same JDK as ./mvnw: JAVA_HOME, then the JDK on PATH, then the newest under /usr/lib/jvm (21+).
jdk=$(bash "$root/.mvn/wrapper/pick-jdk.sh") || exit 1
java="$jdk/bin/java"
java_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}') || true
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

if [[ "${SNAKEBRIDGE_BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  echo "run.sh: building the benchmarks jar (./mvnw -B -q -pl snakebridge-bench -am package -DskipTests)" >&2
  # (sed: Maven 3.8 writes bare colour resets even in batch mode; they would litter the report.)
  (cd "$root" && ./mvnw -B -q -pl snakebridge-bench -am package -DskipTests 2>&1) | sed 's/\x1b\[[0-9;]*m//g' >&2
fi
[[ -f "$jar" ]] || die "$jar is missing; build it or unset SNAKEBRIDGE_BENCH_SKIP_BUILD"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/snakebridge-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Run a private copy: a concurrent reactor build rewriting target/ must not pull the jar from under the forks.
cp "$jar" "$tmp/benchmarks.jar"
jar="$tmp/benchmarks.jar"

java_opts=()
# JMH 1.37 touches sun.misc.Unsafe, which JDK 24+ warns about in every fork.
(( $(java_major "$java") >= 24 )) && java_opts+=(--sun-misc-unsafe-memory-access=allow)

run_unpinned() {
  # shellcheck disable=SC2086
  SNAKEBRIDGE_PYTHON="$python" SNAKEBRIDGE_BENCH_RAW_PYTHON="$python" \
    "$java" "${java_opts[@]}" ${SNAKEBRIDGE_BENCH_JAVA_OPTS:-} -jar "$jar" "$@"
}

run_pinned() {
  # Every Python process starts through this wrapper, so it runs on its own core.
  local wrapper="$tmp/python-on-cpu$py_cpu"
  printf '#!/bin/sh\nexec taskset -c %s %q "$@"\n' "$py_cpu" "$python" > "$wrapper"
  chmod +x "$wrapper"
  # Start-up is measured with Python free to use every core (four workers start at once), but a child
  # inherits the JVM's pinning: this wrapper widens it again.
  local any_cpu="$tmp/python-on-any-cpu"
  printf '#!/bin/sh\nexec taskset -c %s %q "$@"\n' "0-$(( $(nproc --all) - 1 ))" "$python" > "$any_cpu"
  chmod +x "$any_cpu"
  # taskset on the parent JVM is inherited by the JMH forks and the child JVMs (and by anything they
  # start, which is why Python goes through the wrapper: taskset there moves it to its own core).
  # shellcheck disable=SC2086
  SNAKEBRIDGE_PYTHON="$wrapper" SNAKEBRIDGE_BENCH_RAW_PYTHON="$any_cpu" \
    taskset -c "$jvm_cpu" "$java" "${java_opts[@]}" ${SNAKEBRIDGE_BENCH_JAVA_OPTS:-} -jar "$jar" "$@"
}

if [[ "${regimes[0]}" == help ]]; then
  run_unpinned "${args[@]}"
  exit
fi
status=0
for regime in "${regimes[@]}"; do
  echo
  echo "run.sh: ===== $regime run ====="
  "run_$regime" --summary "$tmp/summary-$regime.txt" "${args[@]}" || status=$?
done
echo
echo "run.sh: ===== headline tables, unpinned first ====="
for regime in "${regimes[@]}"; do
  if [[ -s "$tmp/summary-$regime.txt" ]]; then
    cat "$tmp/summary-$regime.txt"
  else
    echo "run.sh: no headline table from the $regime run (it failed or measured nothing)"
  fi
  echo
done
exit "$status"
