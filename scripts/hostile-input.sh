#!/usr/bin/env bash
# Hostile input against a real agent (issue 15): a release `driftwatch serve` on its own embedded
# database, sent what careless and hostile clients send; after every probe the agent must still answer
# /readyz, and the probe's answer must be the documented one. Loopback only, bounded in time.
# Ends with "N passed, N failed". Usage: scripts/hostile-input.sh [path/to/driftwatch]
set -uo pipefail
shopt -s lastpipe  # probes fed by a pipe count in this shell
cd "$(dirname "$0")/.."
binary=${1:-.build/release/driftwatch}
state=$(mktemp -d /tmp/driftwatch-hostile.XXXXXX)
chmod 755 "$state"
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
now=$(date -u +%s)
hour=$(date -u -d "@$((now - now % 3600 - 7200))" +%Y-%m-%dT%H:%M:%SZ)
{
    echo "x,c,prediction,score"
    for i in $(seq 1 300); do echo "$((i % 50)),a,$((i % 2)),0.5"; done
} >"$state/reference.csv"
cat >"$state/driftwatch.yaml" <<YAML
server: {host: 127.0.0.1, port: $port, window_check_interval: 1s, idle_timeout: 2s, read_timeout: 4s, max_buffered_body_bytes: 65536}
auth: {enabled: false}
database: {url_env: HOSTILE_NO_DATABASE_URL, state_dir: $state/db}
models:
  q: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s, reference: {file: reference.csv}}
  e: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s, reference: {file: reference.csv}, drift: {binning: evidently}}
  n: {task: binary, features: {x: numeric, c: categorical}, window: 1h, allowed_lateness: 0s, retention: 3650d}
YAML

agent=""
start_agent() {
    (cd "$state" && exec "$OLDPWD/$binary" serve --config "$state/driftwatch.yaml" >>"$state/agent.log" 2>&1) &
    agent=$!
    for _ in $(seq 1 1800); do
        curl -sf "$base/readyz" >/dev/null 2>&1 && return 0
        kill -0 "$agent" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
stop_agent() { kill "$agent" 2>/dev/null; wait "$agent" 2>/dev/null; }
trap 'stop_agent; rm -rf "$state"' EXIT

passed=0
failed=0
alive() { kill -0 "$agent" 2>/dev/null && curl -sf "$base/readyz" >/dev/null; }
# probe NAME EXPECTED-STATUS GREP-PATTERN curl-args…: the status and body match and the agent is alive.
probe() {
    local name=$1 expected=$2 pattern=$3
    shift 3
    local body status
    body=$(curl -s -o - -w '\n%{http_code}' --max-time 120 "$@")
    status=${body##*$'\n'}
    body=${body%$'\n'*}
    if [ "$status" = "$expected" ] && grep -q -- "$pattern" <<<"$body" && alive; then
        passed=$((passed + 1))
        echo "   passed: $name"
    else
        failed=$((failed + 1))
        echo "   FAILED: $name (status $status: ${body:0:300})"
    fi
}
event() { printf '{"id": "%s", "timestamp": "%s", "features": {"x": %s, "c": %s}, "prediction": 1, "score": 0.5}' "$@"; }
post() { probe "$1" "$2" "$3" -X POST -H 'Content-Type: application/x-ndjson' --data-binary @- "$base/v1/models/$4/predictions"; }

echo "== starting the agent ($binary)"
start_agent || { echo "the agent did not start"; cat "$state/agent.log"; echo "0 passed, 1 failed"; exit 1; }

echo "== numbers that reach integer conversions"
{ event h1 "$hour" 1e300 '"a"'; echo; event h2 "$hour" 2e17 '"a"'; echo; event h3 "$hour" -1e300 '"a"'; } |
    post "1e300 and 2e17 as feature values" 200 '"accepted":3' n
{ event e1 "$hour" -1.7e308 '"a"'; echo; event e2 "$hour" 1.7e308 '"a"'; } |
    post "±1.7e308 under evidently binning" 200 '"accepted":2' e
for _ in $(seq 1 600); do
    curl -s "$base/v1/models/e/status" | grep -q '"last_closed_window":{' && curl -s "$base/v1/models/n/status" | grep -q '"last_closed_window":{' && break
    sleep 0.2
done
probe "the windows closed and the report renders" 200 '</html>' "$base/v1/models/n/report"
probe "the evidently window's report renders" 200 '</html>' "$base/v1/models/e/report"

echo "== event times"
event far 9999-12-31T00:00:00Z 1 '"a"' | post "an event in 9999: refused per line" 200 'max_future_skew' q
event old 1990-01-01T00:00:00Z 1 '"a"' | post "an event from 1990: refused naming the retention" 200 'retention (30d)' q
event y0 0000-01-01T00:30:00+01:00 1 '"a"' | post "year 0 after its offset: refused per line" 200 '"field":"timestamp"' q
event cur "$hour" 1 '"a"' | post "a current event after them is not late" 200 '"late":0' q

echo "== bad lines among good ones"
{ event g1 "$hour" 1 '"a"'; echo; event 'n\u0000' "$hour" 1 '"a"'; echo; event g2 "$hour" 1 '"a\u0000"'; echo
  printf '{"id": "u\xff", "timestamp": "%s"}\n' "$hour"; event g3 "$hour" 1 '"b"'; } |
    post "NUL and invalid UTF-8: the good lines stored" 200 '"accepted":2,' q
# 400 days before yesterday: none has a partition yet (today's does, from the probes above).
for d in $(seq 2 401); do event "d$d" "$(date -u -d "@$((now - d * 86400))" +%Y-%m-%dT12:00:00Z)" 1 '"a"'; echo; done |
    post "400 days in one request: new partitions capped" 200 '"accepted":31,.*"rejected_count":369' n
head -c 200000 /dev/zero | tr '\0' ' ' | sed 's/^/[/; s/$/]/' |
    probe "a JSON array over max_buffered_body_bytes: 413" 413 '' -X POST -H 'Content-Type: application/json' --data-binary @- "$base/v1/models/q/predictions"
probe "a report from year 0: 400 naming the parameter" 400 '"field":"from"' "$base/v1/models/q/report?from=0000-01-01T00:30:00%2B01:00"

echo "== slow clients"
slow() {
    local started=$SECONDS
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf '%s' "$1" >&3
    timeout 120 cat <&3 >/dev/null
    exec 3>&-
    [ $((SECONDS - started)) -lt 120 ]
}
if slow "POST /v1/mod" && alive; then passed=$((passed + 1)); echo "   passed: half a request line is closed"; else failed=$((failed + 1)); echo "   FAILED: half a request line"; fi
if slow $'POST /v1/models/q/predictions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' && alive; then
    passed=$((passed + 1)); echo "   passed: an empty chunked body is closed"
else failed=$((failed + 1)); echo "   FAILED: an empty chunked body"; fi

echo "== restart"
stop_agent
if start_agent && alive; then passed=$((passed + 1)); echo "   passed: the agent starts again on the same data"; else failed=$((failed + 1)); echo "   FAILED: restart"; fi

echo "$passed passed, $failed failed"
test "$failed" -eq 0
