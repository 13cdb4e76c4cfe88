#!/usr/bin/env bash
# Builds the real-module corpus for the dirhash differential tests and the benchmark:
# one module zip per tree named in scripts/corpus-packages.txt, made by Go 1.27.3's
# golang.org/x/mod zip.CreateFromDir, plus Go's own hashes of everything the tests compare.
#
#   scripts/make-corpus.sh            # build what is missing or stale (cached; ~1 s when warm)
#   scripts/make-corpus.sh --force    # rebuild every entry
#
# Output (default .tools/corpus, or $GOMODKIT_CORPUS):
#   zips/<package>.zip       the module zip (<module>@<version>/... entries)
#   meta/<package>.json      one entry's facts (below); meta/<package>.stamp its cache key
#   manifest.tsv             one row per package, header first:
#       package debianVersion module version zip dir entries zipSize uncompressedSize
#       h1Current h1Old hashDir symlinks omitted invalid error
#     zip        path relative to the corpus directory ("" when Go refused the tree)
#     dir        the source tree (absolute)
#     h1Current  dirhash.HashZip of the zip, Go 1.27.3 (current x/mod)
#     h1Old      dirhash.HashZip of the same zip, Go 1.19 + x/mod v0.7.0
#     hashDir    Go 1.27.3 dirhash.HashDir(dir, module@version), or "error: <text>"
#     symlinks   number of symbolic links in the tree (HashDir follows them; GoModKit refuses)
#     omitted / invalid   counts from zip.CheckDir; error: CreateFromDir's error, if any
#   gomods.tsv               package, path of every regular go.mod file in the trees,
#                            Go 1.27.3's go.sum "/go.mod" hash of it (h1 or "error: <text>")
#
# Each entry is cached under a key of (package version, root, hashref source, this script,
# a listing of the tree's files with sizes and times),
# so a re-run only rebuilds what changed. Needs the Go references and the Debian packages
# (scripts/install-go-reference.sh, which this script runs first).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${GOMODKIT_CORPUS:-$root/.tools/corpus}
force=0
[ "${1:-}" = "--force" ] && force=1
src=/usr/share/gocode/src

"$root/scripts/install-go-reference.sh"

mkdir -p "$out/zips" "$out/meta" "$out/bin"
refkey=$(cat "$root/Tests/Reference/hashref/"*.go "$root/scripts/build-go-reference.sh" | sha256sum | cut -c1-16)
for flavour in current old; do
  bin="$out/bin/hashref-$flavour"
  if [ ! -x "$bin" ] || [ "$(cat "$bin.key" 2>/dev/null)" != "$refkey" ]; then
    "$root/scripts/build-go-reference.sh" "$flavour" "$root/Tests/Reference/hashref" "$bin"
    echo "$refkey" > "$bin.key"
  fi
done
cur="$out/bin/hashref-current" old="$out/bin/hashref-old"
scriptkey=$(cat "$0" "$root/scripts/corpus-packages.txt" | sha256sum | cut -c1-16)

# json FIELD < object: prints one field of a JSON object ("" when absent).
json() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

