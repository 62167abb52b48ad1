#!/usr/bin/env bash
# The test command: installs what the tests need (only when missing), then builds and runs every test:
# unit tests in each bundle (Surefire) and the OSGi Test suites inside Felix (bnd-testing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh

# The viewer's window test needs an X display: without one, run a virtual one (Xvfb) for the build.
xvfb_pid=
if [ -z "${DISPLAY:-}" ]; then
  exec 3< <(Xvfb -displayfd 1 -screen 0 1280x1024x24 -nolisten tcp 2>/dev/null)
  xvfb_pid=$!
  read -r -t 10 display <&3 || { echo "test: Xvfb did not start" >&2; exit 1; }
  export DISPLAY=":$display"
  trap 'kill $xvfb_pid 2>/dev/null' EXIT
fi

status=0
./mvnw -B verify "$@" || status=$?

# bnd-testing writes JUnit XML reports but prints no counts: sum them up so the log shows what ran in Felix.
reports=$(find integration-tests/target/test-reports -name 'TEST-*.xml' 2>/dev/null || true)
if [ -n "$reports" ]; then
  # shellcheck disable=SC2086
  python3 - $reports <<'PY'
import sys, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for path in sys.argv[1:]:
    for suite in ET.parse(path).getroot().iter('testsuite'):
        tests += int(suite.get('tests', 0))
        failed += int(suite.get('failures', 0)) + int(suite.get('errors', 0))
        skipped += int(suite.get('skipped', 0))
        for case in suite.iter('testcase'):
            bad = case.find('failure') if case.find('failure') is not None else case.find('error')
            mark = 'FAILED ' if bad is not None else ('skipped' if case.find('skipped') is not None else 'passed ')
            print(f"  [osgi] {mark} {case.get('classname')}.{case.get('name')} ({case.get('time')} s)")
print(f"OSGi tests in Felix: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
fi
exit $status
