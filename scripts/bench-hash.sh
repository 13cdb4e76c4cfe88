#!/usr/bin/env bash
# Benchmark (not a test): h1: hashing speed and peak memory of `gomodkit hash ZIP` against
# Go 1.27.3's golang.org/x/mod dirhash.HashZip, on three module zips:
#   synthetic   ~200 MB in 20,008 files (Tests/Reference/benchgen: many small files plus
#               large compressible and large incompressible ones; deterministic)
#   aws-sdk-go  github.com/aws/aws-sdk-go v1.44.133 (Debian tree, 171 MB, 2,623 files)
#   klauspost   github.com/klauspost/compress v1.15.12 (42 MB, mostly incompressible)
# Method (Docs/performance.md): each hasher runs as its own process on a warm page cache,
# one warm-up run then BENCH_RUNS timed runs (default 5); the best wall time counts, speed is
# uncompressed content MB (10^6 bytes) per second, and peak RSS is the largest maximum
# resident set size that `/usr/bin/time -f %M` reports over the runs. Both must print the
# same h1: or the script fails.
#
#   scripts/bench-hash.sh                # all three zips
#   BENCH_RUNS=9 scripts/bench-hash.sh   # more runs
#   scripts/bench-hash.sh ZIP...         # other zips
#   GOMODKIT_BIN=path/to/gomodkit scripts/bench-hash.sh   # time that binary, no release build
#
# Start-up row: `gomodkit hash` of a one-file module zip against Go's HashZip program on the
# same zip, best of BENCH_STARTUP_RUNS (default 10) runs each, timed with bash's EPOCHREALTIME
# (no timer process), after one warm-up run; the ratio is gomodkit's time over Go's (target:
# at most 1.5). Process start-up (dynamic linking, runtime initialisation) dominates it.
#
#   BENCH_STARTUP_ONLY=1 scripts/bench-hash.sh   # the start-up row only
#
# Results are also written to bench-out/hash.tsv and bench-out/startup.tsv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-5}
bench="$root/.tools/bench"
corpus=${GOMODKIT_CORPUS:-$root/.tools/corpus}
mkdir -p "$bench" "$root/bench-out"

die() { echo "bench-hash: $*" >&2; exit 1; }

# /usr/bin/time (GNU time) reports the peak RSS.
if [ ! -x /usr/bin/time ]; then
  [ "$(id -u)" = 0 ] || die "/usr/bin/time is missing (apt-get install time)"
  echo "bench-hash: installing GNU time" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time >/dev/null
fi

# The corpus supplies the real zips and a built Go 1.27.3 hashref.
"$root/scripts/make-corpus.sh"
goref="$corpus/bin/hashref-current"

if [ "${BENCH_STARTUP_ONLY:-}" = 1 ]; then
  zips=()
