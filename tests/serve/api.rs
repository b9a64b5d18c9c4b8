//! The endpoints against the CLI: the same objects for the same questions.

use serde_json::Value;

use super::{encode, without_time, Workspace};

/// Queries and options the API and the CLI must answer alike.
const QUESTIONS: &[(&str, &[(&str, &str)])] = &[
    ("troops near:Belarus", &[]),
    (
        "harbour OR bridge OR troops",
        &[("n", "3"), ("offset", "1")],
    ),
    (
        "date:2023",
        &[("sort", "oldest"), ("facets", "1"), ("interval", "year")],
    ),
    (
        "troops",
        &[("facets", "1"), ("facet_size", "2"), ("snippets", "1")],
    ),
    ("troops near:Belarus", &[("explain", "1")]),
    ("person:Nobody troops", &[]),
    ("-harbour storm", &[("n", "5")]),
    ("sanction*", &[("sort", "newest"), ("snippets", "0")]),
    ("harbour OR troops", &[("collapse", "1"), ("facets", "1")]),
];

/// The CLI arguments for an API option.
fn cli_args(name: &str, value: &str) -> Vec<String> {
    match name {
        "n" => vec!["-n".into(), value.into()],
        "facets" | "explain" | "collapse" => vec![format!("--{name}")],
        "interval" => vec!["--facet-interval".into(), value.into()],
        "facet_size" => vec!["--facet-size".into(), value.into()],
        other => vec![format!("--{other}"), value.into()],
    }
}

#[test]
fn search_answers_what_the_cli_prints() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    for (query, options) in QUESTIONS {
        let mut path = format!("/api/search?q={}", encode(query));
        let mut args: Vec<String> = vec!["search".into()];
        for (name, value) in options.iter() {
            path.push_str(&format!("&{name}={value}"));
            args.extend(cli_args(name, value));
        }
        args.extend(["--".to_string(), query.to_string()]);
        let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let cli = ws.cli_json(&arg_refs);
        let api = server.json(&path);
        assert_eq!(without_time(api), without_time(cli), "{path} vs {args:?}");
    }
}

#[test]
fn an_unknown_entity_is_a_typed_warning_in_both() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let api = server.json("/api/search?q=person%3ANobody+troops");
    assert_eq!(api["warnings"][0]["code"], "unknown-entity");
    assert!(api["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Nobody"));
    let plain = server.json("/api/search?q=troops");
    assert!(plain.get("warnings").is_none(), "{plain}");
}

fn highlighted(article: &Value) -> Vec<String> {
    let body = article["body"].as_str().unwrap();
    article["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|range| {
            let start = range[0].as_u64().unwrap() as usize;
            let end = range[1].as_u64().unwrap() as usize;
            body[start..end].to_string()
        })
        .collect()
}

fn first_id(server: &super::Server, query: &str) -> String {
    let found = server.json(&format!("/api/search?q={}", encode(query)));
    found["hits"][0]["id"].as_str().unwrap().to_string()
}

#[test]
fn article_highlights_of_a_near_query_are_only_the_windows_words() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let id = first_id(&server, "troops near:Belarus");
    let path = format!(
        "/api/article?id={}&q={}",
        encode(&id),
        encode("troops near/2:Belarus")
    );
    let article = server.json(&path);
    assert_eq!(article["version"], 1);
    assert_eq!(article["id"], id.as_str());
    // "watching the troops closely" is far from any mention of Belarus: not lit.
    assert_eq!(
        highlighted(&article),
        vec!["Belarusian", "troops", "troops", "Belarus"]
    );
    let body = article["body"].as_str().unwrap();
    let closely = body.find("troops closely").unwrap();
    for range in article["highlights"].as_array().unwrap() {
        assert_ne!(range[0].as_u64().unwrap() as usize, closely);
    }
    // The plain word lights every occurrence.
    let every = server.json(&format!("/api/article?id={}&q=troops", encode(&id)));
    assert_eq!(highlighted(&every), vec!["troops"; 3]);
}

#[test]
fn an_article_carries_its_entities_with_offsets_and_its_fields() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let id = first_id(&server, "troops near:Belarus");
    let article = server.json(&format!("/api/article?id={}", encode(&id)));
    assert!(article.get("highlights").is_none());
    let body = article["body"].as_str().unwrap();
    let entities = article["entities"].as_array().unwrap();
    let belarus = entities
        .iter()
        .find(|e| e["name"] == "Belarus")
        .expect("Belarus is an entity");
    assert_eq!(belarus["kind"], "place");
    for mention in belarus["mentions"].as_array().unwrap() {
        let start = mention["start"].as_u64().unwrap() as usize;
        let end = mention["end"].as_u64().unwrap() as usize;
        assert_eq!(&body[start..end], mention["text"].as_str().unwrap());
    }
    for field in [
        "title",
        "lang",
        "published",
        "published_source",
        "path",
        "dates",
    ] {
        assert!(article.get(field).is_some(), "no {field} in {article}");
    }
    assert!(article.get("source").is_some() && article.get("url").is_some());
    // The same entities as the CLI's extract of the same file.
    let extract = ws.cli(&["extract", "news/troops-belarus.txt"]);
    let extracted: Value = serde_json::from_slice(&extract.stdout).unwrap();
    assert_eq!(article["entities"], extracted["entities"]);
    assert_eq!(article["dates"], extracted["dates"]);
}

