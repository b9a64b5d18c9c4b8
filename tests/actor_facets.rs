//! The people, places and organisations facets hold real names under one kind, on text
//! shaped like wire copy and scraped pages (all written for these tests): headlines in
//! Title Case, sign-offs, earnings lines, possessive agency names, offices before a
//! name, quoted abbreviations, bylines and biographies.

use std::path::Path;

use assert_cmd::Command;
use dossier::dates::Interval;
use dossier::index::store::IndexStore;
use dossier::search::{FacetCollector, FacetOptions};
use tantivy::query::AllQuery;

/// The facet values of one kind over every article, most frequent first.
struct Actors {
    people: Vec<String>,
    places: Vec<String>,
    orgs: Vec<String>,
}

impl Actors {
    fn all(&self) -> impl Iterator<Item = &String> {
        self.people.iter().chain(&self.places).chain(&self.orgs)
    }
}

impl std::fmt::Debug for Actors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "people {:?}\nplaces {:?}\norgs {:?}",
            self.people, self.places, self.orgs
        )
    }
}

fn dossier(index: &Path) -> Command {
    let mut command = Command::cargo_bin("dossier").unwrap();
    command
        .env_remove("DOSSIER_INDEX")
        .env_remove("NO_COLOR")
        .arg("--index")
        .arg(index);
    command
}

/// Indexes `folder` with the binary and lists every facet value of the index.
fn index_and_list(folder: &Path, index: &Path) -> Actors {
    let output = dossier(index)
        .args(["index", "-q"])
        .arg(folder)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "index failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let store = IndexStore::open(index).unwrap();
    let searcher = store.reader().unwrap().searcher();
    let mut options = FacetOptions::new(Interval::Month);
    options.size = 1000;
    let facets = searcher
        .search(
            &AllQuery,
            &FacetCollector::with_options(&options, store.facet_values_for(&searcher).unwrap()),
        )
        .unwrap();
    let values = |counts: &[dossier::search::stats::Count]| -> Vec<String> {
        counts.iter().map(|c| c.value.clone()).collect()
    };
    Actors {
        people: values(&facets.person),
        places: values(&facets.place),
        orgs: values(&facets.org),
    }
}

/// Writes `articles` (file name, text) into a new folder and lists the index's actors.
fn actors_of(articles: &[(&str, &str)]) -> Actors {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    for (name, text) in articles {
        std::fs::write(folder.join(name), text).unwrap();
    }
    index_and_list(&folder, &dir.path().join("idx"))
}

fn search_total(index: &Path, query: &str) -> u64 {
    let output = dossier(index)
        .args(["search", query, "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json["total"].as_u64().unwrap()
}

#[test]
fn a_title_case_headline_is_not_evidence_of_names() {
    let actors = actors_of(&[(
        "harbour.txt",
        "Harbour Board Expected To Post Ten To Twelve Pct Profit Rise\n\n\
         The harbour board of Portmere is expected to report a rise in profit of ten to twelve \
         percent when it publishes its results on Friday, analysts said.\n",
    )]);
    for word in [
        "Harbour", "Board", "Expected", "Post", "Profit", "Pct", "Rise",
    ] {
        assert!(
            actors.all().all(|name| !name.contains(word)),
            "{word} taken from the headline: {actors:?}"
        );
    }
    // A name the body writes in mixed case still counts in the headline.
    let named = actors_of(&[(
        "minister.txt",
        "Minister Halvard Brekke Quits Over Port Deal\n\n\
         Transport minister Halvard Brekke resigned on Tuesday after a row over the port deal. \
         Brekke said he had lost the trust of his party.\n",
    )]);
    assert_eq!(named.people, vec!["Halvard Brekke"], "{named:?}");
}

#[test]
fn the_sign_off_is_neither_an_actor_nor_body_text() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("grain.txt"),
        "Grain shipments rise\n\nGrain shipments from the northern ports rose eight percent \
         in March, the port authority said.\n\nExporters expect a further rise in April.\n REUTER\n",
    )
    .unwrap();
    let index = dir.path().join("idx");
    let actors = index_and_list(&folder, &index);
    assert!(
        actors
            .all()
            .all(|name| !name.to_lowercase().starts_with("reuter")),
        "{actors:?}"
    );
    assert_eq!(search_total(&index, "reuter"), 0);
    assert_eq!(search_total(&index, "exporters"), 1);
}

