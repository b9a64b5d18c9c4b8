//! `dossier serve` over a real socket (port 0) on the project's fixtures: each endpoint
//! against the CLI's own JSON, the errors and their status codes, the guard an attacker
//! meets, reloading after a commit, and stopping on Ctrl-C. The HTTP client is a few
//! lines over `TcpStream`, so requests can be as malformed as a test wants.

mod api;
mod lifecycle;
mod openapi;
mod page;
mod security;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A temporary folder with a copy of the fixtures (`news/`) indexed into `idx/`.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// The fixtures, indexed.
    pub fn indexed() -> Workspace {
        let workspace = Workspace::bare();
        copy_dir(&fixtures(), &workspace.path("news"));
        let status = workspace.cli(&["index", "news", "-q"]).status;
        assert!(status.success(), "indexing the fixtures failed: {status:?}");
        workspace
    }

    /// An empty folder.
    pub fn bare() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Runs the CLI on the workspace's index.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(binary())
            .current_dir(self.dir.path())
            .env_remove("DOSSIER_INDEX")
            .env("NO_COLOR", "1")
            .args(["--index", "idx"])
            .args(args)
            .output()
            .unwrap()
    }

    /// The CLI's JSON for `args` (`--json` put in front).
    pub fn cli_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let output = self.cli(&all);
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "CLI output is not JSON ({e}): {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        })
    }

    /// `dossier serve` on the workspace's index, with `extra` options.
    pub fn serve(&self, extra: &[&str]) -> Server {
        Server::start(
            self.dir.path(),
            &["serve", "--index", "idx", "--port", "0"],
            extra,
        )
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dossier"))
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news")
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A running server; killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    /// What it printed on stderr before and including the "serving" line.
    pub banner: String,
}

impl Server {
    /// Starts `dossier ARGS EXTRA` in `dir` and waits for its "serving ... at" line.
    pub fn start(dir: &Path, args: &[&str], extra: &[&str]) -> Server {
        let mut child = Command::new(binary())
            .current_dir(dir)
            .env_remove("DOSSIER_INDEX")
            .args(args)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr);
        let mut banner = String::new();
        let port = loop {
            let mut line = String::new();
            if lines.read_line(&mut line).unwrap() == 0 {
                panic!("the server ended before it listened: {banner}");
            }
            banner.push_str(&line);
            if let Some(at) = line.find(" at http://") {
                let address = line[at + " at http://".len()..]
                    .trim()
                    .trim_end_matches('/');
                let port = address.rsplit(':').next().unwrap();
                break port.parse::<u16>().unwrap();
            }
        };
        // Keep reading stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = lines.read_to_string(&mut rest);
        });
        Server {
            child,
            port,
            banner,
        }
    }

    /// `GET path` with a proper Host header.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[])
    }

    /// The JSON of a `GET` that must answer 200.
    pub fn json(&self, path: &str) -> Value {
        let response = self.get(path);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        response.json()
    }

    /// A request with the served Host header and `headers` besides.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        let host = format!("127.0.0.1:{}", self.port);
        let mut all = vec![("Host", host.as_str())];
        all.extend_from_slice(headers);
        self.raw(&request_text(method, path, &all))
    }

    /// Sends bytes as they are and reads the whole answer.
    pub fn raw(&self, request: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        Response::parse(&bytes)
    }

    /// Sends Ctrl-C and waits for the exit code.
    pub fn interrupt(mut self) -> Option<i32> {
        signal(self.child.id(), "INT");
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the server did not stop within 20 s of Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends a signal with `kill` (no libc in the tests).
pub fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

pub fn request_text(method: &str, path: &str, headers: &[(&str, &str)]) -> String {
    let mut text = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("Connection: close\r\n\r\n");
    text
}

/// An HTTP answer: status, headers (names lower-cased) and body (chunks joined).
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(bytes)));
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let raw = &bytes[split + 4..];
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        let body = if chunked { dechunk(raw) } else { raw.to_vec() };
        Response {
            status,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(end) = raw.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&raw[..end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
}

/// `text` percent-encoded for a URL's query string.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A search result without the field that may differ between two runs.
pub fn without_time(mut value: Value) -> Value {
    if let Some(object) = value.as_object_mut() {
        object.remove("took_ms");
    }
    value
}
