#!/usr/bin/env bash
# Fuzzes a real agent against its OpenAPI document (issue 21): schemathesis (installed once in
# .build-venv/schemathesis) reads GET /openapi.json from a `driftwatch serve` on its own embedded
# PostgreSQL and sends each operation a bounded number of generated requests (valid and invalid), checking
# that no answer is a 5xx and every answer conforms to the document (status, content type, body schema).
# Loopback only. Ends with "N passed, N failed" (operations); exits non-zero on a failure.
# Usage: scripts/api-fuzz.sh [path/to/driftwatch]   (API_FUZZ_EXAMPLES per operation, default 50;
# API_FUZZ_SEED, default 21; API_FUZZ_ANY_MODEL=1: generated model names instead of the configured one)
set -uo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/driftwatch}
examples=${API_FUZZ_EXAMPLES:-50}
seed=${API_FUZZ_SEED:-21}
venv=.build-venv/schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "== installing schemathesis in $venv"
    python3 -m venv "$venv" && "$venv/bin/pip" install -q schemathesis || { echo "0 passed, 1 failed"; exit 1; }
fi

state=$(mktemp -d /tmp/driftwatch-apifuzz.XXXXXX)
chmod 755 "$state"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
token=fuzz-$RANDOM$RANDOM
{
    echo "x,c,prediction,score"
    for i in $(seq 1 300); do echo "$((i % 50)),a,$((i % 2)),0.5"; done
} >"$state/reference.csv"
cat >"$state/driftwatch.yaml" <<YAML
server: {host: 127.0.0.1, port: $port, window_check_interval: 1s, max_buffered_body_bytes: 1048576}
auth: {tokens: [{env: API_FUZZ_TOKEN}]}
database: {url_env: API_FUZZ_NO_DATABASE_URL, state_dir: $state/db}
models:
  m: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s, reference: {file: reference.csv}}
YAML
# Every generated request names the configured model (an unknown one is only ever a 404), unless
# API_FUZZ_ANY_MODEL=1 lets schemathesis make up names.
if [ "${API_FUZZ_ANY_MODEL:-0}" = 1 ]; then
    : >"$state/schemathesis.toml"
else
    printf '[parameters]\n"path.model" = "m"\n' >"$state/schemathesis.toml"
fi

agent=""
stop_agent() { [ -n "$agent" ] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null; }
trap 'stop_agent; rm -rf "$state"' EXIT
(cd "$state" && API_FUZZ_TOKEN=$token exec "$OLDPWD/$binary" serve --config "$state/driftwatch.yaml" >>"$state/agent.log" 2>&1) &
agent=$!
ready=0
for _ in $(seq 1 1800); do
    curl -sf "$base/readyz" >/dev/null 2>&1 && { ready=1; break; }
    kill -0 "$agent" 2>/dev/null || break
    sleep 0.1
done
if [ "$ready" -ne 1 ]; then
    echo "the agent did not start"
    cat "$state/agent.log"
    echo "0 passed, 1 failed"
    exit 1
fi

echo "== schemathesis against $base/openapi.json ($examples examples per operation, seed $seed)"
# From the temporary directory: schemathesis keeps a cache (.schemathesis/) where it runs.
(cd "$state" && "$OLDPWD/$venv/bin/schemathesis" --no-color --config-file "$state/schemathesis.toml" run "$base/openapi.json" \
    --url "$base" -H "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
    --phases examples,coverage,fuzzing --max-examples "$examples" --seed "$seed" --workers 1 \
    --request-timeout 60 --report junit --report-junit-path "$state/junit.xml") \
    2>&1 | tee "$state/schemathesis.log" | grep -v "^\s*$" | cut -c 1-300 | tail -n 200
status=${PIPESTATUS[0]}

if ! kill -0 "$agent" 2>/dev/null; then
    echo "the agent died during the run:"
    tail -n 50 "$state/agent.log"
fi
if grep -q 'request failed' "$state/agent.log"; then
    echo "== internal errors the agent logged"
    grep 'request failed' "$state/agent.log" | head -n 20
fi
# One line per operation in the JUnit report: failed when it holds a failure or an error.
python3 - "$state/junit.xml" "$status" <<'PY'
import sys
import xml.etree.ElementTree as ET
try:
    cases = list(ET.parse(sys.argv[1]).getroot().iter("testcase"))
except (OSError, ET.ParseError):
    cases = []
failed = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
passed = len(cases) - failed
if not cases and sys.argv[2] != "0":
    failed = 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
