#!/usr/bin/env python3
"""Facet quality on the shared corpora: the top values of each entity facet, and an
automatic proxy for their precision on Reuters.

  benches/facet_quality.py DOSSIER_BINARY CORPUS_DIR [TOP]

CORPUS_DIR is what ../shared/bench/make_corpus.py writes (reuters/, bbc/, seeds/,
reuters-gold.jsonl). Prints, for Reuters+BBC together and for the seeds, the TOP
(default 20) people, places and organisations of `dossier search 'date:1900..2100'
--facets`, for a person to judge. Then, on Reuters alone:

- people: the share of the top 50 people whose surname is among the Reuters editors'
  PEOPLE codes of the articles naming them (`james-baker` counts for "James Baker");
- organisations: the share of the top 50 organisations that are among the ORGS codes of
  the articles naming them (`imf` for "International Monetary Fund", by initials or the
  name's letters). Most organisations in the news are companies, which Reuters does not
  code, so this share has a low ceiling; it moves when junk enters or leaves the list.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

STOP = {"of", "the", "and", "for", "de", "&"}


def run(binary, index, *args):
    out = subprocess.run([binary, "--index", index, *args], capture_output=True, text=True)
    return out.stdout


def facets(binary, index, size):
    out = run(binary, index, "--json", "search", "--facets", "--facet-size", str(size), "-n", "0", "--", "date:1900..2100")
    return json.loads(out)["facets"]


def index_folders(binary, index, folders):
    subprocess.run([binary, "--index", index, "-q", "index", *folders], check=True)


def gold_by_place(corpus):
    """Gold stories by where make_corpus wrote them: path, or path#line for JSONL."""
    stories = {}
    for line in open(os.path.join(corpus, "reuters-gold.jsonl"), encoding="utf-8"):
        story = json.loads(line)
        stories[story["where"]] = story
    # JSONL records are named by their id in the gold file, by line number in an index.
    by_line = {}
    jsonl = os.path.join(corpus, "reuters", "jsonl")
    for name in sorted(os.listdir(jsonl)):
        with open(os.path.join(jsonl, name), encoding="utf-8") as shard:
            for number, record in enumerate(shard, 1):
                rid = json.loads(record).get("id")
                key = f"reuters/jsonl/{name}#{rid}"
                if key in stories:
                    by_line[f"reuters/jsonl/{name}#{number}"] = stories[key]
    for where, story in stories.items():
        if "#" not in where:
            by_line[where] = story
    return by_line


def stories_naming(binary, index, kind, name, gold):
    quoted = name.replace('"', "")
    out = run(binary, index, "search", "--csv", "--", f'{kind}:"{quoted}"')
    found = []
    for row in csv.DictReader(io.StringIO(out)):
        path = row["path"]
        at = path.find("reuters/")
        if at < 0:
            continue
        where = path[at:] + (f"#{row['record']}" if row["record"] else "")
        if where in gold:
            found.append(gold[where])
    return found


def person_matches(name, codes):
    words = name.lower().replace(".", "").split()
    for code in codes:
        parts = code.split("-")
        if words and (words[-len(parts):] == parts or words[-1] == parts[-1]):
            return True
    return False


def org_matches(name, codes):
    words = [w for w in name.replace("-", " ").split() if w.lower() not in STOP]
    initials = "".join(w[0] for w in words).lower()
    letters = "".join(words).lower().replace(".", "")
    for code in codes:
        head = code.split("-")[0]
        if head in (initials, letters) or code in (initials, letters):
            return True
    return False


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, corpus = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    work = tempfile.mkdtemp(prefix="dossier-facets-")
    both, reuters, seeds = (os.path.join(work, n) for n in ("both", "reuters", "seeds"))
    index_folders(binary, both, [os.path.join(corpus, "reuters"), os.path.join(corpus, "bbc")])
    index_folders(binary, reuters, [os.path.join(corpus, "reuters")])
    index_folders(binary, seeds, [os.path.join(corpus, "seeds")])
    for label, index in (("Reuters+BBC", both), ("seeds", seeds)):
        listed = facets(binary, index, top)
        for kind in ("person", "place", "org"):
            values = "; ".join(f"{v['value']} ({v['count']})" for v in listed[kind])
            print(f"{label} {kind}: {values}")
    gold = gold_by_place(corpus)
    listed = facets(binary, reuters, 50)
    for kind, codes_of, matches in (("person", "people", person_matches), ("org", "orgs", org_matches)):
        hits, misses = 0, []
        for value in listed[kind]:
            stories = stories_naming(binary, reuters, kind, value["value"], gold)
            codes = {c for s in stories for c in s[codes_of]}
            if matches(value["value"], codes):
                hits += 1
            else:
                misses.append(value["value"])
        share = hits / max(1, len(listed[kind]))
        print(f"proxy {kind}: {hits}/{len(listed[kind])} = {share:.2f} of the top 50 match a Reuters {codes_of} code of their articles")
        print(f"  not matched: {'; '.join(misses)}")


if __name__ == "__main__":
    main()