#[test]
fn facet_values_follow_the_query_and_a_prefix_searches_inside() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let all = server.json("/api/facet?kind=place&q=troops&n=50");
    assert_eq!(all["version"], 1);
    assert_eq!(all["kind"], "place");
    let search = server.json("/api/search?q=troops&facets=1&facet_size=50&n=0");
    assert_eq!(all["values"], search["facets"]["place"]);
    let picked = server.json("/api/facet?kind=place&q=troops&prefix=BEL");
    let names: Vec<&str> = picked["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Belarus"), "{names:?}");
    assert!(names.iter().all(|n| n
        .split([' ', '-'])
        .any(|w| w.to_lowercase().starts_with("bel"))));
    // A later word of a name counts: "zel" finds "Volodymyr Zelensky".
    let people = server.json("/api/facet?kind=person&prefix=zel");
    assert!(
        people["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["value"] == "Volodymyr Zelensky"),
        "{people}"
    );
    // No query: every article; n cuts the list.
    let sources = server.json("/api/facet?kind=source&n=1");
    assert_eq!(sources["values"].as_array().unwrap().len(), 1);
}

#[test]
fn export_streams_every_match_as_csv_and_jsonl() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let query = "date:..2100";
    let total = ws.cli_json(&["search", query, "-n", "0"])["total"]
        .as_u64()
        .unwrap() as usize;
    assert!(total > 10, "the fixtures hold more than ten articles");
    let csv = server.get(&format!("/api/export?q={}&format=csv", encode(query)));
    assert_eq!(csv.status, 200, "{}", csv.text());
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text();
    let mut reader = csv_rows(&text);
    assert_eq!(
        reader.remove(0),
        "id,path,record,title,published,published_source,source,url,lang,score,people,places,orgs"
            .split(',')
            .map(str::to_string)
            .collect::<Vec<_>>()
    );
    assert_eq!(reader.len(), total);
    let jsonl = server.get(&format!("/api/export?q={}&format=jsonl", encode(query)));
    assert_eq!(jsonl.status, 200);
    let lines: Vec<Value> = jsonl
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), total);
    // The rows are the hits, in the same order as the search.
    let hits = ws.cli_json(&["search", query, "-n", "1000", "--snippets", "0"]);
    for (line, hit) in lines.iter().zip(hits["hits"].as_array().unwrap()) {
        assert_eq!(line["version"], 1);
        assert_eq!(line["id"], hit["id"]);
        assert_eq!(line["title"], hit["title"]);
        assert!(line.get("snippets").is_none());
    }
    for (row, hit) in reader.iter().zip(hits["hits"].as_array().unwrap()) {
        assert_eq!(row[0], hit["id"].as_str().unwrap());
    }
}

/// CSV rows, quoted fields and all.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (other, _) => field.push(other),
        }
    }
    rows
}

#[test]
fn stats_are_what_the_cli_prints() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    assert_eq!(server.json("/api/stats"), ws.cli_json(&["stats"]));
}

#[test]
fn one_actor_across_languages_in_the_api() {
    // Actors across languages (SPEC 2): the API counts the Russian and the German
    // spelling of Belarus as one place, as the CLI does.
    let ws = Workspace::bare();
    std::fs::create_dir(ws.path("news")).unwrap();
    std::fs::write(
        ws.path("news/ru.txt"),
        "Войска остаются в Белоруссии\n\nРоссийские войска остаются в Белоруссии после \
         учений, сообщили в Минске. Переговоры прошли в Женеве без результата.\n",
    )
    .unwrap();
    std::fs::write(
        ws.path("news/de.txt"),
        "Truppen bleiben in Weißrussland\n\nRussische Truppen bleiben nach dem Manöver in \
         Weißrussland, berichten Beobachter. Die Gespräche in Genf endeten ohne Ergebnis.\n",
    )
    .unwrap();
    assert!(ws.cli(&["index", "news", "-q"]).status.success());
    let server = ws.serve(&[]);
    let api = server.json(&format!(
        "/api/search?q={}&facets=1",
        encode("place:Belarus")
    ));
    let cli = ws.cli_json(&["search", "--facets", "--", "place:Belarus"]);
    assert_eq!(without_time(api.clone()), without_time(cli));
    assert_eq!(api["total"], 2);
    let places = server.json(&format!(
        "/api/facet?kind=place&q={}",
        encode("place:Belarus")
    ));
    let belarus = places["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "Belarus")
        .cloned();
    assert_eq!(belarus.map(|v| v["count"].clone()), Some(2.into()));
}
