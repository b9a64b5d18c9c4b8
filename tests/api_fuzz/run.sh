#!/usr/bin/env bash
# Fuzzes `dossier serve` from its own OpenAPI description (docs/openapi.json) with
# schemathesis, on the project's fixtures: no 5xx but the documented 503, no answer that
# breaks the schema, and the server still answering afterwards. Prints how many
# requests were sent. Fails (never skips) when schemathesis or the binary is missing.
#
#   tests/api_fuzz/run.sh [MAX_EXAMPLES]        (schemathesis on PATH, or $SCHEMATHESIS)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${DOSSIER_BIN:-$root/target/release/dossier}"
st="${SCHEMATHESIS:-schemathesis}"
examples="${1:-60}"
command -v "$st" >/dev/null || { echo "api fuzz: schemathesis not found (set SCHEMATHESIS or install it)" >&2; exit 1; }
[ -x "$bin" ] || { echo "api fuzz: no dossier binary at $bin" >&2; exit 1; }

work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$bin" --index "$work/idx" -q index "$root/tests/fixtures/news" "$root/tests/fixtures/hostile"
"$bin" serve --index "$work/idx" --port 0 2> "$work/serve.log" &
server=$!
for _ in $(seq 100); do
  grep -q " at http://" "$work/serve.log" && break
  sleep 0.1
done
base="$(sed -n 's/.* at \(http:\/\/[^ ]*\)\/$/\1/p' "$work/serve.log")"
[ -n "$base" ] || { echo "api fuzz: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

"$st" --config-file "$root/tests/api_fuzz/schemathesis.toml" run "$root/docs/openapi.json" \
  --url "$base" --checks all --max-examples "$examples" \
  --report har --report-har-path "$work/requests.har" --seed 1

requests="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["log"]["entries"]))' "$work/requests.har")"
echo "api fuzz: schemathesis sent $requests requests"
python3 - "$base" <<'PY'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/api/stats", timeout=10) as answer:
    assert answer.status == 200, answer.status
print("api fuzz: the server still answers")
PY
