#!/usr/bin/env bash
# Benchmark (a script, not a timed test) of `gomodkit scan` (issue 16; Docs/scale.md): BENCH_REPOS
# repositories (1,000) × BENCH_PER_REPO versions (10) = 10,000 versions behind one loopback
# server (scripts/scan-ecosystem-server.py: index feed, GOPROXY .info tree, git http-backend) that
# waits BENCH_LATENCY_MS (50) before every answer, inside a private network namespace.
#
# Module paths are github.com/acme/r<i> resolved by a resolution table (as the static host
# table resolves github.com: no discovery request) to http://example.test/git/acme/r<i>.git.
# The .info files carry the Origin cmd/go records (VCS, URL, Hash, Ref), written by this script
# from the repositories' tags (real go would take an hour to download 10,000 versions here; the
# e2e test, scripts/scan-e2e.sh, uses go-made trees). The checksum database is x/mod's test
# server (fake zip hashes: a rebuild's comparison fails, its cost is what is measured).
#
# Passes, each timed (wall, CPU of gomodkit and its git children, peak RSS), with the load
# average beside them (the machine is shared):
#   1. first sight: feed mirror, 10,000 .info requests, 1,000 ref listings (the cheap pass)
#   2. steady state: nothing new, 1,000 ref listings (the daily re-check of every repository)
#      2g. the same with --git-ls-remote (one git process per listing: the before of the
#      in-process smart HTTP listing)
#   3. BENCH_MOVED (20) tags force-pushed: 3a with rebuilds (fetch + zip + h1 + sumdb lookup),
#      3b on a copy of the state with --no-rebuild; (3a − 3b) / moved = the cost of a rebuild
#
# BENCH_SKIP_MOVED=1 stops after pass 2g.
#
# Usage: scripts/bench-scan.sh [path/to/release/gomodkit [path/to/sumdbserver]]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gomodkit=${1:-$root/.build/release/gomodkit}
sumdbserver=${2:-$root/.tools/ref/current/sumdbserver}
REPOS=${BENCH_REPOS:-1000} PER=${BENCH_PER_REPO:-10} LATENCY_MS=${BENCH_LATENCY_MS:-50}
JOBS=${BENCH_JOBS:-64} PER_HOST=${BENCH_PER_HOST:-64} MOVED=${BENCH_MOVED:-20}
[ -x "$gomodkit" ] || { echo "bench-scan: build gomodkit first (swift build -c release): $gomodkit" >&2; exit 2; }
gomodkit=$(cd "$(dirname "$gomodkit")" && pwd)/$(basename "$gomodkit")
if [ ! -x "$sumdbserver" ]; then
  "$root/scripts/build-go-reference.sh" current "$root/Tests/Reference/sumdbserver" "$sumdbserver"
fi
. "$root/scripts/lib/namespace.sh"
ns_enter BENCH_SCAN_INNER "$gomodkit" "$sumdbserver"
ns_setup