#[test]
fn report_lines_and_tickers_are_not_names() {
    let actors = actors_of(&[(
        "results.txt",
        "Valdor Mills Inc 4th Qtr Net\n\n\
         Shr 42 cts vs 31 cts\n\
         Net 6,200,000 vs 4,700,000\n\
         Revs 88.1 mln vs 80.4 mln\n\
         Nine Mths\n\
         Shr 1.12 dlrs vs 98 cts\n\n\
         Valdor Mills Inc <VLDM> said it expects sales to grow in the coming year.\n",
    )]);
    for junk in ["Qtr", "Shr", "Net", "Revs", "Nine", "Mths", "VLDM"] {
        assert!(
            actors.all().all(|name| !name.split(' ').any(|w| w == junk)),
            "{junk} is a name: {actors:?}"
        );
    }
    assert!(actors.people.is_empty(), "{actors:?}");
}

#[test]
fn agencies_split_at_an_apostrophe_or_and_are_joined_back() {
    let actors = actors_of(&[
        (
            "ratings.txt",
            "Ratings agency cuts port bonds\n\nMoody's cut the rating of the Portmere port bonds \
             on Monday, and Standard and Poor's said it was reviewing its own.\n",
        ),
        (
            "ratings2.txt",
            "Port bonds reviewed\n\nStandard & Poor's affirmed the city's rating, while Moody's \
             Investors Service kept its outlook negative.\n",
        ),
    ]);
    assert!(
        actors
            .orgs
            .contains(&"Moody's Investors Service".to_string()),
        "{actors:?}"
    );
    assert!(
        actors.orgs.contains(&"Standard & Poor's".to_string()),
        "{actors:?}"
    );
    for part in ["Moody", "Poor", "Standard", "Standard and Poor"] {
        assert!(!actors.all().any(|n| n == part), "{part}: {actors:?}");
    }
}

#[test]
fn an_office_before_a_name_gives_the_person_and_the_place() {
    let actors = actors_of(&[(
        "visit.txt",
        "Leaders meet on trade\n\nUS President Joe Biden met German Chancellor Olaf Scholz \
         on Friday. The U.S. delegation said talks would go on.\n",
    )]);
    assert!(
        actors.people.contains(&"Joe Biden".to_string()),
        "{actors:?}"
    );
    assert!(
        actors.people.contains(&"Olaf Scholz".to_string()),
        "{actors:?}"
    );
    assert!(
        actors.places.contains(&"United States".to_string()),
        "{actors:?}"
    );
    assert!(actors.places.contains(&"Germany".to_string()), "{actors:?}");
    assert!(
        actors
            .orgs
            .iter()
            .all(|o| !o.contains("US") && !o.contains("President")),
        "{actors:?}"
    );
}

#[test]
fn a_quote_mark_never_starts_a_name() {
    let actors = actors_of(&[(
        "east.txt",
        "Fighting in the east\n\nShelling hit towns held by the separatist 'DNR' and 'LNR' \
         on Sunday, officials in Kyiv said. The so-called 'DNR' denied it.\n",
    )]);
    assert!(
        actors
            .all()
            .all(|n| !n.starts_with('\'') && !n.starts_with('\u{2019}')),
        "{actors:?}"
    );
    assert!(
        actors.all().any(|n| n == "Donetsk People's Republic"),
        "{actors:?}"
    );
    assert!(actors.places.contains(&"Kyiv".to_string()), "{actors:?}");
}

#[test]
fn bylines_and_biographies_are_not_the_articles_actors() {
    let actors = actors_of(&[(
        "bridge.html",
        "<html><head><title>Bridge reopens after repairs</title></head><body><article>\
         <h1>Bridge reopens after repairs</h1>\
         <p class=\"byline\">By Marit Solberg</p>\
         <p>The old river bridge in Valdor reopened on Monday after two years of repairs, \
         mayor Anton Keller said at the ceremony.</p>\
         <p>Keller said traffic would be limited to cars for the first month.</p>\
         <p>Photo: Ivo Renner</p>\
         <p>Marit Solberg is a reporter covering transport and city politics.</p>\
         </article></body></html>",
    )]);
    assert_eq!(actors.people, vec!["Anton Keller"], "{actors:?}");
}

#[test]
fn a_name_has_one_kind_across_the_index() {
    // The tagger may read "Corvane" as a person in a short line; the index keeps the
    // kind most of its articles give it.
    let mut articles = Vec::new();
    let texts: Vec<String> = (0..4)
        .map(|n| {
            format!(
                "Corvane shares rise\n\nShares of Corvane Industries rose {n} percent on \
                 Tuesday after the company said orders had grown. Corvane Industries \
                 employs nine hundred people.\n"
            )
        })
        .collect();
    let names: Vec<String> = (0..4).map(|n| format!("corvane{n}.txt")).collect();
    for (name, text) in names.iter().zip(&texts) {
        articles.push((name.as_str(), text.as_str()));
    }
    articles.push((
        "brief.txt",
        "Short brief\n\nCorvane Industries said on Friday that talks went well, its chief \
         Lena Dahl said.\n",
    ));
    let actors = actors_of(&articles);
    let kinds = [&actors.people, &actors.places, &actors.orgs]
        .iter()
        .filter(|values| values.contains(&"Corvane Industries".to_string()))
        .count();
    assert_eq!(kinds, 1, "{actors:?}");
    assert!(
        actors.orgs.contains(&"Corvane Industries".to_string()),
        "{actors:?}"
    );
}

