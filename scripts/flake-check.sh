#!/usr/bin/env bash
# The flake check: runs the test command (scripts/test.sh) N times (default 5), each on a fresh clone of
# the committed HEAD, the later half of the runs with a second process keeping one core busy, and prints
# each run's result, time and failing tests. Run it before handing work in: a test that fails once in
# five runs here fails CI as often.
#
#   scripts/flake-check.sh [N] [-- extra arguments for scripts/test.sh]
#
# Logs stay in the work directory it names (TRIBUTARY_FLAKE_DIR, default a new temporary directory).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
shift || true
[ "${1:-}" = "--" ] && shift
case $runs in
  ''|*[!0-9]*|0) echo "flake-check: N must be a positive number of runs, got '$runs'" >&2; exit 2 ;;
esac

work=${TRIBUTARY_FLAKE_DIR:-$(mktemp -d -t tributary-flake.XXXXXX)}
mkdir -p "$work"
head=$(git -C "$root" rev-parse --short HEAD)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
  echo "flake-check: uncommitted changes are not tested; it runs commit $head" >&2
fi
echo "flake-check: $runs runs of scripts/test.sh on clean clones of $head, runs $((runs / 2 + 1))-$runs with a busy core; logs in $work"

busy_pid=
stop_busy() { [ -n "$busy_pid" ] && kill "$busy_pid" 2>/dev/null; wait "$busy_pid" 2>/dev/null || true; busy_pid=; }
trap stop_busy EXIT

test_counts() {
  python3 - "$1" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
def count(paths):
    tests = bad = 0
    for path in paths:
        try:
            for suite in ET.parse(path).getroot().iter('testsuite'):
                tests += int(suite.get('tests', 0))
                bad += int(suite.get('failures', 0)) + int(suite.get('errors', 0))
        except ET.ParseError:
            pass
    return f"{tests - bad}/{tests}"
unit = glob.glob(os.path.join(root, '**/target/surefire-reports/TEST-*.xml'), recursive=True)
osgi = glob.glob(os.path.join(root, 'integration-tests/target/test-reports/**/TEST-*.xml'), recursive=True)
print(f"unit tests {count(unit)} passed, OSGi tests {count(osgi)} passed")
PY
}

failing_tests() {
  # Surefire (unit tests) and bnd-testing (OSGi tests) reports: the names of failed or erroring cases.
  python3 - "$1" <<'PY'
import glob, os, sys, xml.etree.ElementTree as ET
root = sys.argv[1]
paths = glob.glob(os.path.join(root, '**/target/surefire-reports/TEST-*.xml'), recursive=True) \
      + glob.glob(os.path.join(root, 'integration-tests/target/test-reports/**/TEST-*.xml'), recursive=True)
for path in sorted(paths):
    try:
        tree = ET.parse(path)
    except ET.ParseError:
        continue
    for case in tree.getroot().iter('testcase'):
        bad = case.find('failure')
        if bad is None:
            bad = case.find('error')
        if bad is not None:
            message = (bad.get('message') or '').strip().splitlines()
            print(f"    {case.get('classname')}.{case.get('name')}: {message[0][:160] if message else bad.get('type')}")
PY
}

passed=0 failed=0
results=()
for i in $(seq 1 "$runs"); do
  clone="$work/run-$i"
  rm -rf "$clone"
  git clone -q "$root" "$clone"
  busy=""
  if [ "$i" -gt $((runs / 2)) ]; then
    sh -c 'while :; do :; done' &
    busy_pid=$!
    busy=" (busy core)"
  fi
  start=$(date +%s)
  status=0
  (cd "$clone" && scripts/test.sh "$@") >"$work/run-$i.log" 2>&1 </dev/null || status=$?
  seconds=$(( $(date +%s) - start ))
  stop_busy
  counts=$(test_counts "$clone")
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    line="run $i$busy: green in $((seconds / 60)) min $((seconds % 60)) s; $counts"
    echo "$line"
  else
    failed=$((failed + 1))
    line="run $i$busy: RED (exit $status) in $((seconds / 60)) min $((seconds % 60)) s; $counts"
    echo "$line"
    failing_tests "$clone" | tee "$work/run-$i.failures"
    [ -s "$work/run-$i.failures" ] || echo "    no failing test case in the reports: see $work/run-$i.log"
  fi
  results+=("$line")
done

echo "flake-check summary for $head:"
printf '  %s\n' "${results[@]}"
echo "flake-check: $passed green, $failed red of $runs runs"
[ "$failed" -eq 0 ]
