#!/usr/bin/env bash
# Throughput of the cheap pass of `gomodkit scan` (one ref listing per repository): REPOS local
# git repositories with VERSIONS_PER_REPO tags each, listed through a `git` wrapper that sleeps
# LATENCY_MS before every call (standing in for the network round trip of `git ls-remote`).
# Prints repositories/s and versions/s for pass 1 (ingest + first listing) and pass 2 (listing
# only) at each --jobs value. A benchmark, not a test: the figures depend on the machine.
#
#   scripts/bench-scan.sh [REPOS=1000] [VERSIONS_PER_REPO=10] [LATENCY_MS=50] [JOBS="8 32"]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
repos=${1:-1000}
per=${2:-10}
latency=${3:-50}
jobs_list=${4:-"8 32"}
bin="$root/.build/release/gomodkit"
[ -x "$bin" ] || bin="$root/.build/debug/gomodkit"
[ -x "$bin" ] || { echo "build gomodkit first (swift build -c release)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
realgit=$(command -v git)

echo "bench-scan: $repos repositories x $per tags, ${latency} ms per git call, binary $bin" >&2
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=b GIT_AUTHOR_EMAIL=b@example.invalid \
  GIT_COMMITTER_NAME=b GIT_COMMITTER_EMAIL=b@example.invalid
: > "$work/versions.txt"; : > "$work/resolutions.txt"
for ((r = 0; r < repos; r++)); do
  dir="$work/repos/r$r"
  mkdir -p "$dir"
  "$realgit" -C "$dir" init -q -b main
  echo "module example.com/r$r" > "$dir/go.mod"
  "$realgit" -C "$dir" add -A
  "$realgit" -C "$dir" commit -q -m one
  for ((v = 0; v < per; v++)); do
    "$realgit" -C "$dir" tag "v1.0.$v"
    echo "example.com/r$r@v1.0.$v" >> "$work/versions.txt"
  done
  echo "example.com/r$r git $dir" >> "$work/resolutions.txt"
done

mkdir -p "$work/shim"
cat > "$work/shim/git" <<EOF
#!/bin/sh
sleep $(awk "BEGIN { print $latency / 1000 }")
exec "$realgit" "\$@"
EOF
chmod +x "$work/shim/git"

for jobs in $jobs_list; do
  state="$work/state-$jobs"
  for pass in 1 2; do
    start=$(date +%s.%N)
    PATH="$work/shim:$PATH" "$bin" scan run --state "$state" --versions "$work/versions.txt" \
      --resolutions "$work/resolutions.txt" --no-origin --jobs "$jobs" --findings-exit-zero >/dev/null 2>&1
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v r="$repos" -v n=$((repos * per)) -v j="$jobs" -v p="$pass" 'BEGIN {
      t = e - s; printf "jobs %3d  pass %d  %7.2f s  %8.1f repositories/s  %9.1f versions/s\n", j, p, t, r / t, n / t }'
  done
done