build_entry() {
  local pkg=$1 rel=$2
  local dir="$src/$rel" meta="$out/meta/$pkg.json" zip="$out/zips/$pkg.zip"
  local debver
  debver=$(dpkg-query -W -f='${Version}' "$pkg")
  # The tree itself is part of the key: other packages can ship files into it (e.g.
  # golang-github-pelletier-go-toml.v2-dev adds go-toml/v2/), and HashDir sees every file.
  local treekey
  treekey=$(find "$dir" -printf '%P %y %s %T@\n' 2>/dev/null | LC_ALL=C sort | sha256sum | cut -c1-16)
  local key="$debver|$rel|$refkey|$scriptkey|$treekey"
  if [ $force = 0 ] && [ -f "$meta" ] && [ "$(cat "$out/meta/$pkg.stamp" 2>/dev/null)" = "$key" ]; then
    return 0
  fi
  [ -d "$dir" ] || { echo "make-corpus: $pkg: $dir is missing" >&2; return 1; }

  # Module path: the tree's go.mod, else the import path of the tree.
  local module=$rel
  if [ -f "$dir/go.mod" ]; then
    module=$("$cur" modulepath "$dir/go.mod" | json module)
    [ -n "$module" ] || module=$rel
  fi
  # Version: the Debian upstream version when it is valid for the module path's major
  # version (as is, with +incompatible when there is no go.mod, or cut at ~ or +),
  # else vN.0.0 for a /vN or .vN path, else v1.0.0.
  local up=${debver#*:}
  up=${up%-*}
  local cut=${up%%[~+]*}
  local major=1
  if [[ $module =~ [/.]v([0-9]+)$ ]]; then major=${BASH_REMATCH[1]}; fi
  local cands=("v$up" "v$cut")
  [ -f "$dir/go.mod" ] || cands+=("v$up+incompatible" "v$cut+incompatible")
  cands+=("v$major.0.0" "v0.0.0")
  local version
  version=$("$cur" pickversion "$module" "${cands[@]}" | json version)

  rm -f "$zip"
  "$cur" createfromdir "$dir" "$module" "$version" "$zip" > "$out/meta/$pkg.create.json"
  local h1old="" hashdir
  if [ -f "$zip" ]; then
    h1old=$("$old" hashzip "$zip" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o.get("h1") or "error: "+o.get("error",""))')
  fi
  hashdir=$("$cur" hashdir "$dir" "$module@$version" | python3 -c 'import json,sys; o=json.load(sys.stdin); print(o.get("h1") or "error: "+o.get("error",""))')
  local symlinks
  symlinks=$(find "$dir" -type l | wc -l)
  find "$dir" -name go.mod -type f -print0 | sort -z | xargs -0 -r "$cur" hashmod > "$out/meta/$pkg.gomods.jsonl"

  PKG=$pkg DEBVER=$debver MODULE=$module VERSION=$version DIR=$dir H1OLD=$h1old \
  HASHDIR=$hashdir SYMLINKS=$symlinks ZIPREL=$([ -f "$zip" ] && echo "zips/$pkg.zip" || true) \
  python3 - "$out/meta/$pkg.create.json" > "$meta.tmp" <<'EOF'
import json, os, sys
c = json.load(open(sys.argv[1]))
e = os.environ
print(json.dumps({
    "package": e["PKG"], "debianVersion": e["DEBVER"], "module": e["MODULE"],
    "version": e["VERSION"], "zip": e["ZIPREL"], "dir": e["DIR"],
    "entries": c.get("entries", 0), "zipSize": c.get("size", 0),
    "uncompressedSize": c.get("uncompressedSize", 0),
    "h1Current": c.get("h1", ""), "h1Old": e["H1OLD"], "hashDir": e["HASHDIR"],
    "symlinks": int(e["SYMLINKS"]), "omitted": len(c.get("omitted", [])),
    "invalid": len(c.get("invalid", [])),
    "error": c.get("error", "") or c.get("hashError", ""),
}))
EOF
  mv "$meta.tmp" "$meta"
  echo "$key" > "$out/meta/$pkg.stamp"
  echo "make-corpus: $pkg -> $module@$version ($(json entries < "$meta") files)" >&2
}

packages=()
while read -r pkg rel _; do
  case "$pkg" in ''|'#'*) continue;; esac
  [ -n "${rel:-}" ] && [ "${rel:0:1}" != "#" ] || { echo "make-corpus: $pkg: no ROOT column" >&2; exit 1; }
  build_entry "$pkg" "$rel"
  packages+=("$pkg")
done < "$root/scripts/corpus-packages.txt"

python3 - "$out" "${packages[@]}" <<'EOF'
import json, os, sys
out, packages = sys.argv[1], sys.argv[2:]
cols = ["package", "debianVersion", "module", "version", "zip", "dir", "entries", "zipSize",
        "uncompressedSize", "h1Current", "h1Old", "hashDir", "symlinks", "omitted", "invalid", "error"]
def clean(v):
    return str(v).replace("\t", " ").replace("\n", " ")
with open(os.path.join(out, "manifest.tsv.tmp"), "w") as m, open(os.path.join(out, "gomods.tsv.tmp"), "w") as g:
    m.write("\t".join(cols) + "\n")
    g.write("package\tfile\th1\n")
    for p in packages:
        o = json.load(open(os.path.join(out, "meta", p + ".json")))
        m.write("\t".join(clean(o[c]) for c in cols) + "\n")
        for line in open(os.path.join(out, "meta", p + ".gomods.jsonl")):
            r = json.loads(line)
            g.write("\t".join(clean(x) for x in (p, r["file"], r.get("h1") or "error: " + r.get("error", ""))) + "\n")
os.replace(os.path.join(out, "manifest.tsv.tmp"), os.path.join(out, "manifest.tsv"))
os.replace(os.path.join(out, "gomods.tsv.tmp"), os.path.join(out, "gomods.tsv"))
zips = sum(1 for p in packages if json.load(open(os.path.join(out, "meta", p + ".json")))["zip"])
print(f"make-corpus: {zips} module zips of {len(packages)} trees in {out}", file=sys.stderr)
EOF