#[test]
fn the_united_states_is_a_place_never_an_organisation() {
    let actors = actors_of(&[
        (
            "steel.txt",
            "US and EU agree on steel\n\nThe US and the European Union agreed on steel \
             quotas. U.S. officials said the deal would hold.\n",
        ),
        (
            "us-talks.txt",
            "Talks in Washington\n\nThe US said on Monday it would keep its quotas, and \
             the United States Trade Representative said more talks were planned.\n",
        ),
    ]);
    assert!(
        actors.places.contains(&"United States".to_string()),
        "{actors:?}"
    );
    for org in &actors.orgs {
        assert!(
            org != "US" && org != "U.S." && org != "United States",
            "{actors:?}"
        );
    }
}

#[test]
fn a_dateline_names_a_place_once_under_its_written_name() {
    let actors = actors_of(&[(
        "storm.txt",
        "Storm closes port\n\nKESTRELBY, March 3 - A storm closed the port of Kestrelby \
         on Tuesday, and ferries to the islands were cancelled, the coastguard said.\n",
    )]);
    assert!(
        actors.places.contains(&"Kestrelby".to_string()),
        "{actors:?}"
    );
    assert!(
        !actors.people.contains(&"Kestrelby".to_string())
            && !actors.orgs.contains(&"Kestrelby".to_string()),
        "{actors:?}"
    );
    // The dateline's capitals are the same place, not a second one.
    assert!(actors.all().all(|n| n != "KESTRELBY"), "{actors:?}");
}

#[test]
fn an_unlisted_name_mentioned_once_without_a_cue_stays_text_only() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("market.txt"),
        "Market day\n\nStalls selling Brindlecombe cheese filled the square on Saturday.\n",
    )
    .unwrap();
    let index = dir.path().join("idx");
    let actors = index_and_list(&folder, &index);
    assert!(actors.all().all(|n| n != "Brindlecombe"), "{actors:?}");
    assert_eq!(search_total(&index, "brindlecombe"), 1);
}

/// The demo's sample articles (tests/fixtures/news, written for dossier): every value of
/// every actor facet is a real name of that kind, as the articles' authors meant it.
#[test]
fn the_demo_articles_list_only_real_names() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news");
    let actors = index_and_list(&fixtures, &dir.path().join("idx"));
    let sorted = |values: &[String]| {
        let mut v = values.to_vec();
        v.sort();
        v
    };
    assert_eq!(sorted(&actors.people), DEMO_PEOPLE, "{actors:?}");
    assert_eq!(sorted(&actors.places), DEMO_PLACES, "{actors:?}");
    assert_eq!(sorted(&actors.orgs), DEMO_ORGS, "{actors:?}");
}

// What the articles' authors named, each under its kind (Portmere and Valmont are towns
// the articles invent, Hallmark Stores a retailer; Austria is there as Vienna's country).
const DEMO_PEOPLE: &[&str] = &[
    "Christine Lagarde",
    "Clara Weiss",
    "Elena Varga",
    "Henrik Aalto",
    "Ines Moreau",
    "Jens Stoltenberg",
    "Jonas Berg",
    "Josep Borrell",
    "Marta Kowalczyk",
    "Paolo Benedetti",
    "Tomas Reiner",
    "Volodymyr Zelensky",
];
const DEMO_PLACES: &[&str] = &[
    "Argentina",
    "Australia",
    "Austria",
    "Belarus",
    "Belgium",
    "Black Sea",
    "Brussels",
    "Cardiff",
    "Chicago",
    "Dresden",
    "Germany",
    "Hungary",
    "Kyiv",
    "Minsk",
    "Moscow",
    "Norway",
    "Odesa",
    "Poland",
    "Poltava",
    "Portmere",
    "Russia",
    "Saudi Arabia",
    "Ukraine",
    "United Kingdom",
    "United States",
    "Valmont",
    "Vienna",
    "Wales",
    "Warsaw",
    "Washington, D.C.",
];
const DEMO_ORGS: &[&str] = &[
    "European Central Bank",
    "European Union",
    "Hallmark Stores",
    "NATO",
    "Organization of the Petroleum Exporting Countries",
];
