#!/usr/bin/env bash
# Sets everything up and runs the whole test suite against real nats-server processes.
# Fails when a test fails or when the build of the project's own code shows a warning.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests 2>&1 | tee "$log" | grep -E 'error:|warning:|Compiling|Build complete' | grep -v '^\[' || true
if grep -E '^(/|\./)?[^ ]*(Sources|Tests)/[^ ]*: (warning|error):' "$log" >/dev/null; then
  echo "test: the build shows warnings or errors in the project's code:" >&2
  grep -E '(Sources|Tests)/[^ ]*: (warning|error):' "$log" | sort -u >&2
  exit 1
fi
# Every test starts its own nats-server (and often nodes and processes): bound how many run at once so a
# 2-core machine is not swamped (Swift Testing runs everything in parallel otherwise).
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-8}"
# A crash prints one backtrace (the crashed thread's), not every thread's: CI shows the tail of the output.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=yes,threads=crashed,registers=none,images=none,sanitize=yes}"
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
status=0
swift test --skip-build "$@" 2>&1 | tee "$out" || status=$?
if [ "$status" -ne 0 ]; then
  python3 scripts/test-summary.py "$out" >&2 || true
fi
exit "$status"
