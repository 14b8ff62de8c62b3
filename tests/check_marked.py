#!/usr/bin/python3
"""Every message in common/ and services/ that reaches a person is marked for translation.

The refusals (sm_err_set, sm_ctx_fail, the files' own refusal
helpers declared with a printf format) and what it writes on stderr
(fprintf(stderr, ...), fputs(..., stderr)) must pass their words through
gettext: _(), Q_() or C_() around each literal, or a variable that holds a
translated sentence. A literal with words left bare is reported with its
file and line; once marked, xgettext puts it in po/samen.pot and
tests/check_po.sh keeps po/nl.po's translation of it complete.

Not messages: log lines (sm_log and friends: logfmt for operators' tools,
English by design, README "Health, logs and metrics"), "PANIC:" lines for a
programming error just before abort(), and literals that are not words
(formats like "%s: %s\n", field and setting names like "data_dir", flags
like "--locale"; a literal of one word, without spaces, is taken for a name or a wire
code, so only prose is reported and the check has no false failures on
codes). What it cannot see: prose kept in a variable first (a `why =
"..."` later passed as "%s"), and refusal helpers without a printf format
attribute; review catches those. Usage: check_marked.py [DIR...] (default:
common/ and every services/*/); last line `suite=check_marked passed=N
failed=M`, counting files.
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#  name -> index of the first argument that may carry words (the format).
CALLS = {"sm_err_set": 3, "sm_ctx_fail": 3, "fprintf": 1, "fputs": 0}
MARKS = ("_(", "Q_(", "C_(", "N_(", "NC_(")
#  A literal that is a name, not words: identifiers, settings, flags, paths,
#  formats without prose.
NAME = re.compile(r'^[-A-Za-z0-9_./:%$@=*+#<>\[\]]*$')


def strip_comments(src):
    """src with comments blanked (newlines kept, so lines still count)."""
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif src[i] in "\"'":
            q, j = src[i], i + 1
            while j < n and src[j] != q:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(src[i])
            i += 1
    return "".join(out)


def call_args(src, open_paren):
    """The argument texts of the call whose "(" is at open_paren, and the
    index after its ")"."""
    depth, i, start, args = 0, open_paren, open_paren + 1, []
    while i < len(src):
        c = src[i]
        if c in "\"'":
            j = i + 1
            while j < len(src) and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append(src[start:i])
                return args, i + 1
        elif c == "," and depth == 1:
            args.append(src[start:i])
            start = i + 1
        i += 1
    return args, len(src)


def without_marked(text):
    """text with every _(...), Q_(...), C_(...) removed."""
    out, i = [], 0
    while i < len(text):
        m = next((k for k in MARKS if text.startswith(k, i) and
                  (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"))), None)
        if m:
            _, i = call_args(text, i + len(m) - 1)
            out.append(" ")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def bare_words(text):
    """The literals in text (outside marks) that hold words."""
    found = []
    for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', without_marked(text)):
        if lit.startswith("PANIC"):
            return []
        if NAME.match(lit):
            continue
        #  Only a format's conversions and the programme's name.
        prose = re.sub(r"%[-+ #0-9.*$hlzjtL]*[a-zA-Z]|samen(-[a-z]+)?|\\[nt\"]", "", lit)
        if re.search(r"[A-Za-z]{2,}", prose):
            found.append(lit)
    return found


def check_file(path):
    src = strip_comments(open(path, encoding="utf-8").read())
    #  The file's own printf-like refusal helpers: static ... s_x(...)
    #  __attribute__((format(printf, F, A))).
    calls = dict(CALLS)
    for m in re.finditer(r"\b(s_\w+)\s*\([^;{]*?__attribute__\(\(format\(printf,\s*(\d+)", src):
        calls[m.group(1)] = int(m.group(2)) - 1
    bad = []
    for name, first in calls.items():
        for m in re.finditer(r"(?<![\w.>])%s\s*\(" % re.escape(name), src):
            args, _ = call_args(src, m.end() - 1)
            if name == "fprintf" and (not args or args[0].strip() != "stderr"):
                continue
            if name == "fputs" and (len(args) < 2 or args[1].strip() != "stderr"):
                continue
            if name == "fputs":
                args = args[:1]
            line = src.count("\n", 0, m.start()) + 1
            #  A declaration or definition, not a call.
            if re.match(r"\s*(const\s+)?(char|sm_err_t|sm_ctx_t|int|FILE)\b", args[0] if args else ""):
                continue
            for lit in bare_words(",".join(args[first:])):
                bad.append((line, name, lit))
    return bad


def main():
    roots = sys.argv[1:] or [os.path.join(ROOT, "common")] + sorted(
        glob.glob(os.path.join(ROOT, "services", "*", "")))
    passed = failed = 0
    for path in sorted(p for root in roots for p in glob.glob(os.path.join(root, "*.c"))):
        bad = check_file(path)
        rel = os.path.relpath(path, ROOT)
        if bad:
            failed += 1
            for line, name, lit in bad:
                print(f"FAIL check_marked: {rel}:{line}: {name} with an unmarked message: \"{lit[:90]}\"")
        else:
            passed += 1
    if failed:
        print("     wrap each in _() (a whole sentence; common/i18n.h), run make pot, "
              "translate it in po/nl.po")
    print(f"suite=check_marked passed={passed} failed={failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
