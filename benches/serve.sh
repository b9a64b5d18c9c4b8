#!/usr/bin/env bash
# `dossier serve` under load, next to SQLite FTS5 in the same run, on synth-SYNTH_MB
# (built with ../shared/bench/make_corpus.py into WORK_DIR as compare.sh does; an index
# and FTS5 database already there are reused).
#
#   benches/serve.sh [SYNTH_MB] [WORK_DIR]
#
# Prints: the median HTTP /api/search time over ../shared/bench/queries.txt (top 10,
# two passages, facets) against peer_fts5.py's in-process median, the two taking turns
# three times; 4 clients for 10 s (requests/s, p50, p95, p99, non-200 answers); an export
# of every `oil` match as CSV and JSONL (MB/s); the server's peak RSS before and after
# the exports.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared="$here/../shared"
mb=${1:-200}
work=${2:-/tmp/dossier-bench}
corpus="$work/synth-$mb"
[ -d "$shared/bench" ] || { echo "serve.sh: needs ../shared beside the repository" >&2; exit 2; }
cargo build --release --locked --manifest-path "$here/Cargo.toml" --bin dossier --example serve_load >&2
dossier="$here/target/release/dossier"
load="$here/target/release/examples/serve_load"
[ -d "$corpus" ] || python3 "$shared/bench/make_corpus.py" "$work" --synth-mb "$mb" >&2
[ -f "$work/dossier-index/meta.json" ] || "$dossier" --index "$work/dossier-index" index "$corpus" -q
[ -f "$work/fts5.db" ] || python3 "$shared/bench/peer_fts5.py" index "$corpus" "$work/fts5.db" > /dev/null
sync

"$dossier" serve --index "$work/dossier-index" --port 0 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q " at http://" "$work/serve.log" && break; sleep 0.1; done
base=$(sed -n 's/.* at \(http:\/\/[^ ]*\)\/$/\1/p' "$work/serve.log")
# Peak resident memory, then what is resident now: heap and the like (anonymous) apart
# from pages of the index's files mapped in (file-backed, given back under pressure).
rss() { awk '/VmHWM/ {p=$2} /RssAnon/ {a=$2} /RssFile/ {f=$2} END {printf "peak %d MB; now %d MB anonymous + %d MB of mapped index files\n", p/1024, a/1024, f/1024}' "/proc/$server/status"; }

echo "corpus: synth-$mb; $(date -u +%Y-%m-%d); $(nproc) cores; $(git -C "$here" rev-parse --short HEAD)"
rounds=5
http_runs=(); fts5_runs=()
for turn in 1 2 3; do
  fts5_runs+=("$(python3 "$shared/bench/peer_fts5.py" bench "$work/fts5.db" "$shared/bench/queries-fts5.txt" $rounds | awk '/^median_ms/ {print $2}')")
  http_runs+=("$("$load" median "$base" "$shared/bench/queries.txt" $rounds | tee "$work/http-queries-$turn.out" | awk '/^median_ms/ {print $2}')")
done
middle() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
http_ms=$(middle "${http_runs[@]}"); fts5_ms=$(middle "${fts5_runs[@]}")
echo "query  median of 12 queries over HTTP (top 10, passages, facets): ${http_ms} ms; fts5 in process: ${fts5_ms} ms; ratio $(echo "scale=3; $http_ms / $fts5_ms" | bc)"
echo "query  the three turns: http ${http_runs[*]} ms; fts5 ${fts5_runs[*]} ms"
echo "load   $("$load" load "$base" "$shared/bench/queries.txt" 4 10)"
echo "rss    server after the searches: $(rss)"
for format in csv jsonl; do
  echo "export $("$load" export "$base" oil $format)"
done
echo "rss    server after the exports: $(rss)"
