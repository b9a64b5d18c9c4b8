//! Starting, reloading and stopping: the one stderr line, refusing remote binds, a
//! missing index (503 until it exists), a commit beside the server, the time limit,
//! Ctrl-C, and `demo --serve`.

use std::time::{Duration, Instant};

use super::{Server, Workspace};

#[test]
fn the_server_says_where_it_listens_and_stops_on_ctrl_c_with_130() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    assert!(
        server.banner.contains(&format!(
            "dossier: serving idx at http://127.0.0.1:{}/",
            server.port
        )),
        "{}",
        server.banner
    );
    assert_eq!(server.get("/api/stats").status, 200);
    let port = server.port;
    assert_eq!(server.interrupt(), Some(130));
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "still listening after Ctrl-C"
    );
}

#[test]
fn a_non_loopback_bind_needs_allow_remote() {
    let ws = Workspace::indexed();
    let refused = ws.cli(&["serve", "--bind", "0.0.0.0", "--port", "0"]);
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("--allow-remote"), "{message}");
    let server = ws.serve(&["--bind", "0.0.0.0", "--allow-remote"]);
    assert!(server.banner.contains("warning"), "{}", server.banner);
    assert!(server.banner.contains("anyone"), "{}", server.banner);
}

#[test]
fn without_an_index_the_api_answers_503_until_one_is_built() {
    let ws = Workspace::bare();
    super::copy_dir(&super::fixtures(), &ws.path("news"));
    let server = ws.serve(&[]);
    let missing = server.get("/api/search?q=troops");
    assert_eq!(missing.status, 503);
    assert!(missing.header("retry-after").is_some());
    assert_eq!(missing.json()["error"]["code"], "unavailable");
    assert_eq!(server.get("/api/stats").status, 503);
    assert!(ws.cli(&["index", "news", "-q"]).status.success());
    let found = server.json("/api/search?q=troops");
    assert!(found["total"].as_u64().unwrap() > 0);
}

#[test]
fn a_commit_beside_the_server_shows_in_the_next_searches() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let before = server.json("/api/search?q=zeppelin");
    assert_eq!(before["total"], 0);
    std::fs::write(
        ws.path("news/airship.txt"),
        "Zeppelin returns to the lake\n\nA restored zeppelin flew over the lake on Saturday.\n",
    )
    .unwrap();
    assert!(ws.cli(&["index", "news", "-q"]).status.success());
    let started = Instant::now();
    loop {
        let now = server.json("/api/search?q=zeppelin");
        if now["total"] == 1 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the new article is not searchable 10 s after its commit"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The stats and facets follow the same commit.
    let stats = server.json("/api/stats");
    assert_eq!(stats, ws.cli_json(&["stats"]));
}

#[test]
fn a_search_past_the_time_limit_answers_503() {
    let ws = Workspace::indexed();
    let server = ws.serve(&["--time-limit", "0.000001"]);
    let response = server.get("/api/search?q=troops");
    assert_eq!(response.status, 503, "{}", response.text());
    assert_eq!(response.json()["error"]["code"], "timeout");
    assert!(response.header("retry-after").is_some());
}

#[test]
fn demo_serve_serves_the_samples() {
    let ws = Workspace::bare();
    let server = Server::start(ws.dir.path(), &["demo", "--serve", "--port", "0"], &[]);
    let stats = server.json("/api/stats");
    assert!(stats["articles"].as_u64().unwrap() >= 10, "{stats}");
    let found = server.json("/api/search?q=troops+near%3ABelarus");
    assert!(found["total"].as_u64().unwrap() >= 1);
    assert_eq!(server.interrupt(), Some(130));
}

#[test]
fn ctrl_c_lets_an_export_in_flight_finish() {
    use std::io::{Read, Write};
    let ws = Workspace::bare();
    std::fs::create_dir_all(ws.path("wire")).unwrap();
    // Long titles make an export of some 9 MB: more than socket buffers hold, so the
    // server is still writing when Ctrl-C comes.
    let mut records = String::new();
    let long = "harbour traffic report ".repeat(120);
    for n in 0..3000 {
        records.push_str(&format!(
            "{{\"title\":\"Harbour report {n} {long}\",\"text\":\"The harbour office in Portmere counted {n} ships on Monday, its spokesman said.\",\"published\":\"2024-03-04\"}}\n"
        ));
    }
    std::fs::write(ws.path("wire/reports.jsonl"), records).unwrap();
    assert!(ws.cli(&["index", "wire", "-q"]).status.success());
    let server = ws.serve(&[]);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let host = format!("127.0.0.1:{}", server.port);
    stream
        .write_all(
            super::request_text(
                "GET",
                "/api/export?q=harbour&format=jsonl",
                &[("Host", &host)],
            )
            .as_bytes(),
        )
        .unwrap();
    // Take a little of the answer, then press Ctrl-C while the rest is still coming.
    let mut first = [0u8; 512];
    stream.read_exact(&mut first).unwrap();
    let pid = server.child.id();
    super::signal(pid, "INT");
    std::thread::sleep(Duration::from_millis(300));
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    let mut bytes = first.to_vec();
    bytes.extend(rest);
    let text = String::from_utf8_lossy(&bytes);
    let rows = text.matches("\"version\":1").count();
    assert!(
        bytes.len() > 8_000_000,
        "the export is {} bytes",
        bytes.len()
    );
    assert_eq!(rows, 3000, "every row arrived after Ctrl-C");
    assert_eq!(server.interrupt(), Some(130));
}
