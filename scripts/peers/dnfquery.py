#!/usr/bin/python3
"""Answer `dnf repoquery --whatprovides/--whatrequires` queries in one
process with the dnf API, for distmeta's peer-agreement tests. The calls
are those of dnf/cli/commands/repoquery.py (dnf 4): whatprovides is
provides__glob with a file__glob fallback; whatrequires is by_all_deps
(requires__glob plus the requires of the packages the argument names).

Reads one JSON request on stdin:
  {"repos": [DIR, ...], "cachedir": DIR,
   "whatprovides": [ARG, ...], "whatrequires": [ARG, ...]}
and prints a JSON object with the same keys, each a map from the argument
to the sorted list of N-E:V-R.A strings dnf prints.
"""
import json
import sys

import dnf
import dnf.subject


def nevra(p):
    return '%s-%s:%s-%s.%s' % (p.name, p.epoch, p.version, p.release, p.arch)


def main():
    req = json.load(sys.stdin)
    base = dnf.Base()
    conf = base.conf
    conf.cachedir = req['cachedir']
    conf.reposdir = ['/dev/null']
    conf.substitutions['releasever'] = '9'
    for i, d in enumerate(req['repos']):
        base.repos.add_new_repo('r%d' % i, conf, baseurl=['file://' + d])
    base.fill_sack(load_system_repo=False)
    sack = base.sack
    out = {'whatprovides': {}, 'whatrequires': {}}
    q0 = sack.query().available()
    for a in req.get('whatprovides') or []:
        q = q0.filter(provides__glob=[a])
        if not q:
            q = q0.filter(file__glob=[a])
        out['whatprovides'][a] = sorted(set(nevra(p) for p in q))
    for a in req.get('whatrequires') or []:
        resolved = sack.query().filterm(empty=True)
        resolved = resolved.union(q0.intersection(
            dnf.subject.Subject(a).get_best_query(sack, with_provides=False, with_filenames=False)))
        dq = q0.filter(requires__glob=[a])
        dq = dq.union(q0.filter(requires=resolved))
        out['whatrequires'][a] = sorted(set(nevra(p) for p in dq))
    json.dump(out, sys.stdout, sort_keys=True)


if __name__ == '__main__':
    main()
