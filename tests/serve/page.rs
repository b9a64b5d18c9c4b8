//! The web page's HTML without a browser: the hooks SPEC §7 fixes, the policy header,
//! article text escaped everywhere (the hostile fixtures), and errors as pages. The
//! browser suite (tests/browser) checks the same pages in Chromium.

use super::{copy_dir, encode, Workspace};

fn with_hostile() -> Workspace {
    let ws = Workspace::bare();
    copy_dir(&super::fixtures(), &ws.path("news"));
    let hostile = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    copy_dir(&hostile, &ws.path("hostile"));
    assert!(ws.cli(&["index", "news", "hostile", "-q"]).status.success());
    ws
}

fn page(server: &super::Server, path: &str) -> String {
    let response = server.get(path);
    assert_eq!(response.status, 200, "{path}: {}", response.text());
    assert!(response
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let policy = response.header("content-security-policy").unwrap();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(response.header("cache-control"), Some("no-store"));
    response.text()
}

/// The values of `attribute` in the page, in order.
fn attributes(html: &str, attribute: &str) -> Vec<String> {
    let needle = format!("{attribute}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn the_search_page_carries_the_hooks() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let html = page(&server, "/?q=troops");
    assert!(html.contains("<input id=\"q\" type=\"search\" name=\"q\" value=\"troops\""));
    let cli = ws.cli_json(&["search", "troops", "--facets"]);
    assert_eq!(
        attributes(&html, "data-total"),
        vec![cli["total"].to_string()]
    );
    let ids: Vec<String> = cli["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(attributes(&html, "data-hit-id"), ids);
    assert!(html.contains("<mark>"));
    let people: Vec<String> = cli["facets"]["person"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap().to_string())
        .collect();
    let linked = attributes(&html, "data-facet-value");
    assert!(linked.iter().any(|v| people.contains(v)));
    assert!(attributes(&html, "data-facet-kind").contains(&"place".to_string()));
    assert!(!attributes(&html, "data-facet-exclude").is_empty());
    assert!(!attributes(&html, "data-count").is_empty());
    assert!(!attributes(&html, "data-bucket").is_empty());
    // No inline script, no inline style.
    assert!(!html.contains("<script>"));
    assert!(!html.contains(" style=\""));
}

#[test]
fn a_facet_link_adds_its_filter_and_an_exclusion_leaves_it_out() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let html = page(&server, "/?q=troops");
    let target = html
        .split("data-facet-kind=\"place\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
        .unwrap();
    assert!(target.starts_with("/?q=troops+place%3A"), "{target}");
    let narrowed = page(&server, &target);
    assert!(narrowed.contains("class=\"chip\""));
}

#[test]
fn article_text_is_escaped_everywhere() {
    let ws = with_hostile();
    let server = ws.serve(&[]);
    let results = page(&server, &format!("/?q={}", encode("Lissa mayor")));
    let article_link = attributes(&results, "href")
        .into_iter()
        .find(|h| h.starts_with("/article?"))
        .unwrap()
        .replace("&amp;", "&");
    let article = page(&server, &article_link);
    for html in [&results, &article] {
        assert!(
            !html.contains("<script>window"),
            "a script tag came through"
        );
        assert!(!html.contains("<svg onload"), "an svg came through");
        assert!(!html.contains("<img src=x"), "an img came through");
        assert!(!html.contains("<b onmouseover"), "a handler came through");
        assert!(
            !html.contains("href=\"javascript:"),
            "a javascript: link came through"
        );
        assert!(html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;Mayor"));
    }
    assert!(
        article.contains("javascript:window.__pwned=7"),
        "the URL is shown as text"
    );
    // The http URL with markup inside is a link whose attribute is escaped.
    let council = page(&server, &format!("/?q={}", encode("council meets")));
    let link = attributes(&council, "href")
        .into_iter()
        .find(|h| h.starts_with("/article?"))
        .unwrap()
        .replace("&amp;", "&");
    let second = page(&server, &link);
    assert!(second.contains("href=\"https://example.org/lissa?a=&quot;&gt;&lt;script&gt;"));
}

#[test]
fn the_article_page_marks_mentions_and_matches() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let found = server.json(&format!("/api/search?q={}", encode("troops near:Belarus")));
    let id = found["hits"][0]["id"].as_str().unwrap();
    let html = page(
        &server,
        &format!(
            "/article?id={}&q={}",
            encode(id),
            encode("troops near/2:Belarus")
        ),
    );
    assert!(html.contains("data-entity-kind=\"place\" data-entity-name=\"Belarus\""));
    assert_eq!(
        html.matches("<mark ").count(),
        4,
        "the window's words, no more"
    );
    assert!(html.contains("id=\"back\" href=\"/?q=troops+near%2F2%3ABelarus\""));
}

#[test]
fn page_errors_are_pages_with_the_right_status() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let missing = server.get("/article?id=nothing");
    assert_eq!(missing.status, 404);
    assert!(missing
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(server.get("/?q=troops&color=red").status, 400);
    assert_eq!(server.get("/?sort=sideways").status, 400);
    let bad = server.get(&format!("/?q={}", encode("troops \"near")));
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("unclosed quote"));
    assert_eq!(server.get("/nowhere").status, 404);
    let css = server.get("/assets/page.css");
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
}
