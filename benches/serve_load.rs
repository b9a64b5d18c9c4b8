//! HTTP figures for `dossier serve`, from a keep-alive client written over `TcpStream`
//! (no client library between the clock and the socket). Used by `benches/serve.sh`.
//!
//!   serve_load median BASE QUERIES_FILE ROUNDS      median ms of /api/search per query
//!                                                   (top 10, two passages, facets)
//!   serve_load load BASE QUERIES_FILE CLIENTS SECS  CLIENTS connections for SECS s:
//!                                                   requests/s, p50/p95/p99, non-200s
//!   serve_load export BASE QUERY FORMAT             /api/export of every match: bytes,
//!                                                   seconds, MB/s

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Bytes read from the socket at a time.
const READ_BYTES: usize = 64 * 1024;

/// One keep-alive connection.
struct Client {
    reader: BufReader<TcpStream>,
    host: String,
}

impl Client {
    fn connect(base: &str) -> anyhow::Result<Client> {
        let host = base
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let stream = TcpStream::connect(&host)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Client {
            reader: BufReader::new(stream),
            host,
        })
    }

    /// GET `path`; the status and the body's length (the body is read and dropped,
    /// or handed to `sink`).
    fn get(&mut self, path: &str, mut sink: impl FnMut(&[u8])) -> anyhow::Result<(u16, usize)> {
        write!(
            self.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.host
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("bad status line {line:?}"))?;
        let mut length = None;
        let mut chunked = false;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse::<usize>().ok();
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        let mut total = 0;
        let mut buffer = vec![0u8; READ_BYTES];
        if chunked {
            loop {
                line.clear();
                self.reader.read_line(&mut line)?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or("0"), 16)?;
                if size == 0 {
                    line.clear();
                    self.reader.read_line(&mut line)?;
                    break;
                }
                let mut left = size;
                while left > 0 {
                    let n = self.reader.read(&mut buffer[..left.min(READ_BYTES)])?;
                    anyhow::ensure!(n > 0, "connection closed inside a chunk");
                    sink(&buffer[..n]);
                    left -= n;
                }
                total += size;
                line.clear();
                self.reader.read_line(&mut line)?;
            }
        } else {
            let mut left = length.unwrap_or(0);
            while left > 0 {
                let n = self.reader.read(&mut buffer[..left.min(READ_BYTES)])?;
                anyhow::ensure!(n > 0, "connection closed inside a body");
                sink(&buffer[..n]);
                left -= n;
                total += n;
            }
        }
        Ok((status, total))
    }
}

fn queries(file: &str) -> anyhow::Result<Vec<String>> {
    Ok(std::fs::read_to_string(file)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

fn search_path(query: &str) -> String {
    let mut url = String::from("/api/search?n=10&snippets=2&facets=1&q=");
    for byte in query.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    percentile(values, 50.0)
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("median") if args.len() == 4 => {
            let (base, file) = (&args[1], &args[2]);
            let rounds: usize = args[3].parse()?;
            let mut client = Client::connect(base)?;
            let mut per_query = Vec::new();
            for query in queries(file)? {
                let path = search_path(&query);
                let mut times = Vec::new();
                for _ in 0..rounds {
                    let started = Instant::now();
                    let (status, _) = client.get(&path, |_| {})?;
                    anyhow::ensure!(status == 200, "{query}: HTTP {status}");
                    times.push(started.elapsed().as_secs_f64() * 1000.0);
                }
                let middle = median(&mut times);
                println!("{middle:8.2} ms  {query}");
                per_query.push(middle);
            }
            println!("median_ms {:.2}", median(&mut per_query));
        }
        Some("load") if args.len() == 5 => {
            let (base, file) = (args[1].clone(), &args[2]);
            let clients: usize = args[3].parse()?;
            let seconds: f64 = args[4].parse()?;
            let paths: Vec<String> = queries(file)?.iter().map(|q| search_path(q)).collect();
            let until = Instant::now() + Duration::from_secs_f64(seconds);
            let started = Instant::now();
            let workers: Vec<_> = (0..clients)
                .map(|k| {
                    let paths = paths.clone();
                    let base = base.clone();
                    std::thread::spawn(move || -> anyhow::Result<(Vec<f64>, usize)> {
                        let mut client = Client::connect(&base)?;
                        let mut times = Vec::new();
                        let mut failed = 0;
                        let mut i = k;
                        while Instant::now() < until {
                            let begun = Instant::now();
                            let (status, _) = client.get(&paths[i % paths.len()], |_| {})?;
                            times.push(begun.elapsed().as_secs_f64() * 1000.0);
                            failed += usize::from(status != 200);
                            i += 1;
                        }
                        Ok((times, failed))
                    })
                })
                .collect();
            let mut all = Vec::new();
            let mut failed = 0;
            for worker in workers {
                let (times, bad) = worker.join().map_err(|_| anyhow::anyhow!("a client panicked"))??;
                all.extend(times);
                failed += bad;
            }
            let elapsed = started.elapsed().as_secs_f64();
            all.sort_by(f64::total_cmp);
            println!(
                "clients {clients} seconds {elapsed:.1} requests {} rps {:.1} p50_ms {:.2} p95_ms {:.2} p99_ms {:.2} non200 {failed}",
                all.len(),
                all.len() as f64 / elapsed,
                percentile(&all, 50.0),
                percentile(&all, 95.0),
                percentile(&all, 99.0),
            );
        }
        Some("export") if args.len() == 4 => {
            let (base, query, format) = (&args[1], &args[2], &args[3]);
            let mut client = Client::connect(base)?;
            let path = format!(
                "/api/export?format={format}&q={}",
                search_path(query).trim_start_matches("/api/search?n=10&snippets=2&facets=1&q=")
            );
            let mut lines = 0usize;
            let started = Instant::now();
            let (status, bytes) = client.get(&path, |chunk| {
                lines += chunk.iter().filter(|&&b| b == b'\n').count();
            })?;
            let seconds = started.elapsed().as_secs_f64();
            anyhow::ensure!(status == 200, "export: HTTP {status}");
            println!(
                "export {format} lines {lines} bytes {bytes} seconds {seconds:.2} mb_per_s {:.1}",
                bytes as f64 / 1e6 / seconds
            );
        }
        _ => anyhow::bail!(
            "usage: serve_load median BASE QUERIES ROUNDS | load BASE QUERIES CLIENTS SECONDS | export BASE QUERY FORMAT"
        ),
    }
    Ok(())
}
