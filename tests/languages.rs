//! Actors across languages (SPEC 2): one Belarus, one Putin whether an article says
//! Белоруссии, Білорусі, Weißrussland or Biélorussie. Filters, near:, facets, stats,
//! extract and --explain see the one canonical entity; the English tagger does not read
//! the other languages (no person guesses there). Every article is written by this test;
//! its first line is its title, and the mentions checked are those of the body.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn dossier(index: &Path) -> Command {
    let mut command = Command::cargo_bin("dossier").unwrap();
    command
        .env_remove("DOSSIER_INDEX")
        .env("NO_COLOR", "1")
        .arg("--index")
        .arg(index);
    command
}

const RUSSIAN: &str = "Российские войска остаются в Белоруссии\n\n\
Российские войска остаются в Белоруссии после совместных учений, сообщили в Минске. \
Переговоры прошли в Женеве, где Сергей Лавров встретился с представителями НАТО. \
Владимир Путин заявил, что Кремль не планирует новых учений. \
Журналист Иван Петренко написал, что жители обеспокоены. \
Над полем стоял чад, и фермеры ждали дождя уже третью неделю подряд.\n";

const UKRAINIAN: &str = "Російські війська залишаються в Білорусі\n\n\
Російські війська залишаються в Білорусі, заявив Володимир Зеленський у Києві. \
За його словами, Путін готує нові навчання біля кордону з Україною. \
Українські прикордонники посилили охорону, повідомила Оксана Гриценко з прикордонної служби.\n";

const GERMAN: &str = "Russische Truppen bleiben in Weißrussland\n\n\
Russische Truppen bleiben nach dem Manöver in Weißrussland, berichten Beobachter in Berlin. \
Putins Sprecher wies die Vorwürfe zurück. Das Essen in der Kaserne sei gut, \
sagte ein Soldat; in Essen demonstrierten dagegen Hunderte gegen den Krieg. \
Die Gespräche in Genf endeten ohne Ergebnis, sagte Sergej Lawrow.\n";

const FRENCH: &str = "Les troupes russes restent en Biélorussie\n\n\
Les troupes russes restent en Biélorussie après les manœuvres, selon l'OTAN. \
Le Kremlin dément toute intention offensive. Les discussions de Genève n'ont rien donné, \
a déclaré Sergueï Lavrov à Paris.\n";

const ENGLISH: &str = "Russian troops stay in Belarus\n\n\
Russian troops will stay in Belarus after the drills, officials in Minsk said on Monday. \
Vladimir Putin told reporters that the Kremlin had no plans for an offensive. \
Talks in Geneva ended without result, Sergei Lavrov said.\n";

fn indexed() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    for (name, text) in [
        ("ru.txt", RUSSIAN),
        ("uk.txt", UKRAINIAN),
        ("de.txt", GERMAN),
        ("fr.txt", FRENCH),
        ("en.txt", ENGLISH),
    ] {
        std::fs::write(folder.join(name), text).unwrap();
    }
    let index = dir.path().join("index");
    let output = dossier(&index)
        .args(["index", "-q"])
        .arg(&folder)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, index)
}

fn search(index: &Path, args: &[&str]) -> Value {
    let output = dossier(index)
        .args(["--json", "search", "-n", "100"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "search {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The file names of the hits, sorted.
fn files(result: &Value) -> Vec<String> {
    let mut names: Vec<String> = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let path = h["path"].as_str().unwrap();
            path.rsplit('/').next().unwrap().to_string()
        })
        .collect();
    names.sort();
    names
}

fn count_of(list: &Value, value: &str) -> Option<u64> {
    list.as_array()?
        .iter()
        .find(|v| v["value"] == value)
        .and_then(|v| v["count"].as_u64())
}

#[test]
fn filters_near_and_facets_see_one_entity_across_languages() {
    let (_dir, index) = indexed();
    let all = ["de.txt", "en.txt", "fr.txt", "ru.txt", "uk.txt"];
    assert_eq!(files(&search(&index, &["place:Belarus"])), all);
    assert_eq!(
        files(&search(&index, &["person:Putin"])),
        ["de.txt", "en.txt", "ru.txt", "uk.txt"]
    );
    assert_eq!(
        files(&search(&index, &["person:Lavrov"])),
        ["de.txt", "en.txt", "fr.txt", "ru.txt"]
    );
    assert_eq!(files(&search(&index, &["org:NATO"])), ["fr.txt", "ru.txt"]);
    // near: operands stay words of the query: each language's own word finds its own
    // article, through that language's stems.
    assert_eq!(files(&search(&index, &["войска near:Belarus"])), ["ru.txt"]);
    assert_eq!(
        files(&search(&index, &["війська near:Belarus"])),
        ["uk.txt"]
    );
    assert_eq!(
        files(&search(&index, &["Truppen near:Belarus"])),
        ["de.txt"]
    );
    assert_eq!(files(&search(&index, &["troops near:Belarus"])), ["en.txt"]);
    let faceted = search(&index, &["place:Belarus", "--facets"]);
    assert_eq!(count_of(&faceted["facets"]["place"], "Belarus"), Some(5));
    assert_eq!(count_of(&faceted["facets"]["place"], "Geneva"), Some(4));
    assert_eq!(
        count_of(&faceted["facets"]["person"], "Vladimir Putin"),
        Some(4)
    );

    let output = dossier(&index).args(["--json", "stats"]).output().unwrap();
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(count_of(&stats["top"]["place"], "Belarus"), Some(5));
}

#[test]
fn explain_shows_the_form_written() {
    let (_dir, index) = indexed();
    let output = dossier(&index)
        .args(["search", "войска near:Belarus", "--explain"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("\"Белоруссии\" (place Belarus)"), "{text}");
}

/// The entities `dossier extract` gives one article: (kind, name, texts of mentions).
fn extracted(text: &str) -> (String, Vec<(String, String, Vec<String>)>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("article.txt");
    std::fs::write(&path, text).unwrap();
    let output = Command::cargo_bin("dossier")
        .unwrap()
        .args(["--json", "extract"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    let article: Value =
        serde_json::from_slice(output.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    let body = article["body"].as_str().unwrap().to_string();
    let entities = article["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mentions = e["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    let (s, e) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
                    let written = &body[s as usize..e as usize];
                    assert_eq!(written, m["text"].as_str().unwrap(), "span and text agree");
                    written.to_string()
                })
                .collect();
            (
                e["kind"].as_str().unwrap().to_string(),
                e["name"].as_str().unwrap().to_string(),
                mentions,
            )
        })
        .collect();
    (article["lang"].as_str().unwrap().to_string(), entities)
}

fn mentions_of<'a>(
    entities: &'a [(String, String, Vec<String>)],
    kind: &str,
    name: &str,
) -> &'a [String] {
    entities
        .iter()
        .find(|(k, n, _)| k == kind && n == name)
        .map(|(_, _, m)| m.as_slice())
        .unwrap_or_else(|| panic!("no {kind} {name} in {entities:?}"))
}

