// distmeta site search: a box that looks names up in search-index.js
// (loaded on first use) and lists the pages. No network beyond this site,
// no framework. "#q=name" in the address runs a search on load.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input");
  var list = form.querySelector(".results");
  var root = form.getAttribute("data-root") || "";
  var loading = null;
  var MAX = 20;

  function load(done) {
    if (window.distmetaIndex) { done(); return; }
    if (loading) { loading.push(done); return; }
    loading = [done];
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = function () { var q = loading; loading = null; q.forEach(function (f) { f(); }); };
    s.onerror = function () { loading = null; show([], "search index not found"); };
    document.head.appendChild(s);
  }

  function entries() {
    var ix = window.distmetaIndex, out = [];
    ix.kinds.forEach(function (k) {
      (ix[k[0]] || []).forEach(function (e) {
        var name = typeof e === "string" ? e : e[0];
        var path = typeof e === "string" ? k[1] + e + ".html" : e[1];
        out.push({ name: name, low: name.toLowerCase(), path: path, label: k[2] });
      });
    });
    return out;
  }
  var all = null;

  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) { show([]); return; }
    all = all || entries();
    var exact = [], prefix = [], sub = [];
    for (var i = 0; i < all.length; i++) {
      var e = all[i], at = e.low.indexOf(q);
      if (at < 0) continue;
      if (e.low === q) exact.push(e); else if (at === 0) prefix.push(e); else sub.push(e);
    }
    var byLen = function (a, b) { return a.name.length - b.name.length || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); };
    prefix.sort(byLen); sub.sort(byLen);
    var res = exact.concat(prefix, sub);
    show(res.slice(0, MAX), res.length ? "" : "no match", res.length);
  }

  function enc(p) {
    return p.split("/").map(function (s) { return encodeURIComponent(s); }).join("/");
  }

  function show(res, note, total) {
    list.textContent = "";
    res.forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a"), k = document.createElement("span");
      a.href = root + enc(e.path);
      a.textContent = e.name;
      k.className = "kind";
      k.textContent = e.label;
      a.appendChild(k);
      li.appendChild(a);
      list.appendChild(li);
    });
    if (note || (total && total > res.length)) {
      var li = document.createElement("li");
      li.className = "none";
      li.textContent = note || (total - res.length) + " more: type more of the name";
      list.appendChild(li);
    }
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { load(function () { search(input.value); }); }, 60);
  });
  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("keydown", function (ev) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    var cur = list.querySelector("a.sel"), i = Array.prototype.indexOf.call(links, cur);
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (cur) cur.classList.remove("sel");
      i = ev.key === "ArrowDown" ? Math.min(i + 1, links.length - 1) : Math.max(i - 1, 0);
      links[i].classList.add("sel");
      links[i].scrollIntoView({ block: "nearest" });
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      location.href = (cur || links[0]).href;
    } else if (ev.key === "Escape") {
      show([]);
    }
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) show([]); });

  function fromHash() {
    var m = /[#&]q=([^&]*)/.exec(location.hash) || /[?&]q=([^&]*)/.exec(location.search);
    if (!m) return;
    var q = decodeURIComponent(m[1].replace(/\+/g, " "));
    input.value = q;
    load(function () { search(q); });
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
