#!/usr/bin/env bash
# Benchmark: audit a 300-line go.sum against the loopback checksum database
# (Tests/Reference/sumdbserver: x/mod's sumdb server code) with 20 ms added latency per request,
# GoModKit (`gomodkit sumdb audit`, release build) vs x/mod's sumdb.Client doing the same
# lookups. The target (issue 5: >= 4x) is measured against x/mod driven the way cmd/go drives
# it: at most runtime.GOMAXPROCS(0) lookups in flight (cmd/go/internal/modcmd/download.go and
# modload/buildlist.go bound their work queues so). For reference x/mod also runs sequentially,
# with 20 in flight, and with as many in flight as GoModKit's second run. GoModKit runs once
# with its default bound (`--concurrency` not given: 16) and once with GMK_CONCURRENCY (default
# 300: every line of the go.sum) lines at once. Each contender runs RUNS times (default 3,
# alternating); the median wall time and the requests made are printed.
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
runs=${RUNS:-3} conc=${GMK_CONCURRENCY:-300}
results="$work/results"; : > "$results"
# time_one NAME CMD...: one timed run, appended to $results as "NAME start end requests".
time_one() {
  local name=$1; shift
  local before t0 t1
  before=$(count); t0=$(now)
  "$@" > "$work/$name.out"
  t1=$(now)
  echo "$name $t0 $t1 $(( $(count) - before ))" >> "$results"
}
for r in $(seq 1 "$runs"); do
  # every GoModKit run starts from an empty cache, as x/mod's in-memory one does
  rm -rf "$work/gopath"
  time_one gomodkit "$gomodkit" sumdb audit --gosumdb "$vkey $url" --gopath "$work/gopath" "$work/go.sum"
  rm -rf "$work/gopath"
  time_one gomodkit_n "$gomodkit" sumdb audit --gosumdb "$vkey $url" --gopath "$work/gopath" --concurrency "$conc" "$work/go.sum"
  time_one xmod_gomaxprocs "$server" lookup -url "$url" -gosum "$work/go.sum" -concurrency 0
  time_one xmod_20 "$server" lookup -url "$url" -gosum "$work/go.sum" -concurrency 20
  time_one xmod_n "$server" lookup -url "$url" -gosum "$work/go.sum" -concurrency "$conc"
done
time_one xmod_1 "$server" lookup -url "$url" -gosum "$work/go.sum" -concurrency 1   # slow: once
tail -1 "$work/gomodkit.out"; tail -1 "$work/xmod_gomaxprocs.out"

python3 - "$results" "$lines" "$latency" "$conc" "$(getconf _NPROCESSORS_ONLN)" <<'PY'
import statistics, sys
path, n, lat, c, cpus = sys.argv[1:6]
runs = {}
for line in open(path):
    name, t0, t1, req = line.split()
    runs.setdefault(name, []).append((float(t1) - float(t0), int(req)))
def med(name):
    xs = runs[name]
    return statistics.median(t for t, _ in xs), xs[-1][1], len(xs)
g, greq, gn = med("gomodkit")
gc, gcreq, _ = med("gomodkit_n")
print(f"{n} go.sum lines, {lat} ms latency per request, {cpus} CPUs; median of {gn} runs (sequential: 1 run)")
print(f"{'GoModKit sumdb audit (default: 16 in flight)':46s}: {g:7.3f} s  {greq:>5} requests")
print(f"{f'GoModKit sumdb audit ({c} in flight)':46s}: {gc:7.3f} s  {gcreq:>5} requests")
print("speed-up of GoModKit (default bound) and of GoModKit with the same bound as the x/mod row:")
rows = [("xmod_gomaxprocs", f"x/mod as cmd/go drives it ({cpus} in flight)", "  <- target >= 4x", g),
        ("xmod_1", "x/mod, sequential", "", g),
        ("xmod_20", "x/mod, 20 in flight", "", g),
        ("xmod_n", f"x/mod, {c} in flight", f"  (vs GoModKit with {c})", gc)]
for key, label, note, ours in rows:
    t, req, _ = med(key)
    print(f"{label:46s}: {t:7.3f} s  {req:>5} requests   speed-up {t / ours:5.2f}x{note}")
PY
