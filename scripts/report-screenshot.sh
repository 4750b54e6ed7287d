#!/usr/bin/env bash
# Prints a Driftwatch HTML report to PNG with headless Chromium (Debian package `chromium`, installed with
# apt when missing), to check that the report renders in a real browser and to make the README's picture.
#
#   scripts/report-screenshot.sh                      # the demo's agent report -> docs/report.png
#   scripts/report-screenshot.sh report.html out.png  # any report
#
# Without arguments it runs the demo (the agent on the car-loan model, embedded PostgreSQL under the demo
# configuration's state directory), which writes the car_loan model's report, and prints it.
# Environment: WIDTH (default 1100) and HEIGHT (default 1700) set the viewport in CSS pixels (the picture
# is the top of the page: summary, charts over time, the start of the error analysis).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "report-screenshot: installing chromium" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi

input="${1:-}"
output="${2:-docs/report.png}"
if [ -z "$input" ]; then
  source scripts/setup.sh
  swift build -c release --product driftwatch
  bin="$(swift build -c release --show-bin-path)/driftwatch"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  "$bin" demo --output "$work/report.html" >"$work/demo.log"
  input="$work/report.html"
fi
[ -r "$input" ] || { echo "report-screenshot: cannot read $input" >&2; exit 2; }

mkdir -p "$(dirname "$output")"
profile="$(mktemp -d)"
# --no-sandbox: containers and root shells have no user namespaces for Chromium's sandbox; the page is a
# local file with no scripts, so nothing runs that the sandbox would contain.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --force-device-scale-factor=1 --window-size="${WIDTH:-1100},${HEIGHT:-1700}" \
  --screenshot="$(realpath -m "$output")" "file://$(realpath "$input")" 2>/dev/null
rm -rf "$profile"
[ -s "$output" ] || { echo "report-screenshot: chromium wrote no picture" >&2; exit 1; }
echo "$output"
