#!/usr/bin/env bash
# The op reference (proto/ops-*.md) and the role matrix in PROTOCOL.md must be
# what `make docs` writes from the op declarations.
set -u
cd "$(dirname "$0")/.."
opsdoc=${SAMEN_BIN:-build/check}/tools/opsdoc
if tools/gendocs "$opsdoc" --check; then
    echo "suite=check_docs passed=1 failed=0"
    exit 0
fi
echo "suite=check_docs passed=0 failed=1"
exit 1
