#!/usr/bin/python3
"""Time libsolv building its whatprovides index for a repository, for
distmeta's benchmark: load primary and filelists, add file provides,
create whatprovides, then resolve every requirement of every package
(pool.whatprovides) and build the reverse index (who requires what).
Prints JSON with the seconds of each phase and the peak RSS in KiB."""
import glob
import json
import os
import resource
import sys
import time

import solv

d = sys.argv[1]
t0 = time.monotonic()
pool = solv.Pool()
pool.setdisttype(solv.Pool.DISTTYPE_RPM)
pool.setarch('x86_64')
repo = pool.add_repo('r')
f = solv.xfopen(glob.glob(os.path.join(d, 'repodata', '*primary.xml*'))[0])
repo.add_rpmmd(f, None, 0)
f.close()
f = solv.xfopen(glob.glob(os.path.join(d, 'repodata', '*filelists.xml*'))[0])
repo.add_rpmmd(f, None, solv.Repo.REPO_EXTEND_SOLVABLES)
f.close()
t1 = time.monotonic()
pool.addfileprovides()
pool.createwhatprovides()
t2 = time.monotonic()
edges = 0
rev = {}
for s in pool.solvables_iter():
    seen = set()
    for dep in s.lookup_deparray(solv.SOLVABLE_REQUIRES, 0):
        for p in pool.whatprovides(dep):
            if p.id != s.id and p.id not in seen:
                seen.add(p.id)
                rev.setdefault(p.id, []).append(s.id)
    edges += len(seen)
t3 = time.monotonic()
json.dump({'load_s': t1 - t0, 'whatprovides_index_s': t2 - t1,
           'all_providers_and_reverse_s': t3 - t2, 'edges': edges,
           'peak_rss_kib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, sys.stdout)
