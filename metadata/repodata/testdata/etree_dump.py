# Reads primary.xml (and optionally filelists.xml) with xml.etree and prints
# every package as JSON, the reference that repodata_test.go compares the Go
# reader against. Usage: etree_dump.py PRIMARY [FILELISTS]
import gzip, json, lzma, sys
import xml.etree.ElementTree as ET

C = "{http://linux.duke.edu/metadata/common}"
R = "{http://linux.duke.edu/metadata/rpm}"
F = "{http://linux.duke.edu/metadata/filelists}"
KINDS = ["provides", "requires", "conflicts", "obsoletes", "recommends", "suggests", "supplements", "enhances"]


def op(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    if path.endswith(".xz"):
        return lzma.open(path, "rb")
    return open(path, "rb")


def txt(el):
    return "" if el is None or el.text is None else el.text


def files_of(el, tag):
    return [[f.text or "", f.get("type", "")] for f in el.findall(tag)]


pkgs = []
for _, el in ET.iterparse(op(sys.argv[1])):
    if el.tag != C + "package":
        continue
    v = el.find(C + "version")
    ck = el.find(C + "checksum")
    t = el.find(C + "time")
    s = el.find(C + "size")
    loc = el.find(C + "location")
    fm = el.find(C + "format")
    hr = fm.find(R + "header-range")
    p = {
        "name": txt(el.find(C + "name")), "arch": txt(el.find(C + "arch")),
        "epoch": v.get("epoch", ""), "ver": v.get("ver", ""), "rel": v.get("rel", ""),
        "cktype": ck.get("type", ""), "pkgid": txt(ck),
        "summary": txt(el.find(C + "summary")), "description": txt(el.find(C + "description")),
        "packager": txt(el.find(C + "packager")), "url": txt(el.find(C + "url")),
        "time": [int(t.get("file", "0")), int(t.get("build", "0"))],
        "size": [int(s.get("package", "0")), int(s.get("installed", "0")), int(s.get("archive", "0"))],
        "href": loc.get("href", ""), "base": loc.get("{http://www.w3.org/XML/1998/namespace}base", ""),
        "license": txt(fm.find(R + "license")), "vendor": txt(fm.find(R + "vendor")),
        "group": txt(fm.find(R + "group")), "buildhost": txt(fm.find(R + "buildhost")),
        "sourcerpm": txt(fm.find(R + "sourcerpm")),
        "header": [int(hr.get("start", "0")), int(hr.get("end", "0"))] if hr is not None else [0, 0],
        "files": files_of(fm, C + "file"),
    }
    for k in KINDS:
        d = fm.find(R + k)
        p[k] = [] if d is None else [
            [e.get("name", ""), e.get("flags", ""), e.get("epoch", ""), e.get("ver", ""), e.get("rel", ""),
             e.get("pre", "") in ("1", "true", "True")]
            for e in d.findall(R + "entry")]
    pkgs.append(p)
    el.clear()

if len(sys.argv) > 2:
    by = {}
    for p in pkgs:
        by.setdefault(p["pkgid"], []).append(p)
    for _, el in ET.iterparse(op(sys.argv[2])):
        if el.tag != F + "package":
            continue
        for p in by.get(el.get("pkgid"), []):
            if p["name"] == el.get("name") and p["arch"] == el.get("arch"):
                p["files"] = files_of(el, F + "file")
        el.clear()

json.dump(pkgs, sys.stdout)