#[test]
fn inflected_names_demonyms_and_organisations_in_russian_and_ukrainian() {
    let (lang, entities) = extracted(RUSSIAN);
    assert_eq!(lang, "ru");
    assert_eq!(mentions_of(&entities, "place", "Belarus"), ["Белоруссии"]);
    assert_eq!(mentions_of(&entities, "place", "Russia"), ["Российские"]);
    assert_eq!(mentions_of(&entities, "place", "Geneva"), ["Женеве"]);
    assert_eq!(mentions_of(&entities, "place", "Minsk"), ["Минске"]);
    assert_eq!(
        mentions_of(&entities, "person", "Sergei Lavrov"),
        ["Сергей Лавров"]
    );
    assert_eq!(mentions_of(&entities, "org", "NATO"), ["НАТО"]);
    assert_eq!(mentions_of(&entities, "org", "Kremlin"), ["Кремль"]);
    // The tagger does not guess: the unlisted journalist is no person here, and the
    // common word "чад" (fumes) is not Chad.
    let people: Vec<&str> = entities
        .iter()
        .filter(|(k, _, _)| k == "person")
        .map(|(_, n, _)| n.as_str())
        .collect();
    assert_eq!(people, ["Sergei Lavrov", "Vladimir Putin"]);
    assert!(
        !entities.iter().any(|(_, n, _)| n == "Chad"),
        "{entities:?}"
    );

    let (lang, entities) = extracted(UKRAINIAN);
    assert_eq!(lang, "uk");
    assert_eq!(mentions_of(&entities, "place", "Belarus"), ["Білорусі"]);
    assert_eq!(mentions_of(&entities, "place", "Kyiv"), ["Києві"]);
    assert_eq!(
        mentions_of(&entities, "place", "Ukraine"),
        ["Україною", "Українські"]
    );
    assert_eq!(
        mentions_of(&entities, "person", "Volodymyr Zelensky"),
        ["Володимир Зеленський"]
    );
    assert_eq!(
        mentions_of(&entities, "person", "Vladimir Putin"),
        ["Путін"]
    );
    assert!(
        !entities.iter().any(|(_, n, _)| n.contains("Гриценко")),
        "{entities:?}"
    );
}

#[test]
fn german_and_french_names_and_a_word_that_is_also_a_city() {
    let (lang, entities) = extracted(GERMAN);
    assert_eq!(lang, "de");
    assert_eq!(mentions_of(&entities, "place", "Belarus"), ["Weißrussland"]);
    assert_eq!(mentions_of(&entities, "place", "Russia"), ["Russische"]);
    assert_eq!(
        mentions_of(&entities, "person", "Vladimir Putin"),
        ["Putins"]
    );
    assert_eq!(mentions_of(&entities, "place", "Geneva"), ["Genf"]);
    assert_eq!(
        mentions_of(&entities, "person", "Sergei Lavrov"),
        ["Sergej Lawrow"]
    );
    // "Das Essen" is food; "in Essen" is the city.
    assert_eq!(mentions_of(&entities, "place", "Essen"), ["Essen"]);

    let (lang, entities) = extracted(FRENCH);
    assert_eq!(lang, "fr");
    assert_eq!(mentions_of(&entities, "place", "Belarus"), ["Biélorussie"]);
    assert_eq!(mentions_of(&entities, "place", "Russia"), ["russes"]);
    assert_eq!(mentions_of(&entities, "org", "NATO"), ["OTAN"]);
    assert_eq!(mentions_of(&entities, "place", "Geneva"), ["Genève"]);
    assert_eq!(
        mentions_of(&entities, "person", "Sergei Lavrov"),
        ["Sergueï Lavrov"]
    );
}
