#!/usr/bin/env bash
# Benchmark: audit a 300-line go.sum against the loopback checksum database
# (Tests/Reference/sumdbserver: x/mod's sumdb server code) with 20 ms added latency per request,
# GoModKit (`gomodkit sumdb audit`, release build) vs x/mod's sumdb.Client doing the same
# lookups with 20 in parallel (as cmd/go would) and sequentially; for reference also x/mod with
# as many lines in flight as GoModKit. GoModKit runs GMK_CONCURRENCY (default 300: every line
# of the go.sum) lines at once. Prints wall time and requests made.
#   scripts/bench-sumdb.sh [LINES] [LATENCY_MS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
lines=${1:-300} latency=${2:-20}
work=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

server="$root/.tools/ref/current/sumdbserver"
mkdir -p "$(dirname "$server")"
"$root/scripts/build-go-reference.sh" current "$root/Tests/Reference/sumdbserver" "$server"
if [ -n "${GOMODKIT_BIN:-}" ]; then
  gomodkit=$GOMODKIT_BIN   # time a given binary instead of building one
else
  swift build --package-path "$root" -c release --product gomodkit >/dev/null
  gomodkit=$(swift build --package-path "$root" -c release --show-bin-path)/gomodkit
fi

for i in $(seq 1 $((lines / 2))); do echo "example.com/mod$i v1.$((i % 7)).$i"; done > "$work/records"
"$server" gosum -records "$work/records" > "$work/go.sum"

mkfifo "$work/stdin"
SUMDB_LATENCY_MS=$latency "$server" serve -records "$work/records" < "$work/stdin" > "$work/server.out" 2> "$work/requests" &
pid=$!
exec 3> "$work/stdin"
for _ in $(seq 1 50); do grep -q '^VKEY' "$work/server.out" 2>/dev/null && break; sleep 0.1; done
url=$(awk '/^URL/{print $2}' "$work/server.out")
vkey=$(awk '/^VKEY/{print $2}' "$work/server.out")

count() { grep -c '^REQ' "$work/requests" || true; }
now() { date +%s.%N; }

before=$(count); t0=$(now)
"$gomodkit" sumdb audit --gosumdb "$vkey $url" --gopath "$work/gopath" --concurrency "${GMK_CONCURRENCY:-300}" "$work/go.sum" > "$work/gomodkit.out"
t1=$(now); gmk_requests=$(( $(count) - before ))
tail -1 "$work/gomodkit.out"

before=$(count); t2=$(now)
"$server" lookup -url "$url" -gosum "$work/go.sum" -concurrency 20 > "$work/xmod.out"
t3=$(now); xmod_requests=$(( $(count) - before ))
tail -1 "$work/xmod.out"

before=$(count); t4=$(now)
"$server" lookup -url "$url" -gosum "$work/go.sum" -concurrency 1 > "$work/xmod1.out"
t5=$(now); xmod1_requests=$(( $(count) - before ))

before=$(count); t6=$(now)
"$server" lookup -url "$url" -gosum "$work/go.sum" -concurrency "${GMK_CONCURRENCY:-300}" > "$work/xmodn.out"
t7=$(now); xmodn_requests=$(( $(count) - before ))

python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$gmk_requests" "$xmod_requests" "$xmod1_requests" "$lines" "$latency" "${GMK_CONCURRENCY:-300}" "$t6" "$t7" "$xmodn_requests" <<'PY'
import sys
t0, t1, t2, t3, t4, t5 = map(float, sys.argv[1:7]); g, x, x1, n, lat, c = sys.argv[7:13]
t6, t7 = map(float, sys.argv[13:15]); xn = sys.argv[15]
a, b, s, m = t1 - t0, t3 - t2, t5 - t4, t7 - t6
print(f"{n} go.sum lines, {lat} ms latency per request")
print(f"GoModKit sumdb audit ({c} in flight) : {a:7.3f} s  {g:>5} requests")
print(f"x/mod sumdb.Client (20 in flight)    : {b:7.3f} s  {x:>5} requests   speed-up {b / a:5.2f}x")
print(f"x/mod sumdb.Client (sequential)      : {s:7.3f} s  {x1:>5} requests   speed-up {s / a:5.2f}x")
print(f"x/mod sumdb.Client ({c} in flight)   : {m:7.3f} s  {xn:>5} requests   speed-up {m / a:5.2f}x  (reference)")
PY