echo "bench-scan: $REPOS repositories x $PER versions, ${LATENCY_MS} ms per request, --jobs $JOBS --per-host $PER_HOST"
echo "machine: $(nproc) cores; $(uname -r)"
started=$(date +%s)
python3 - "$T" "$REPOS" "$PER" <<'PY'
import json, os, subprocess, sys
T, repos, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
feed = open(T + "/feed.jsonl", "w"); table = open(T + "/resolutions.txt", "w"); records = open(T + "/records.txt", "w")
seq = 0
for i in range(repos):
    name = "r%d" % i
    path = "github.com/acme/" + name
    bare = "%s/git/acme/%s.git" % (T, name)
    os.makedirs(bare)
    subprocess.run(["git", "init", "-q", "--bare", bare], check=True)
    stream = []
    def blob(text):
        b = text.encode()
        return "data %d\n" % len(b) + text + "\n"
    for k in range(per):
        stream.append("commit refs/heads/main\nmark :%d\ncommitter t <t@example.test> %d +0000\n" % (k + 1, 1700000000 + k))
        stream.append(blob("v1.%d.0" % k))
        if k: stream.append("from :%d\n" % k)
        stream.append("M 644 inline go.mod\n" + blob("module %s\n\ngo 1.21\n" % path))
        stream.append("M 644 inline %s.go\n" % name + blob("package %s\n\nconst V = %d\n" % (name, k)))
        stream.append("reset refs/tags/v1.%d.0\nfrom :%d\n\n" % (k, k + 1))
    subprocess.run(["git", "-C", bare, "fast-import", "--quiet"], input="".join(stream).encode(), check=True)
    refs = subprocess.run(["git", "-C", bare, "show-ref", "--tags"], capture_output=True, text=True, check=True).stdout
    url = "http://example.test/git/acme/%s.git" % name
    table.write("%s git %s\n" % (path, url))
    d = "%s/proxy/%s/@v" % (T, path)
    os.makedirs(d)
    for line in refs.splitlines():
        h, ref = line.split()
        v = ref[len("refs/tags/"):]
        info = {"Version": v, "Time": "2023-11-14T22:13:20Z",
                "Origin": {"VCS": "git", "URL": url, "Hash": h, "Ref": ref}}
        open("%s/%s.info" % (d, v), "w").write(json.dumps(info, separators=(",", ":")))
        seq += 1
        feed.write(json.dumps({"Path": path, "Version": v, "Timestamp": "2026-01-01T00:%02d:%02d.%06dZ" % (seq // 60000000 % 60, seq // 1000000 % 60, seq % 1000000)}, separators=(",", ":")) + "\n")
        records.write("%s %s\n" % (path, v))
PY
echo "setup: $(( $(date +%s) - started )) s"

python3 "$root/scripts/scan-ecosystem-server.py" 80 "$T/feed.jsonl" "$T/proxy" "$T/git" "$LATENCY_MS" </dev/null >"$T/server.log" 2>&1 &
servers+=($!)
mkfifo "$T/sumdb.in"
"$sumdbserver" serve -records "$T/records.txt" < "$T/sumdb.in" > "$T/sumdb.out" 2>"$T/sumdb.err" &
servers+=($!)
exec 8> "$T/sumdb.in"
for _ in $(seq 300); do grep -q '^VKEY ' "$T/sumdb.out" 2>/dev/null && (exec 3<>/dev/tcp/127.0.0.1/80) 2>/dev/null && break; sleep 0.1; done
export GOPROXY=http://example.test/proxy GOSUMDB="$(sed -n 's/^VKEY //p' "$T/sumdb.out") $(sed -n 's/^URL //p' "$T/sumdb.out")"
export GONOSUMDB= GOPRIVATE= GONOPROXY= GOINSECURE= GOFLAGS=

# timed LABEL STATE [args…]: runs one pass, prints wall/CPU/RSS, the load average around it.
timed() {
  local label=$1 state=$2; shift 2
  GOMODCACHE=$T/cache-$(basename "$state") GOPATH=$T/path-$(basename "$state") python3 - "$label" "$REPOS" "$((REPOS * PER))" \
    "$gomodkit" scan run --state "$state" --index http://example.test/index --resolutions "$T/resolutions.txt" \
    --jobs "$JOBS" --per-host "$PER_HOST" --findings-exit-zero "$@" <<'PY'
import os, resource, subprocess, sys, time
label, repos, versions, cmd = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
load0 = open("/proc/loadavg").read().split()[:3]
t0 = time.time(); r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
t1 = time.time(); r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
load1 = open("/proc/loadavg").read().split()[:3]
wall = t1 - t0; cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
last = [l for l in p.stderr.splitlines() if "pass " in l]
print("%-34s exit %d  wall %7.1f s  cpu %7.1f s  maxrss %4d MiB  %6.1f repos/s  %7.1f versions/s  load %s -> %s"
      % (label, p.returncode, wall, cpu, r1.ru_maxrss // 1024, repos / wall, versions / wall, "/".join(load0), "/".join(load1)))
if last: print("    " + last[-1])
if p.returncode != 0: print(p.stderr[-2000:])
PY
}

timed "1. first sight (cheap pass)" "$T/s"
timed "2. steady state (re-list only)" "$T/s"
# The same pass with every repository listed by `git ls-remote` (the listing before the
# in-process smart HTTP lister), in the same session for a before/after under the same load.
timed "2g. steady state, --git-ls-remote" "$T/s" --git-ls-remote
if [ "${BENCH_SKIP_MOVED:-0}" = 1 ]; then
  echo "server requests: $(python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1/stats").read().decode())')"
  exit 0
fi
# Force-push MOVED tags (v1.0.0 of r0, r50, …) to new commits with other content.
for ((i = 0; i < MOVED; i++)); do
  bare="$T/git/acme/r$((i * (REPOS / MOVED))).git"
  tree=$(printf '100644 blob %s\tgo.mod\n' "$(git -C "$bare" rev-parse 'v1.0.0:go.mod')" | git -C "$bare" mktree)
  git -C "$bare" update-ref refs/tags/v1.0.0 "$(git -C "$bare" commit-tree "$tree" -m moved)"
done
cp -a "$T/s" "$T/s-norebuild"
timed "3a. $MOVED moved tags, rebuilt" "$T/s"
timed "3b. $MOVED moved tags, --no-rebuild" "$T/s-norebuild" --no-rebuild
echo "server requests: $(python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1/stats").read().decode())')"
