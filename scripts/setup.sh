#!/usr/bin/env bash
# Installs what Driftwatch needs to build and run on Debian/Ubuntu, when it is missing:
# the C libraries it links (libpq, libcurl, OpenBLAS), the PostgreSQL server (embedded database and
# tests), pkg-config, python3-venv (the Python client's tests run in a virtual environment) and
# prometheus (its `promtool` checks `/metrics` and the alerting rules in tests) and prometheus-alertmanager
# (tests post alerts to a real Alertmanager; nothing is started: tests run it themselves).
# Safe to run again: it only installs what is absent.
set -euo pipefail

packages=(libpq-dev libcurl4-openssl-dev libopenblas-dev zlib1g-dev postgresql pkg-config python3 python3-venv curl prometheus prometheus-alertmanager)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  for d in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$d/swift" ] && export PATH="$d:$PATH"
  done
fi
command -v swift >/dev/null 2>&1 || {
  echo "setup: Swift 6 is required (https://swift.org/install); put 'swift' on PATH and run again" >&2
  exit 2
}
