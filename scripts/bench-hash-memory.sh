#!/usr/bin/env bash
# One 500 MiB file in a module zip. Hashing must stream (SHA-256 over
# fixed buffers): peak memory of `gomodkit hash` must not grow with the file's size.
# Not a test (it writes ~1 MiB zips but hashes 500 MiB of content; ~5-20 s); run by hand:
#   scripts/bench-hash-memory.sh
#   GOMODKIT_BIN=path/to/gomodkit scripts/bench-hash-memory.sh   # no release build
# Builds two module zips that differ only in the size of one deflated file of zeros — 1 MiB and
# 500 MiB minus the go.mod (x/mod's MaxZipFile bounds the total) — and runs `gomodkit hash` on
# each under /usr/bin/time. Checks: both hashes equal the h1: computed independently here in
# Python (x/mod dirhash.Hash1: SHA-256 of "<sha256 hex>  <name>\n" lines in byte order), and
# the 500 MiB run's peak RSS exceeds the 1 MiB run's by less than LIMIT_MB (default 16).
# Beside it, when the corpus's Go reference is built (scripts/make-corpus.sh:
# .tools/corpus/bin/hashref-current, Go 1.27.3's x/mod dirhash.HashZip), the same two zips
# hashed by Go, for comparison (its hash must agree too).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
limit=${LIMIT_MB:-16}
if [ -n "${GOMODKIT_BIN:-}" ]; then
  bin=$GOMODKIT_BIN
else
  swift build --package-path "$root" -c release --product gomodkit >/dev/null
  bin=$(swift build --package-path "$root" -c release --show-bin-path)/gomodkit
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import base64, hashlib, sys, zipfile, zlib
work = sys.argv[1]
prefix = "example.com/m@v1.0.0/"
gomod = b"module example.com/m\n"
for tag, size in (("small", 1 << 20), ("large", (500 << 20) - len(gomod))):
    digest = hashlib.sha256()
    path = f"{work}/{tag}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(prefix + "go.mod", gomod)
        with z.open(prefix + "zeros.bin", "w", force_zip64=True) as f:
            chunk = bytes(1 << 20)
            left = size
            while left:
                n = min(left, len(chunk))
                f.write(chunk[:n]); digest.update(chunk[:n]); left -= n
    lines = sorted([(prefix + "go.mod", hashlib.sha256(gomod).hexdigest()), (prefix + "zeros.bin", digest.hexdigest())],
                   key=lambda x: x[0].encode())
    summary = "".join(f"{h}  {n}\n" for n, h in lines).encode()
    open(f"{work}/{tag}.want", "w").write("h1:" + base64.b64encode(hashlib.sha256(summary).digest()).decode())
PY
status=0
declare -A rss
for tag in small large; do
  /usr/bin/time -f '%M %e' -o "$work/$tag.time" "$bin" hash "$work/$tag.zip" > "$work/$tag.out"
  got=$(awk '{print $NF}' "$work/$tag.out"); want=$(cat "$work/$tag.want")
  read -r kb secs < "$work/$tag.time"
  rss[$tag]=$kb
  echo "$tag: $(stat -c %s "$work/$tag.zip") byte zip, peak RSS $((kb / 1024)) MiB, $secs s, $got"
  if [ "$got" != "$want" ]; then echo "  FAIL: expected $want" >&2; status=1; fi
done
goref=${GOREF:-$root/.tools/corpus/bin/hashref-current}
if [ -x "$goref" ]; then
  for tag in small large; do
    /usr/bin/time -f '%M %e' -o "$work/$tag.gotime" "$goref" hashzip "$work/$tag.zip" > "$work/$tag.goout"
    got=$(sed -n 's/.*"h1":"\([^"]*\)".*/\1/p' "$work/$tag.goout"); want=$(cat "$work/$tag.want")
    read -r kb secs < "$work/$tag.gotime"
    echo "$tag (Go 1.27.3 dirhash.HashZip): peak RSS $((kb / 1024)) MiB, $secs s, $got"
    if [ "$got" != "$want" ]; then echo "  FAIL: Go's hash differs from the expected $want" >&2; status=1; fi
  done
else
  echo "(no Go reference at $goref: scripts/make-corpus.sh builds it)"
fi
growth=$(( (rss[large] - rss[small]) / 1024 ))
echo "peak RSS growth from 1 MiB to 500 MiB of content: ${growth} MiB (limit ${limit} MiB)"
if [ "$growth" -ge "$limit" ]; then echo "FAIL: memory grows with the file size" >&2; status=1; fi
exit $status
