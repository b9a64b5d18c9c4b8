#!/usr/bin/env python3
"""Writes every OpenSearch request dossier makes and validates each with the Spec class of
../shared/specs/opensearch-api/validate.py in strict mode (the same checks as its
`--strict` command line, the spec loaded once). Called by tests/opensearch/run.sh.

    validate_all.py DOSSIER_BIN SPEC_DIR REPO_ROOT WORK_DIR
"""
import json
import os
import re
import subprocess
import sys


def main():
    binary, spec_dir, root, work = sys.argv[1:5]
    sys.path.insert(0, spec_dir)
    import validate  # the spec's validator, beside the spec

    spec = validate.Spec(os.path.join(spec_dir, "spec"), strict=True)
    failures = []
    checked = 0
    # The check can fail: a misspelt query type and a stray key are refused.
    for bad in ({"query": {"intervalz": {}}}, {"query": {"match_all": {}}, "sizee": 1}):
        if not spec.errors("search", bad):
            sys.exit(f"the validator accepted a bad body: {bad}")

    def dossier(index, *args):
        done = subprocess.run([binary, "--index", index, *args], capture_output=True, text=True)
        return done

    def check(what, target, instance=None, text=None, mapping=None):
        nonlocal checked
        checked += 1
        if target == "bulk":
            errors = spec.bulk_errors(text, mapping)
        else:
            errors = spec.errors(target, instance)
        if errors:
            failures.append(f"{what}: " + "; ".join(errors[:5]))

    corpora = {
        "demo": [os.path.join(root, "tests/fixtures/news")],
        "seeds": [os.path.join(root, "../shared/seeds")],
    }
    indexes = {}
    for name, paths in corpora.items():
        index = os.path.join(work, name + "-index")
        done = dossier(index, "-q", "index", *paths)
        if done.returncode not in (0, 2):
            sys.exit(f"indexing {name} failed: {done.stderr}")
        stats = json.loads(dossier(index, "--json", "stats").stdout)
        indexes[name] = index
        for flavour, extra in (("annotated", []), ("plain", ["--without-plugin"])):
            out = os.path.join(work, f"{name}-{flavour}")
            done = dossier(index, "-q", "export", "opensearch", out, *extra)
            if done.returncode != 0:
                failures.append(f"export {name} {flavour}: {done.stderr}")
                continue
            create = json.load(open(os.path.join(out, "create-index.json")))
            check(f"{name} {flavour} create-index.json", "create", create)
            ids = []
            bulks = sorted(f for f in os.listdir(out) if f.startswith("bulk-"))
            if not bulks:
                failures.append(f"{name} {flavour}: no bulk file")
            for bulk in bulks:
                text = open(os.path.join(out, bulk), encoding="utf-8").read()
                if len(text.encode("utf-8")) > 10 * 1024 * 1024:
                    failures.append(f"{name} {flavour} {bulk}: over 10 MB")
                check(f"{name} {flavour} {bulk}", "bulk", text=text, mapping=create)
                lines = text.split("\n")[:-1]
                ids += [json.loads(line)["index"]["_id"] for line in lines[0::2]]
            if len(ids) != len(set(ids)) or len(ids) != stats["articles"]:
                failures.append(
                    f"{name} {flavour}: {len(ids)} bulk documents ({len(set(ids))} distinct) "
                    f"for {stats['articles']} articles")

    queries = [line.strip() for line in open(os.path.join(root, "../shared/bench/queries.txt"), encoding="utf-8")
               if line.strip() and not line.startswith("#")]
    queries += readme_queries(os.path.join(root, "README.md"))
    if len(queries) < 30:
        failures.append(f"only {len(queries)} queries found: the README table moved?")
    for query in queries:
        for flavour, extra in (("annotated", []), ("plain", ["--without-plugin"])):
            for facets in ([], ["--facets"]):
                args = ["search", "--opensearch", *extra, *facets, "--", query]
                done = dossier(indexes["seeds"], *args)
                what = f"{query!r} {flavour} {' '.join(facets)}"
                if done.returncode != 0:
                    failures.append(f"{what}: exit {done.returncode}: {done.stderr.strip()}")
                    continue
                check(what, "search", json.loads(done.stdout))
    for failure in failures:
        print("FAIL", failure)
    print(f"{checked} OpenSearch requests validated (--strict), {len(queries)} queries; "
          f"{len(failures)} failures")
    sys.exit(1 if failures else 0)


def readme_queries(path):
    """Every `query` in the first column of the README's query table."""
    text = open(path, encoding="utf-8").read()
    start = text.index("| query | matches |")
    table = text[start:text.index("\n\n", start)]
    out = []
    for row in table.split("\n")[2:]:
        first = row.split(" | ")[0]
        out += re.findall(r"`([^`]+)`", first)
    return out


if __name__ == "__main__":
    main()