elif [ $# -gt 0 ]; then
  zips=("$@")
else
  key=$(cat "$root/Tests/Reference/benchgen/"*.go | sha256sum | cut -c1-16)
  if [ ! -f "$bench/synthetic.zip" ] || [ "$(cat "$bench/synthetic.key" 2>/dev/null)" != "$key" ]; then
    echo "bench-hash: generating the synthetic zip" >&2
    "$root/scripts/build-go-reference.sh" current "$root/Tests/Reference/benchgen" "$bench/benchgen"
    "$bench/benchgen" "$bench/synthetic.zip.tmp" >/dev/null
    mv "$bench/synthetic.zip.tmp" "$bench/synthetic.zip"
    echo "$key" > "$bench/synthetic.key"
  fi
  zips=("$bench/synthetic.zip"
        "$corpus/zips/golang-github-aws-aws-sdk-go-dev.zip"
        "$corpus/zips/golang-github-klauspost-compress-dev.zip")
fi
for z in "${zips[@]+"${zips[@]}"}"; do [ -f "$z" ] || die "missing zip $z"; done

if [ -n "${GOMODKIT_BIN:-}" ]; then
  gomodkit=$GOMODKIT_BIN   # time a given binary instead of building one
else
  echo "bench-hash: swift build -c release --product gomodkit" >&2
  (cd "$root" && swift build -c release --product gomodkit >&2)
  gomodkit="$(cd "$root" && swift build -c release --show-bin-path)/gomodkit"
fi
[ -x "$gomodkit" ] || die "no gomodkit binary at $gomodkit"
startup_runs=${BENCH_STARTUP_RUNS:-10}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The start-up zip: one file, stored (python3's zipfile, fixed time stamp).
startzip="$tmp/example.com-start@v1.0.0.zip"
python3 - "$startzip" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as zf:
    zf.writestr(zipfile.ZipInfo("example.com/start@v1.0.0/go.mod", (2020, 1, 1, 0, 0, 0)), "module example.com/start\n")
EOF

# Refuse to time a CLI that cannot hash yet.
probezip=$startzip
[ ${#zips[@]} = 0 ] || probezip=${zips[-1]}
probe=$("$gomodkit" hash "$probezip" 2>&1) && [[ $probe =~ ^h1:[A-Za-z0-9+/]{43}=$ ]] \
  || die "\`gomodkit hash ZIP\` is not available or does not print a bare h1: line (got: ${probe:0:200})"

# startup CMD...: one warm-up run, then $startup_runs runs; sets best_us (microseconds) and out.
startup() {
  local i t0 t1 us
  "$@" > "$tmp/out" 2>"$tmp/err" || die "$* failed: $(cat "$tmp/err")"
  best_us=0
  for ((i = 0; i < startup_runs; i++)); do
    t0=${EPOCHREALTIME/./}
    "$@" > "$tmp/out" 2>"$tmp/err" || die "$* failed: $(cat "$tmp/err")"
    t1=${EPOCHREALTIME/./}
    us=$((10#$t1 - 10#$t0))
    if [ "$best_us" = 0 ] || [ "$us" -lt "$best_us" ]; then best_us=$us; fi
  done
  out=$(cat "$tmp/out")
}

# The start-up row: both print the same h1: of the one-file zip, or the script fails.
startup "$goref" hashzip "$startzip"
go_h1=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("h1",""))' "$out")
go_start_us=$best_us
startup "$gomodkit" hash "$startzip"
gmk_start_us=$best_us
[ -n "$go_h1" ] && [ "$(printf '%s' "$out" | tr -d '\n')" = "$go_h1" ] \
  || die "start-up zip: gomodkit printed $out, Go $go_h1"
linked=$( (readelf -d "$gomodkit" 2>/dev/null || true) | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
startup_ratio=$(python3 -c 'import sys; print(f"{int(sys.argv[2]) / int(sys.argv[1]):.2f}")' "$go_start_us" "$gmk_start_us")
startup_row=$(printf 'start-up, 1-file zip, best of %d: Go HashZip %d.%02d ms, gomodkit hash %d.%02d ms, gomodkit/Go %sx (target <= 1.50x)' \
  "$startup_runs" $((go_start_us / 1000)) $((go_start_us % 1000 / 10)) $((gmk_start_us / 1000)) $((gmk_start_us % 1000 / 10)) "$startup_ratio")
printf 'goMicroseconds\tgomodkitMicroseconds\tratio\truns\tgomodkitNeeded\th1\n%s\t%s\t%s\t%s\t%s\t%s\n' \
  "$go_start_us" "$gmk_start_us" "$startup_ratio" "$startup_runs" "${linked% }" "$go_h1" > "$root/bench-out/startup.tsv"
echo "bench-hash: gomodkit links: ${linked:-nothing dynamically}" >&2
if [ "${BENCH_STARTUP_ONLY:-}" = 1 ]; then
  echo "$startup_row"
  exit 0
fi

# measure NAME CMD...: warm-up, then $runs runs; sets best_ns, peak_kb and out (stdout).
measure() {
  local i start end ns kb
  "$@" > "$tmp/out" 2>"$tmp/err" || die "$* failed: $(cat "$tmp/err")"
  best_ns=0 peak_kb=0
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    /usr/bin/time -f %M -o "$tmp/rss" "$@" > "$tmp/out" 2>"$tmp/err" || die "$* failed: $(cat "$tmp/err")"
    end=$(date +%s%N)
    ns=$((end - start))
    kb=$(tail -1 "$tmp/rss")
    if [ "$best_ns" = 0 ] || [ "$ns" -lt "$best_ns" ]; then best_ns=$ns; fi
    if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
  done
  out=$(cat "$tmp/out")
}

# The C floor: zlib inflate + crc32 + OpenSSL SHA-256 of every entry on one thread, from memory
# (scripts/bench/zlib-sha-floor.c). It shows what one core can do at best with zlib, so the
# ceiling of a two-thread hasher against single-threaded Go is about 2 x floor / Go (1 core).
floor="$tmp/floor"
cc -O2 -o "$floor" "$root/scripts/bench/zlib-sha-floor.c" -lz -lcrypto 2>"$tmp/cc.err" \
  || die "cannot build the C floor (needs gcc, zlib1g-dev, libssl-dev): $(cat "$tmp/cc.err")"
one=(taskset -c 0)   # single-core runs

{
  printf 'zip\tfiles\tzipBytes\tcontentBytes\tgoSeconds\tgoMBps\tgomodkitSeconds\tgomodkitMBps\tratio\tgoPeakRSSKiB\tgomodkitPeakRSSKiB\tgo1CoreSeconds\tgomodkit1CoreSeconds\tcFloor1CoreSeconds\th1\n'
} > "$root/bench-out/hash.tsv"
printf '%-18s %7s %8s %9s %14s %6s %11s %17s | %13s %13s %6s %13s\n' zip files "data MB" "Go MB/s" "gomodkit MB/s" ratio "Go RSS MiB" "gomodkit RSS MiB" \
  "Go 1 core" "gmk 1 core" ratio "C floor 1c"
for z in "${zips[@]}"; do
  read -r files content < <(python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as zf:
    infos = zf.infolist()
print(len(infos), sum(i.file_size for i in infos))' "$z")
  zbytes=$(stat -c %s "$z")

  measure "$goref" hashzip "$z"
  go_h1=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("h1",""))' "$out")
  go_ns=$best_ns go_kb=$peak_kb
  measure "$gomodkit" hash "$z"
  gmk_h1=$(printf '%s' "$out" | tr -d '\n')
  gmk_ns=$best_ns gmk_kb=$peak_kb
  h1=$go_h1
  [ -n "$go_h1" ] || die "$z: Go's HashZip failed: $out"
  [ "$gmk_h1" = "$go_h1" ] || die "$z: gomodkit printed $gmk_h1, Go $go_h1"
  measure "${one[@]}" "$goref" hashzip "$z"; go1_ns=$best_ns
  measure "${one[@]}" "$gomodkit" hash "$z"; gmk1_ns=$best_ns

  python3 - "$z" "$tmp/entries.bin" <<'EOF'
import struct, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as zf, open(sys.argv[1], "rb") as f, open(sys.argv[2], "wb") as out:
    for i in zf.infolist():
        f.seek(i.header_offset)
        header = f.read(30)
        n, e = struct.unpack("<HH", header[26:30])
        f.seek(i.header_offset + 30 + n + e)
        data = f.read(i.compress_size)
        out.write(struct.pack("<IQQI", i.compress_type, len(data), i.file_size, i.CRC) + data)
EOF
  floor_s=$("${one[@]}" "$floor" "$tmp/entries.bin" "$runs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["bestSeconds"])')

  name=$(basename "$z" .zip)
  name=${name#golang-github-}; name=${name%-dev}
  python3 - "$name" "$files" "$zbytes" "$content" "$go_ns" "$gmk_ns" "$go_kb" "$gmk_kb" "$h1" "$root/bench-out/hash.tsv" "$go1_ns" "$gmk1_ns" "$floor_s" <<'EOF'
import sys
name, files, zb, cb, go_ns, gmk_ns, go_kb, gmk_kb, h1, tsv, go1_ns, gmk1_ns, floor_s = sys.argv[1:]
files, zb, cb, go_ns, gmk_ns, go_kb, gmk_kb, go1_ns, gmk1_ns = map(int, (files, zb, cb, go_ns, gmk_ns, go_kb, gmk_kb, go1_ns, gmk1_ns))
go_s, gmk_s, go1_s, gmk1_s, floor_s = go_ns / 1e9, gmk_ns / 1e9, go1_ns / 1e9, gmk1_ns / 1e9, float(floor_s)
mb = cb / 1e6
go_mbps, gmk_mbps = mb / go_s, mb / gmk_s
ratio = go_s / gmk_s
print(f"{name[:18]:<18} {files:>7} {mb:>8.1f} {go_mbps:>9.0f} {gmk_mbps:>14.0f} {ratio:>5.2f}x {go_kb/1024:>11.1f} {gmk_kb/1024:>17.1f} |"
      f" {mb/go1_s:>8.0f} MB/s {mb/gmk1_s:>8.0f} MB/s {go1_s/gmk1_s:>5.2f}x {mb/floor_s:>8.0f} MB/s")
with open(tsv, "a") as f:
    f.write("\t".join(map(str, (name, files, zb, cb, f"{go_s:.4f}", f"{go_mbps:.1f}", f"{gmk_s:.4f}",
                                 f"{gmk_mbps:.1f}", f"{ratio:.2f}", go_kb, gmk_kb,
                                 f"{go1_s:.4f}", f"{gmk1_s:.4f}", f"{floor_s:.4f}", h1))) + "\n")
EOF
done
echo "$startup_row"
echo "bench-hash: best of $runs runs each; results in bench-out/hash.tsv ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))" >&2
