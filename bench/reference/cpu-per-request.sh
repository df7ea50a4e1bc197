#!/usr/bin/env bash
# CPU time a server process spends per request at a fixed request rate (load on core 1).
# Usage: bench/reference/cpu-per-request.sh <pid> <url> [rate=1500] [seconds=8] [extra autocannon args...]
set -euo pipefail
pid=$1 url=$2 rate=${3:-1500} seconds=${4:-8}
shift $(( $# < 4 ? $# : 4 ))
body='{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}'
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
out=$(taskset -c 1 "$(dirname "$0")/../../node_modules/.bin/autocannon" -j -c 32 -R "$rate" -d "$seconds" -m POST \
  -H content-type=application/json -H anthropic-version=2023-06-01 "$@" -b "$body" "$url")
after=$(ticks)
requests=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(r["2xx"])' "$out")
hz=$(getconf CLK_TCK)
node -e 'const [t, n, hz] = process.argv.slice(1).map(Number); console.log(`${n} requests, ${(t / hz * 1e6 / n).toFixed(0)} µs of CPU per request`)' "$((after - before))" "$requests" "$hz"
