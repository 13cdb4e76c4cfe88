#!/usr/bin/env python3
# Differential check of `gomodkit vuln`'s range matching against golang/vulndb's own report
# YAML (data/reports/*.yaml), which states for each module a `vulnerable_at` version and the
# introduced/fixed bounds independently of the generated OSV (data/osv/*.json):
#   - `vulnerable_at` and every `introduced` version must be reported affected by that record;
#   - a `fixed` version must not be, unless the record has several entries for the module.
# Projects are synthesised (one go.mod per round, each module once) and scanned with
# `gomodkit vuln --osv OSV_DIR --json`. Go-invalid go.mod lines in reports (major version
# without +incompatible) make a round exit 2; it is reported and skipped.
#
#   git clone https://go.googlesource.com/vulndb vulndb     # or the GitHub mirror
#   scripts/check-vulndb-ranges.py vulndb vulndb/data/osv .build/debug/gomodkit
#
# Needs PyYAML. Result at golang/vulndb a752ea54 (2026-08-21): see Docs/advisories.md.
import yaml, glob, json, os, re, subprocess, sys, tempfile
if len(sys.argv) != 4:
    sys.exit('usage: check-vulndb-ranges.py VULNDB_GIT_DIR OSV_DIR GOMODKIT')
REPO, OSV, B = sys.argv[1:4]
WORK = tempfile.mkdtemp(prefix='vulndb-oracle-')
items=[]  # (module, version, expected, id, why)
osvids=set(os.path.basename(p)[:-5] for p in glob.glob(OSV + '/*.json'))
out=subprocess.run(['git','-C',REPO,'ls-tree','--name-only','HEAD','data/reports/'],capture_output=True,text=True).stdout.split()
for name in out:
    rid=os.path.basename(name)[:-5]
    if rid not in osvids: continue
    try: r=yaml.safe_load(subprocess.run(['git','-C',REPO,'show','HEAD:'+name],capture_output=True,text=True).stdout)
    except Exception: continue
    osv=json.load(open(f'{OSV}/{rid}.json'))
    if osv.get('withdrawn'): continue
    for m in r.get('modules') or []:
        mod=m.get('module')
        if not mod or mod in ('std','cmd'): continue
        vs=m.get('versions') or []
        intro=[v['introduced'] for v in vs if 'introduced' in v]
        fixed=[v['fixed'] for v in vs if 'fixed' in v]
        va=m.get('vulnerable_at')
        def V(x): return x if x.startswith('v') else 'v'+x
        if va: items.append((mod,V(va),True,rid,'vulnerable_at'))
        for i in intro: items.append((mod,V(i),True,rid,'introduced'))
        # A fixed version is expected unaffected only when the module has one entry in the
        # record: another entry's range may cover it (GO-2025-3540's go-redis/v9).
        entries = sum(1 for a in osv['affected'] if a['package']['name'] == mod)
        for f in fixed:
            if f in intro or entries > 1: continue
            items.append((mod,V(f),False,rid,'fixed'))
def go_mod_ok(mod, v):
    # go.mod refuses a major version >= 2 without the /vN suffix (or +incompatible).
    m = re.match(r'v(\d+)\.', v)
    if not m or int(m.group(1)) < 2 or '+incompatible' in v: return True
    major = m.group(1)
    return mod.endswith('/v' + major) or mod.endswith('.v' + major)
skipped = [it for it in items if not go_mod_ok(it[0], it[1])]
items = [it for it in items if go_mod_ok(it[0], it[1])]
print('items',len(items),'skipped (not valid in go.mod)',len(skipped), file=sys.stderr)
# rounds: each module once per round
rounds=[]
for it in items:
    for rd in rounds:
        if it[0] not in rd: rd[it[0]]=[it]; break
        if rd[it[0]][0][1]==it[1]: rd[it[0]].append(it); break
    else: rounds.append({it[0]:[it]})
print('rounds',len(rounds), file=sys.stderr)
bad=0; checked=0; errors=0
for n,rd in enumerate(rounds):
    d=f'{WORK}/p{n}'; os.makedirs(d,exist_ok=True)
    with open(d+'/go.mod','w') as f:
        f.write('module example.com/oracle\n\ngo 1.99\n\nrequire (\n')
        for mod,its in sorted(rd.items()): f.write(f'\t{mod} {its[0][1]}\n')
        f.write(')\n')
    p=subprocess.run([B,'vuln',d,'--osv',OSV,'--modcache',WORK + '/nocache','--json'],capture_output=True,text=True)
    if p.returncode not in (0,1):
        errors+=1; print('ERR round',n,p.returncode,p.stderr[:300], file=sys.stderr); continue
    res=json.loads(p.stdout)
    found=set()
    for inc in res['incidents']:
        for a in inc['advisories']: found.add((inc['module'],inc['version'],a['id']))
    for mod,its in rd.items():
        for (m,v,exp,rid,why) in its:
            checked+=1
            got=(m,v,rid) in found
            if got!=exp:
                bad+=1; print('MISMATCH',m,v,rid,why,'expected',exp,'got',got)
print('checked',checked,'mismatches',bad,'round errors',errors)
