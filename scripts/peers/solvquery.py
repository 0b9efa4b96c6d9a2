#!/usr/bin/python3
"""Answer dependency queries with libsolv (python3-solv), for distmeta's
peer-agreement tests.

Reads one JSON request on stdin:
  {"repos": [DIR, ...], "arch": "x86_64" or "",
   "whatprovides": [DEP, ...], "whatrequires": [DEP, ...],
   "whatrequires_pkg": [NEVRA, ...], "closure": [NEVRA, ...]}
and prints one JSON answer: the same keys, each a map from the query to a
sorted list of N-E:V-R.A strings (closure: the new packages of the
transaction of an install job in an empty system, weak deps ignored).
"""
import glob
import json
import os
import sys

import solv


def nevra(s):
    evr = s.evr
    if ':' not in evr:
        evr = '0:' + evr
    return '%s-%s.%s' % (s.name, evr, s.arch)


def load(pool, d):
    repo = pool.add_repo(d)
    md = os.path.join(d, 'repodata')
    prim = sorted(glob.glob(os.path.join(md, '*primary.xml*')))
    prim = [p for p in prim if not p.endswith('.zck')]
    fl = sorted(glob.glob(os.path.join(md, '*filelists.xml*')))
    fl = [p for p in fl if not p.endswith('.zck')]
    f = solv.xfopen(prim[0])
    repo.add_rpmmd(f, None, 0)
    f.close()
    if fl:
        f = solv.xfopen(fl[0])
        repo.add_rpmmd(f, None, solv.Repo.REPO_EXTEND_SOLVABLES)
        f.close()
    return repo


def main():
    req = json.load(sys.stdin)
    pool = solv.Pool()
    # Debian builds libsolv with MULTI_SEMANTICS and a Debian default.
    pool.setdisttype(solv.Pool.DISTTYPE_RPM)
    if req.get('arch'):
        pool.setarch(req['arch'])
    for d in req['repos']:
        load(pool, d)
    pool.addfileprovides()
    pool.createwhatprovides()
    out = {}
    byname = {}
    for s in pool.solvables_iter():
        byname[nevra(s)] = s

    def sorted_names(sols):
        return sorted(set(nevra(s) for s in sols))

    res = {}
    for q in req.get('whatprovides') or []:
        dep = dep_of(pool, q)
        sols = list(pool.whatprovides(dep))
        if q.startswith('/'):
            # libsolv indexes only the file provides some dependency uses;
            # add the owners from the file lists, as dnf's fallback does.
            sols += pool.select(q, solv.Selection.SELECTION_FILELIST).solvables()
        res[q] = sorted_names(sols)
    out['whatprovides'] = res
    res = {}
    for q in req.get('whatrequires') or []:
        dep = dep_of(pool, q)
        res[q] = sorted_names(pool.whatmatchesdep(solv.SOLVABLE_REQUIRES, dep, 0))
    out['whatrequires'] = res
    res = {}
    for q in req.get('whatrequires_pkg') or []:
        s = byname[q]
        res[q] = sorted_names(pool.whatmatchessolvable(solv.SOLVABLE_REQUIRES, s, 0))
    out['whatrequires_pkg'] = res
    res = {}
    for q in req.get('closure') or []:
        s = byname[q]
        solver = pool.Solver()
        solver.set_flag(solv.Solver.SOLVER_FLAG_IGNORE_RECOMMENDED, 1)
        job = pool.Job(solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE, s.id)
        problems = solver.solve([job])
        if problems:
            res[q] = {'problems': [str(p) for p in problems]}
            continue
        trans = solver.transaction()
        res[q] = sorted_names(trans.newsolvables())
    out['closure'] = res
    json.dump(out, sys.stdout, sort_keys=True)


def dep_of(pool, q):
    # "name", "name OP evr" or a rich "( ... )" expression.
    if q.startswith('('):
        return pool.Dep(q)
    parts = q.split()
    if len(parts) == 3:
        flags = {'<': solv.REL_LT, '>': solv.REL_GT, '=': solv.REL_EQ,
                 '<=': solv.REL_LT | solv.REL_EQ, '>=': solv.REL_GT | solv.REL_EQ}[parts[1]]
        return pool.Dep(parts[0]).Rel(flags, pool.Dep(parts[2]))
    return pool.Dep(q)


if __name__ == '__main__':
    main()
