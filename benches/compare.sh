#!/usr/bin/env bash
# Whole-command comparison of dossier with SQLite FTS5 (../shared/bench/peer_fts5.py)
# on the same synthetic corpus, in one run, on this machine.
#
#   benches/compare.sh [SYNTH_MB] [WORK_DIR] [BASELINE_DOSSIER]
#
# With BASELINE_DOSSIER (a dossier binary built from an earlier commit), indexing is
# also timed before and after in the same run: the two binaries take turns three times
# on the same corpus and each reports the median of its three times.
#
# Builds synth-SYNTH_MB (default 200) with ../shared/bench/make_corpus.py into WORK_DIR
# (default /tmp/dossier-bench), reads it once so both tools start with a warm page
# cache, then times `dossier index` and `peer_fts5.py index` and prints MB/s and ratios.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared="$here/../shared"
mb=${1:-200}
work=${2:-/tmp/dossier-bench}
baseline=${3:-}
corpus="$work/synth-$mb"
[ -d "$shared/bench" ] || { echo "compare.sh: needs ../shared beside the repository" >&2; exit 2; }

cargo build --release --locked --manifest-path "$here/Cargo.toml" --bin dossier --example query_median --example tantivy_floor >&2
dossier="$here/target/release/dossier"
query_median="$here/target/release/examples/query_median"
tantivy_floor="$here/target/release/examples/tantivy_floor"

if [ ! -d "$corpus" ]; then
  python3 "$shared/bench/make_corpus.py" "$work" --synth-mb "$mb" >&2
fi
bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
find "$corpus" -type f -exec cat {} + > /dev/null

rm -rf "$work/dossier-index" "$work/fts5.db"
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$work/dossier.rss" "$dossier" --index "$work/dossier-index" index "$corpus" -q
dossier_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
python3 "$shared/bench/peer_fts5.py" index "$corpus" "$work/fts5.db" > "$work/fts5.out"
fts5_s=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
"$dossier" --index "$work/dossier-index" index "$corpus" -q
noop_s=$(echo "$(date +%s.%N) - $start" | bc)
# What entity extraction costs: the same index with the extractor switched off.
rm -rf "$work/dossier-index-plain"
start=$(date +%s.%N)
DOSSIER_BENCH_NO_ENTITIES=1 "$dossier" --index "$work/dossier-index-plain" index "$corpus" -q
plain_s=$(echo "$(date +%s.%N) - $start" | bc)
rm -rf "$work/dossier-index-plain"
# The floor: Tantivy alone, each file's bytes one document, no analysis at all.
floor_line=$("$tantivy_floor" "$corpus")

# Before and after: the baseline binary and this one take turns on the same corpus.
before_after=""
if [ -n "$baseline" ]; then
  [ -x "$baseline" ] || { echo "compare.sh: $baseline is not an executable" >&2; exit 2; }
  before_runs=()
  after_runs=()
  for turn in 1 2 3; do
    for which in before after; do
      bin=$dossier
      [ "$which" = before ] && bin=$baseline
      rm -rf "$work/dossier-index-turn"
      start=$(date +%s.%N)
      "$bin" --index "$work/dossier-index-turn" index "$corpus" -q
      took=$(echo "$(date +%s.%N) - $start" | bc)
      if [ "$which" = before ]; then before_runs+=("$took"); else after_runs+=("$took"); fi
    done
  done
  rm -rf "$work/dossier-index-turn"
  middle3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
  before_s=$(middle3 "${before_runs[@]}")
  after_s=$(middle3 "${after_runs[@]}")
  before_after=$(printf 'index  before/after: baseline %.2f s, this build %.2f s (median of 3 turns each: %s / %s); this build takes %.3fx the time' \
    "$before_s" "$after_s" "${before_runs[*]}" "${after_runs[*]}" "$(echo "$after_s/$before_s" | bc -l)")
fi

