#!/usr/bin/env python3
"""Score dossier's entity extraction on CoNLL-2003 (PER, LOC, ORG; MISC ignored).

  benches/conll_eval.py DOSSIER_BINARY CONLL_FILE

Each document's tokens are joined by spaces and its sentences by newlines, sent to
`dossier extract -`, and the mentions it returns are compared with the gold spans,
exactly (same first and last token, same kind). person/place/org map to PER/LOC/ORG.
Mentions dossier reports with form "demonym" ("Belarusian" as a mention of Belarus)
are left out: CoNLL files demonyms under MISC, which is not scored. CoNLL spans are flat,
so a mention inside another ("U.S." in "U.S. Agriculture Department", which dossier
also counts as a mention of the United States) is left out too.

Use eng.testa while developing; eng.testb is the held-out test.
"""
import json
import subprocess
import sys
import time

KINDS = {"person": "PER", "place": "LOC", "org": "ORG"}


def documents(path):
    doc, sentence = [], []
    for line in open(path, encoding="utf-8"):
        cells = line.split()
        if not cells:
            if sentence:
                doc.append(sentence)
                sentence = []
            continue
        if cells[0] == "-DOCSTART-":
            if doc or sentence:
                if sentence:
                    doc.append(sentence)
                yield doc
            doc, sentence = [], []
            continue
        sentence.append((cells[0], cells[-1]))
    if sentence:
        doc.append(sentence)
    if doc:
        yield doc


def gold_spans(doc):
    """IOB1 -> (first token, last token + 1, kind) over the document's tokens."""
    spans, index, open_span = set(), 0, None
    for sentence in doc:
        for word, label in sentence:
            prefix, _, kind = label.partition("-")
            starts = kind and (prefix == "B" or open_span is None or open_span[1] != kind)
            if open_span and (not kind or starts):
                spans.add((open_span[0], index, open_span[1]))
                open_span = None
            if kind and starts:
                open_span = (index, kind)
            index += 1
        if open_span:
            spans.add((open_span[0], index, open_span[1]))
            open_span = None
    return {s for s in spans if s[2] in ("PER", "LOC", "ORG")}


def main():
    binary, path = sys.argv[1], sys.argv[2]
    counts = {k: [0, 0, 0] for k in ("PER", "LOC", "ORG")}  # correct, predicted, gold
    docs = list(documents(path))
    total_bytes = 0
    started = time.time()
    for doc in docs:
        text = "\n".join(" ".join(w for w, _ in s) for s in doc) + "\n"
        total_bytes += len(text.encode("utf-8"))
        starts, ends, offset = {}, {}, 0
        index = 0
        for s in doc:
            for word, _ in s:
                starts[offset] = index
                offset += len(word.encode("utf-8"))
                ends[offset] = index + 1
                offset += 1
                index += 1
        out = subprocess.run([binary, "extract", "-"], input=text.encode("utf-8"), capture_output=True, check=True)
        article = json.loads(out.stdout)
        predicted = set()
        for entity in article["entities"]:
            kind = KINDS[entity["kind"]]
            for m in entity["mentions"]:
                if m.get("form") == "demonym":
                    continue
                if m["start"] in starts and m["end"] in ends:
                    predicted.add((starts[m["start"]], ends[m["end"]], kind))
                else:
                    predicted.add((-m["start"], -m["end"], kind))  # not on token boundaries: wrong
        predicted = {p for p in predicted
                     if not any(o != p and o[0] <= p[0] and p[1] <= o[1] and o[0] >= 0 for o in predicted)}
        gold = gold_spans(doc)
        for span in predicted:
            counts[span[2]][1] += 1
            counts[span[2]][0] += span in gold
        for span in gold:
            counts[span[2]][2] += 1
    seconds = time.time() - started
    total = [0, 0, 0]
    for kind, (c, p, g) in counts.items():
        precision, recall = c / max(p, 1), c / max(g, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        print(f"{kind}: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} (gold {g})")
        total = [t + x for t, x in zip(total, (c, p, g))]
    precision, recall = total[0] / max(total[1], 1), total[0] / max(total[2], 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"micro PER+LOC+ORG: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    print(f"{len(docs)} documents in {seconds:.1f} s: {len(docs) / seconds:.1f} documents/s "
          f"({total_bytes / 1e6 / seconds:.2f} MB/s, including one process start per document)")


if __name__ == "__main__":
    main()
