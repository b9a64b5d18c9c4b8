#!/usr/bin/env bash
# Validates every OpenSearch request dossier writes against the official OpenSearch API
# specification in ../shared/specs/opensearch-api, with its validate.py in --strict mode:
# the create-index bodies of both mappings, every bulk file of the demo articles and of
# the seeds against its mapping (each article exactly once), and the translated body of
# every query of ../shared/bench/queries.txt and of the README's query table, with and
# without --facets, for both mappings. Run by .ci/run; fails, never skips, when
# something is missing.
#
#   tests/opensearch/run.sh            (DOSSIER_BIN: the binary; default target/release)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
spec="$root/../shared/specs/opensearch-api"
[ -f "$spec/validate.py" ] || { echo "tests/opensearch/run.sh: $spec/validate.py is missing" >&2; exit 1; }
[ -d "$root/../shared/seeds" ] || { echo "tests/opensearch/run.sh: ../shared/seeds is missing" >&2; exit 1; }
bin="${DOSSIER_BIN:-$root/target/release/dossier}"
[ -x "$bin" ] || { echo "tests/opensearch/run.sh: no dossier binary at $bin (cargo build --release)" >&2; exit 1; }
venv="${OPENSEARCH_VENV:-${TMPDIR:-/tmp}/dossier-opensearch-venv}"
if ! "$venv/bin/python" -c "import yaml, jsonschema, referencing" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check pyyaml jsonschema referencing
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The spec's own command line, once per mapping, as the issue asks...
for flavour in annotated plain; do
  extra=""
  [ "$flavour" = plain ] && extra="--without-plugin"
  "$bin" --index "$work/demo-index" -q index "$root/tests/fixtures/news"
  "$bin" --index "$work/demo-index" -q export opensearch "$work/first-$flavour" $extra
  "$venv/bin/python" "$spec/validate.py" --strict create "$work/first-$flavour/create-index.json"
done
# ...and everything else in one process of the same validator.
"$venv/bin/python" "$root/tests/opensearch/validate_all.py" "$bin" "$spec" "$root" "$work"
