# shellcheck shell=bash
# Sourced by the test scripts: one way to say a step passed, failed or could not run.
#   skip REASON   prints "SKIP <script>: REASON" and exits 77 (the tests' "skipped" status)
#   pass TEXT     prints "ok   TEXT"
#   fail TEXT     prints "FAIL TEXT" and counts it in $failures (the script decides at its end)
failures=0
skip() { echo "SKIP ${test_name:-$0}: $*"; exit 77; }
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
