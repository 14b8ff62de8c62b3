#!/bin/sh
# tests/check_po.sh - the translations are complete and the template current.
#
#   1. po/samen.pot holds exactly the strings marked in the sources (make pot
#      regenerates it; the creation date does not count);
#   2. every po/LANG.po compiles with msgfmt --check (format strings agree
#      with their msgids: a %s for a %s, numbered conversions kept);
#   3. ... has no fuzzy entry;
#   4. ... has no untranslated entry;
#   5. ... translates every msgid of the template (msgcmp).
# Each failure prints what to do. Last line, for tests/run.py:
# suite=check_po passed=N failed=M
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() { echo "FAIL check_po: $*"; failed=$((failed + 1)); }
tmp=$(mktemp -d /tmp/samen-check-po.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if ! command -v msgfmt >/dev/null || ! command -v xgettext >/dev/null; then
    fail "msgfmt and xgettext are missing: install Debian's gettext package (make deps)"
    echo "suite=check_po passed=$passed failed=$failed"
    exit 1
fi

make --no-print-directory -s POT_OUT="$tmp/samen.pot" pot-template >"$tmp/xgettext.log" 2>&1
if [ ! -f "$tmp/samen.pot" ]; then
    fail "xgettext failed: $(cat "$tmp/xgettext.log")"
elif diff -I '^"POT-Creation-Date:' po/samen.pot "$tmp/samen.pot" >"$tmp/pot.diff"; then
    ok
else
    fail "po/samen.pot is not current; run make pot and translate the new entries in po/*.po"
    sed 's/^/     /' "$tmp/pot.diff" | head -40
fi

for po in po/*.po; do
    if msgfmt --check -o /dev/null "$po" 2>"$tmp/msgfmt.log"; then ok; else
        fail "$po does not compile:"; sed 's/^/     /' "$tmp/msgfmt.log" | head -20
    fi
    msgattrib --only-fuzzy --no-obsolete "$po" >"$tmp/fuzzy.po" 2>/dev/null
    n=$(grep "^msgid " "$tmp/fuzzy.po" | grep -vc "^msgid \"\"$")
    if [ "$n" -eq 0 ]; then ok; else
        fail "$po has $n fuzzy entries (check each translation, then remove its fuzzy flag):"
        grep '^msgid ' "$tmp/fuzzy.po" | head -20 | sed 's/^/     /'
    fi
    msgattrib --untranslated --no-obsolete "$po" >"$tmp/untranslated.po" 2>/dev/null
    n=$(grep '^msgid ' "$tmp/untranslated.po" | grep -vc '^msgid ""$')
    if [ "$n" -eq 0 ]; then ok; else
        fail "$po has $n untranslated entries:"
        grep '^msgid ' "$tmp/untranslated.po" | grep -v '^msgid ""$' | head -20 | sed 's/^/     /'
    fi
    if msgcmp "$po" po/samen.pot >"$tmp/msgcmp.log" 2>&1; then ok; else
        fail "$po lacks translations of the template's strings (run make pot, then translate):"
        sed 's/^/     /' "$tmp/msgcmp.log" | head -20
    fi
done
echo "suite=check_po passed=$passed failed=$failed"
[ "$failed" -eq 0 ]
