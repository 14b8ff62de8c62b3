#!/usr/bin/python3
"""tests/bench/bench_pii.py - how well pii.scan finds personal data, for `make bench`.

    /usr/bin/python3 tests/bench/bench_pii.py --bin build/release [--show]

Starts its own stack (broker and intake on private ipc endpoints), registers
the @participant lines of tests/bench/pii_corpus.tsv in the address file,
and sends every sentence of the corpus through intake's pii.scan, end to
end through the broker, as reporting does before publishing. Intake runs
with SAMEN_TODAY=2026-06-01, so that dates of birth are judged the same on
every run.

Figures:
  1. detection rate: of the personal-data items the corpus labels, the
     share that a match of the same kind overlaps (a participant's name
     found as a possible name, or the other way round, counts: both stop
     publication); overall and per kind;
  2. false alarms: the share of clean sentences with any match;
  3. matches on labelled sentences that overlap no label (reported, not
     judged: usually a second name the label did not mention);
  4. pii.scan latency per sentence (median).

--show prints every miss and false alarm (the corpus is made up, so this
shows no one's data).

Prints one line per figure:
    ROW|<measure>|<samen figure>|<baseline or ->|<target or ->|<met/missed/->
"""
import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "bench", "pii_corpus.tsv")
KINDS = ["name", "possible_name", "email", "phone", "bsn", "iban", "postcode", "birth_date"]
NAMES = ("name", "possible_name")
TODAY = "2026-06-01"
DETECTION_TARGET = 0.95
FALSE_ALARM_TARGET = 0.05


def row(measure, figure, baseline="-", target="-", met=None):
    verdict = "-" if met is None else ("met" if met else "missed")
    print(f"ROW|{measure}|{figure}|{baseline}|{target}|{verdict}", flush=True)


def read_corpus(path):
    """Returns (participants, sentences); a sentence is (labels, text, set)
    with labels a list of (kind, start, end) in characters of text and set
    the name given by the last @set line before it ("" before any)."""
    participants, sentences, current = [], [], ""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if fields[0] == "@participant":
                participants.append(fields[1:4])
                continue
            if fields[0] == "@set":
                current = fields[1]
                continue
            if len(fields) != 2:
                raise SystemExit(f"{path}:{n}: want labels TAB sentence")
            labels, text = fields
            items = []
            if labels != "-":
                for item in labels.split("|"):
                    kind, _, value = item.partition("=")
                    at = text.find(value)
                    if kind not in KINDS or not value or at < 0:
                        raise SystemExit(f"{path}:{n}: label {item!r} is not in the sentence")
                    items.append((kind, at, at + len(value)))
            sentences.append((items, text, current))
    return participants, sentences


def char_spans(text, matches):
    """pii.scan gives byte offsets; the labels are characters."""
    raw = text.encode("utf-8")
    spans = []
    for m in matches:
        start = len(raw[:m["offset"]].decode("utf-8", errors="ignore"))
        end = len(raw[:m["offset"] + m["length"]].decode("utf-8", errors="ignore"))
        spans.append((m["kind"], start, end, m["text"]))
    return spans


def same_family(a, b):
    return a == b or (a in NAMES and b in NAMES)


def pct(part, whole):
    return f"{100.0 * part / whole:.1f}% ({part}/{whole})" if whole else "-"


def report(results, part, show):
    """Print the detection and false-alarm rows for the sentences of set
    part (None: all of them)."""
    found = {k: 0 for k in KINDS}
    total = {k: 0 for k in KINDS}
    clean = alarms = extra = dirty = 0
    for p, labels, text, spans in results:
        if part is not None and p != part:
            continue
        if not labels:
            clean += 1
            if spans:
                alarms += 1
                if show:
                    print("FALSE ALARM:", text, [(k, t) for k, _, _, t in spans], file=sys.stderr)
            continue
        dirty += 1
        for kind, start, end in labels:
            total[kind] += 1
            hit = any(same_family(kind, k) and s < end and start < e for k, s, e, _ in spans)
            found[kind] += hit
            if not hit and show:
                print(f"MISSED {kind}:", text[start:end], "::", text,
                      [(k, t) for k, _, _, t in spans], file=sys.stderr)
        for k, s, e, t in spans:
            if not any(s < le and ls < e for _, ls, le in labels):
                extra += 1
                if show:
                    print("UNLABELLED MATCH:", k, t, "::", text, file=sys.stderr)
    items, hits = sum(total.values()), sum(found.values())
    which = "" if part is None else f", {part} set"
    row(f"pii.scan detection{which}, all kinds ({dirty} sentences with personal data)",
        pct(hits, items), "-", f">= {DETECTION_TARGET:.0%}",
        items > 0 and hits >= DETECTION_TARGET * items)
    if part is None:
        for k in KINDS:
            if total[k]:
                row(f"pii.scan detection, {k}", pct(found[k], total[k]))
    row(f"pii.scan false alarms{which} ({clean} clean sentences)", pct(alarms, clean), "-",
        f"<= {FALSE_ALARM_TARGET:.0%}", clean > 0 and alarms <= FALSE_ALARM_TARGET * clean)
    if part is None:
        row("pii.scan matches beside the labels (sentences with personal data)", str(extra))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="build/release")
    ap.add_argument("--show", action="store_true", help="print misses and false alarms")
    ap.add_argument("--quick", action="store_true", help="accepted for symmetry; the run is short")
    a = ap.parse_args()
    os.environ["SAMEN_BIN"] = os.path.abspath(os.path.join(ROOT, a.bin))
    os.environ["SAMEN_TODAY"] = TODAY
    sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
    import samentest as st

    participants, sentences = read_corpus(CORPUS)
    stack = st.Stack(services=["intake"], config={"intake": {"log_level": "warn"}}, name="pii")
    try:
        stack.up()
        for i, (name, email, phone) in enumerate(participants):
            stack.ok("intake", "participant.register",
                     {"name": name, "email": email, "phone": phone, "consent": True},
                     rid=f"bench-pii-{i}")
        results = []  # (set, labels, spans, clean)
        times = []
        for labels, text, part in sentences:
            t0 = time.perf_counter()
            reply = stack.call("intake", "pii.scan", {"text": text}, timeout=10)
            times.append((time.perf_counter() - t0) * 1000)
            if not reply.get("ok"):
                raise RuntimeError(f"pii.scan refused: {reply}")
            results.append((part, labels, text, char_spans(text, reply["data"]["matches"])))
        report(results, None, a.show)
        for part in sorted({r[0] for r in results if r[0]}):
            report(results, part, False)
        row(f"pii.scan latency per sentence, p50 ({len(participants)} people known)",
            f"{statistics.median(times):.2f} ms")
    finally:
        stack.teardown()
        if stack.problems:
            print("# problems: " + "; ".join(stack.problems), file=sys.stderr)
        stack.cleanup()


if __name__ == "__main__":
    main()
