//! The server as an attacker meets it: foreign Host headers, other methods, paths and
//! ids that try to leave the index, oversized requests, slow clients, and the headers
//! every answer must carry.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use super::{encode, request_text, Workspace};

#[test]
fn a_foreign_or_missing_host_is_refused() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let port = server.port.to_string();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "127.0.0.1:1".to_string(),
        "".to_string(),
    ] {
        let response = server.raw(&request_text("GET", "/api/stats", &[("Host", &host)]));
        assert_eq!(response.status, 403, "Host {host:?}");
        assert_eq!(response.json()["error"]["code"], "host");
    }
    let response = server.raw("GET /api/stats HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert!(
        response.status == 403 || response.status == 400,
        "no Host: {}",
        response.status
    );
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let response = server.raw(&request_text("GET", "/api/stats", &[("Host", &host)]));
        assert_eq!(response.status, 200, "Host {host:?}");
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
        for path in ["/api/search?q=troops", "/api/stats", "/", "/nowhere"] {
            let response = server.request(method, path, &[]);
            assert_eq!(response.status, 405, "{method} {path}");
            assert_eq!(response.header("allow"), Some("GET, HEAD"));
        }
    }
    let head = server.request("HEAD", "/api/stats", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn nothing_outside_the_index_is_readable() {
    let ws = Workspace::indexed();
    std::fs::write(ws.path("secret.txt"), "TOP-SECRET-SOURCE-NAME").unwrap();
    let server = ws.serve(&[]);
    let secret = ws.path("secret.txt").display().to_string();
    let paths = [
        "/../secret.txt".to_string(),
        "/../../../../etc/passwd".to_string(),
        "/%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/static/../../secret.txt".to_string(),
        "/static/..%2f..%2fsecret.txt".to_string(),
        "/assets/%2e%2e%2fCargo.toml".to_string(),
        format!("/api/article?id={}", encode(&secret)),
        format!("/api/article?id={}", encode("/etc/passwd")),
        format!("/api/article?id={}", encode("../../../../etc/passwd")),
        format!("/article?id={}", encode(&secret)),
        "/api/../secret.txt".to_string(),
        "/idx/meta.json".to_string(),
        "/meta.json".to_string(),
    ];
    for path in &paths {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}: {}", response.text());
        let text = response.text();
        assert!(!text.contains("TOP-SECRET"), "{path} leaked the file");
        assert!(!text.contains("root:"), "{path} leaked /etc/passwd");
        assert!(!text.contains("segments"), "{path} leaked index files");
    }
}

#[test]
fn oversized_requests_are_413_and_bad_parameters_400() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    let long = "a ".repeat(2100);
    let response = server.get(&format!("/api/search?q={}", encode(&long)));
    assert_eq!(response.status, 413);
    assert_eq!(response.json()["error"]["parameter"], "q");
    assert_eq!(server.get("/api/search?q=troops&n=1001").status, 413);
    assert_eq!(server.get("/api/facet?kind=person&n=5000").status, 413);
    for path in [
        "/api/search",
        "/api/search?q=",
        "/api/search?q=troops&n=-1",
        "/api/search?q=troops&n=ten",
        "/api/search?q=troops&sort=best",
        "/api/search?q=troops&facets=maybe",
        "/api/search?q=troops&interval=week",
        "/api/search?q=troops&snippets=99",
        "/api/facet?kind=planet",
        "/api/facet",
        "/api/export?q=troops",
        "/api/export?q=troops&format=xml",
        "/api/article",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 400, "{path}: {}", response.text());
        let error = &response.json()["error"];
        assert_eq!(error["code"], "parameter", "{path}");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    let bad = server.get(&format!("/api/search?q={}", encode("troops \"near")));
    assert_eq!(bad.status, 400);
    let error = bad.json()["error"].clone();
    assert_eq!(error["code"], "query");
    assert_eq!(error["message"], "unclosed quote: add a closing \"");
    assert_eq!(error["column"], 8);
    assert_eq!(error["query"], "troops \"near");
    // The same column the CLI prints.
    let cli = ws.cli(&["search", "troops \"near"]);
    assert!(String::from_utf8_lossy(&cli.stderr).contains("(column 8)"));
    assert_eq!(server.get("/api/article?id=nothing-like-this").status, 404);
    assert_eq!(server.get("/api/nothing").status, 404);
}

#[test]
fn every_answer_carries_the_safety_headers() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    for path in [
        "/api/search?q=troops",
        "/api/search?q=%22",
        "/api/stats",
        "/nowhere",
        "/api/nowhere",
    ] {
        let response = server.get(path);
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            response.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
        assert!(
            response.header("content-security-policy").is_some(),
            "{path}"
        );
        if path.starts_with("/api/") {
            assert_eq!(response.header("cache-control"), Some("no-store"), "{path}");
            assert!(response
                .header("content-type")
                .unwrap()
                .starts_with("application/json"));
        }
    }
}

#[test]
fn a_stalled_client_does_not_stall_the_others() {
    let ws = Workspace::indexed();
    let server = ws.serve(&[]);
    // Half a request, then silence, on several connections.
    let mut stalled = Vec::new();
    for _ in 0..8 {
        let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        stream
            .write_all(b"GET /api/search?q=troops HTTP/1.1\r\nHo")
            .unwrap();
        stalled.push(stream);
    }
    // A reader that never reads an export.
    let mut reader = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let host = format!("127.0.0.1:{}", server.port);
    reader
        .write_all(
            request_text(
                "GET",
                "/api/export?q=date%3A..2100&format=jsonl",
                &[("Host", &host)],
            )
            .as_bytes(),
        )
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..5 {
        let response = server.get("/api/search?q=troops");
        assert_eq!(response.status, 200);
    }
    drop(stalled);
    drop(reader);
    assert_eq!(server.get("/api/stats").status, 200);
}