# Queries: the same 12 in each tool's syntax, each run 5 times, median of medians.
# Write the indexes out first: the kernel flushing them during the queries would slow
# both tools. The machine is shared and noisy: the two tools take turns three times and
# each reports the median of its three medians.
sync
rounds=5
fts5_runs=()
dossier_runs=()
for turn in 1 2 3; do
  fts5_runs+=("$(python3 "$shared/bench/peer_fts5.py" bench "$work/fts5.db" "$shared/bench/queries-fts5.txt" $rounds | awk '/^median_ms/ {print $2}')")
  dossier_runs+=("$("$query_median" "$work/dossier-index" "$shared/bench/queries.txt" $rounds | tee "$work/dossier-queries-$turn.out" | awk '/^median_ms/ {print $2}')")
done
middle() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
fts5_ms=$(middle "${fts5_runs[@]}")
dossier_ms=$(middle "${dossier_runs[@]}")
# A whole `dossier search` process per query (start, open, search, print), median.
process_ms=$(
  grep -v '^#' "$shared/bench/queries.txt" | grep -v '^$' | while read -r query; do
    for _ in $(seq $rounds); do
      start=$(date +%s%N)
      "$dossier" --index "$work/dossier-index" search "$query" --json > /dev/null || true
      echo $(( ($(date +%s%N) - start) / 1000 ))
    done
  done | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]/1000}'
)
# grep, the tool a user has without any index: the files holding each query's first
# word (a lower bound on any grep-based answer, which must read every file once).
grep_ms=$(
  grep -v '^#' "$shared/bench/queries.txt" | grep -v '^$' | while read -r query; do
    word=$(echo "$query" | tr -cs 'A-Za-z' ' ' | awk '{print $1}')
    start=$(date +%s%N)
    LC_ALL=C grep -rliF -- "$word" "$corpus" > /dev/null || true
    echo $(( ($(date +%s%N) - start) / 1000 ))
  done | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]/1000}'
)

echo "corpus: synth-$mb, $(find "$corpus" -type f | wc -l) files, $(echo "scale=1; $bytes/1000000" | bc) MB"
printf 'index  dossier %6.2f s  %6.1f MB/s  peak RSS %d MB\n' "$dossier_s" "$(echo "$bytes/1000000/$dossier_s" | bc -l)" "$(( $(cat "$work/dossier.rss") / 1024 ))"
printf 'index  fts5    %6.2f s  %6.1f MB/s\n' "$fts5_s" "$(echo "$bytes/1000000/$fts5_s" | bc -l)"
printf 'index  ratio   dossier is %.2fx the speed of fts5\n' "$(echo "$fts5_s/$dossier_s" | bc -l)"
printf 'reindex unchanged folder: %.2f s\n' "$noop_s"
printf 'index  dossier without entity extraction %6.2f s  %6.1f MB/s; with extraction it keeps %.2f of that speed\n' \
  "$plain_s" "$(echo "$bytes/1000000/$plain_s" | bc -l)" "$(echo "$plain_s/$dossier_s" | bc -l)"
floor_s=$(echo "$floor_line" | sed -E 's/.* in ([0-9.]+) s .*/\1/')
printf 'index  %s (%.2fx the speed of fts5)\n' "$floor_line" "$(echo "$fts5_s/$floor_s" | bc -l)"
printf 'query  median of %s queries in process (middle of three turns): dossier %.2f ms (top 10, passages, facets), fts5 %.2f ms (top 10, snippet); dossier takes %.2fx the time of fts5\n' \
  "$(grep -cv '^#' "$shared/bench/queries.txt")" "$dossier_ms" "$fts5_ms" "$(echo "$dossier_ms/$fts5_ms" | bc -l)"
printf 'query  the three turns: dossier %s ms; fts5 %s ms\n' "${dossier_runs[*]}" "${fts5_runs[*]}"
printf 'query  median whole dossier search process: %.1f ms\n' "$process_ms"
printf 'query  median grep -rliF of the first word: %.1f ms (the whole dossier search process takes %.3fx of that)\n' \
  "$grep_ms" "$(echo "$process_ms/$grep_ms" | bc -l)"
[ -z "$before_after" ] || echo "$before_after"
