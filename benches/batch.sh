#!/usr/bin/env bash
# `dossier batch` against separate `dossier search` processes: the 12 queries of
# ../shared/bench/queries.txt repeated to 1,200 lines, top 10 hits each, no passages,
# on synth-SYNTH_MB (built as compare.sh builds it; an index already there is reused).
#
#   benches/batch.sh [SYNTH_MB] [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared="$here/../shared"
mb=${1:-200}
work=${2:-/tmp/dossier-bench}
corpus="$work/synth-$mb"
[ -d "$shared/bench" ] || { echo "batch.sh: needs ../shared beside the repository" >&2; exit 2; }
cargo build --release --locked --manifest-path "$here/Cargo.toml" --bin dossier >&2
dossier="$here/target/release/dossier"
[ -d "$corpus" ] || python3 "$shared/bench/make_corpus.py" "$work" --synth-mb "$mb" >&2
"$dossier" --index "$work/dossier-index" stats > /dev/null 2>&1 || "$dossier" --index "$work/dossier-index" index "$corpus" -q --full
grep -v '^#' "$shared/bench/queries.txt" | grep -v '^$' > "$work/queries-12.txt"
: > "$work/queries-1200.txt"
for _ in $(seq 100); do cat "$work/queries-12.txt" >> "$work/queries-1200.txt"; done
lines=$(wc -l < "$work/queries-1200.txt")

start=$(date +%s.%N)
"$dossier" --index "$work/dossier-index" batch "$work/queries-1200.txt" > "$work/batch.out"
batch_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
while read -r query; do
  "$dossier" --index "$work/dossier-index" --json search --snippets 0 -- "$query" > /dev/null || true
done < "$work/queries-1200.txt"
processes_s=$(echo "$(date +%s.%N) - $start" | bc)
echo "corpus: synth-$mb; $(date -u +%Y-%m-%d); $(nproc) cores; $(git -C "$here" rev-parse --short HEAD)"
echo "batch      $lines queries in one process: $batch_s s, $(echo "scale=1; $lines / $batch_s" | bc) queries/s"
echo "processes  $lines dossier search processes: $processes_s s, $(echo "scale=1; $lines / $processes_s" | bc) queries/s"
echo "ratio      batch answers $(echo "scale=1; $processes_s / $batch_s" | bc)x as many queries a second"
