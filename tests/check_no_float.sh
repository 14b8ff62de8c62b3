#!/bin/sh
# tests/check_no_float.sh - money in samen-finance is int64 cents: no binary
# fractions anywhere in services/finance. Fails, printing each offending
# line, when the words "float" or "double" appear in services/finance/*.c or
# *.h (comments included: finance comments simply do not use those words).
# Last line, for tests/run.py: suite=check_no_float passed=N failed=M
cd "$(dirname "$0")/.." || exit 2
files=$(ls services/finance/*.c services/finance/*.h 2>/dev/null)
if [ -z "$files" ]; then
    echo "check_no_float: no files in services/finance"
    echo "suite=check_no_float passed=0 failed=1"
    exit 1
fi
# -w: whole words only, so "doubled" or "floating_rate" do not count.
hits=$(grep -HnwE 'float|double' $files)
if [ -n "$hits" ]; then
    echo "$hits" | sed 's/^/FAIL check_no_float: /'
    echo "suite=check_no_float passed=0 failed=1"
    exit 1
fi
echo "suite=check_no_float passed=1 failed=0"
exit 0
