// coursegen default theme: search (issue 9). The box is hidden without this
// script. The index (js/search-index.js, built with the site) is a script, not
// JSON, so it loads from file:// too; it is loaded on first use. The pages'
// texts are packed, in index order, into scripts of about 32 KB
// (js/search/<n>.js; the index's "f" gives the first page of each); a script is
// loaded only when a query lists one of its pages: the text gives the excerpt
// around the match and drops the Bloom filter's false positives. Every string
// shown here (the query, titles, excerpts) goes in with textContent or text
// nodes, never as HTML.
//
// Terms (folding, plurals, prefix keys) and the Bloom filter follow
// src/search/terms.rs exactly: change both.
(function () {
  "use strict";

  var MAX_RESULTS = 10;
  var box = document.querySelector(".cg-search");
  if (!box) return;
  var root = box.getAttribute("data-root") || "";
  var toggle = box.querySelector(".cg-search-toggle");
  var panel = box.querySelector(".cg-search-panel");
  var input = box.querySelector(".cg-search-input");
  var list = box.querySelector(".cg-search-results");
  var status = box.querySelector(".cg-search-status");
  var index = null; // window.coursegenSearchIndex once loaded
  var filters = []; // decoded Bloom filters, by page
  var texts = {}; // page number -> [[anchor, text], ...] once loaded
  var requested = {}; // text script number -> true once asked for
  var active = -1;

  // ---------------------------------------------------------------- terms

  var WORD = /[\p{Alphabetic}\p{N}]/u;
  var COMBINING = /[\u0300-\u036f]/;

  function isCjk(cp) {
    return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
      (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x2fa1f);
  }

  // Latin letters folded to their base letter, "." for one kept as it is:
  // U+00C0..U+024F and U+1E00..U+1EFF, the tables of terms.rs.
  var FOLD_LATIN = "aaaaaa.ceeeeiiii.nooooo.ouuuuy..aaaaaa.ceeeeiiii.nooooo.ouuuuy.yaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii..jjkk.llllll..llnnnnnn...oooooo..rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzz.b......................i........oo.............uu....zz......................aaiioouuuuuuuuuu.aaaa..ggggkkoooo..j...gg..nnaa....aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy......acc.t.......ee........";
  var FOLD_EXTENDED = "aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmmmmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvvwwwwwwwwwwxxxxyyzzzzzzhtwy......aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy......";

  function fold(c) {
    var cp = c.charCodeAt(0);
    var f = cp >= 0xc0 && cp <= 0x24f ? FOLD_LATIN.charAt(cp - 0xc0)
      : cp >= 0x1e00 && cp <= 0x1eff ? FOLD_EXTENDED.charAt(cp - 0x1e00) : ".";
    return f === "." ? c : f;
  }

  // Text lowercased and folded, of the same length as `text.toLowerCase()`
  // (a folded letter is one ASCII letter), so positions found in it are
  // positions in the text.
  function folded(text) {
    var lower = text.toLowerCase();
    return /[\u00c0-\u024f\u1e00-\u1eff]/.test(lower) ? lower.replace(/[\u00c0-\u024f\u1e00-\u1eff]/g, fold) : lower;
  }

  // Terms of a query, as the build makes them from the text, each as
  // [term, prefix key or null]; `shown` collects what to mark in results
  // (whole words and whole runs of CJK characters). `plural` is the index's
  // "s": whether the course's language drops a plural s.
  function terms(text, shown, plural) {
    var out = [];
    var word = "";
    var run = [];
    function endWord() {
      var n = Array.from(word).length;
      if (n >= 2) {
        if (plural && n > 3 && word.slice(-1) === "s" && word.slice(-2) !== "ss") {
          word = word.slice(0, -1);
          n -= 1;
        }
        shown.push(word);
        // A word of the prefix's length or more is found as itself or as
        // the start of a longer word ("sess" finds "session").
        var p = index.p || 0;
        out.push([word, p && n >= p ? Array.from(word).slice(0, p).join("") + "*" : null]);
      }
      word = "";
    }
    function endRun() {
      if (run.length) shown.push(run.join(""));
      run.forEach(function (c) { out.push([c, null]); });
      run = [];
    }
    var chars = Array.from(text.toLowerCase() + " ");
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (isCjk(c.codePointAt(0))) {
        endWord();
        run.push(c);
        continue;
      }
      endRun();
      if (COMBINING.test(c)) continue;
      if (WORD.test(c)) word += fold(c);
      else endWord();
    }
    return out;
  }

  function fnv(term, seed) {
    var h = seed >>> 0;
    for (var i = 0; i < term.length; ) {
      var cp = term.codePointAt(i);
      i += cp > 0xffff ? 2 : 1;
      h = Math.imul((h ^ cp) >>> 0, 16777619) >>> 0;
    }
    return h;
  }

  function mayHold(filter, term, k) {
    var bits = filter.length * 8;
    var h1 = fnv(term, 2166136261);
    var h2 = (fnv(term, 0x5bd1e995) | 1) >>> 0;
    for (var i = 0; i < k; i++) {
      var p = ((h1 + Math.imul(i, h2)) >>> 0) % bits;
      if (!(filter.charCodeAt(p >> 3) & (1 << (p & 7)))) return false;
    }
    return bits > 0;
  }

  // The anchor the build gives a heading (src/render/markdown.rs, `slug`).
  function slug(text) {
    var s = "";
    Array.from(text.trim()).forEach(function (c) {
      if (/[\p{Alphabetic}\p{N}_-]/u.test(c)) s += c.toLowerCase();
      else if (/\s/.test(c) && s.slice(-1) !== "-") s += "-";
    });
    s = s.replace(/^-+|-+$/g, "");
    return s || "section";
  }

  // A section of the index: "Heading" (its anchor is the slug) or
  // ["anchor", "Heading"]; always [anchor, heading] here.
  function section(entry) {
    return typeof entry === "string" ? [slug(entry), entry] : entry;
  }

  // ---------------------------------------------------------------- search

  function includesAny(text, words) {
    var lower = folded(text);
    for (var i = 0; i < words.length; i++) if (lower.indexOf(words[i]) !== -1) return true;
    return false;
  }

  // Whether every word of `words` is in `text` (lowercased).
  function includesAll(text, words) {
    for (var i = 0; i < words.length; i++) if (text.indexOf(words[i]) === -1) return false;
    return true;
  }

  // Up to 90 characters of `text` around its first query word.
  function around(text, words) {
    var lower = folded(text);
    var at = -1;
    for (var i = 0; i < words.length; i++) {
      var p = lower.indexOf(words[i]);
      if (p !== -1 && (at === -1 || p < at)) at = p;
    }
    var start = Math.max(0, at - 30);
    var end = Math.min(text.length, start + 90);
    // Whole words at both ends where there are spaces near them.
    var space = text.indexOf(" ", start);
    if (start > 0 && space !== -1 && space < Math.min(at, start + 20)) start = space + 1;
    space = text.lastIndexOf(" ", end);
    if (end < text.length && space > end - 20 && space > at) end = space;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  // What a loaded page text says about a result: null when the words are not
  // all there (a false positive of the filter), else the section holding the
  // first match and the excerpt around it.
  function verify(page, parts, words) {
    var headings = {};
    page.s.forEach(function (e) {
      var sec = section(e);
      headings[sec[0]] = sec[1];
    });
    var all = [page.t].concat(Object.keys(headings).map(function (k) { return headings[k]; }));
    parts.forEach(function (p) { all.push(p[1]); });
    if (!includesAll(folded(all.join("\n")), words)) return null;
    for (var i = 0; i < parts.length; i++) {
      if (includesAny(parts[i][1], words)) {
        var anchor = parts[i][0];
        var sec = anchor && headings[anchor] !== undefined ? [anchor, headings[anchor]] : null;
        return { section: sec, excerpt: around(parts[i][1], words) };
      }
    }
    return { section: null, excerpt: page.x };
  }

  // The text script holding page `n`: the last one whose first page is at
  // or before `n`.
  function scriptOf(n) {
    var f = index.f, lo = 0, hi = f.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (f[mid] <= n) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // Loads the text of page `n` (its script, once); the script calls
  // coursegenSearchText for each of its pages.
  function requestText(n) {
    var s = scriptOf(n);
    if (requested[s]) return;
    requested[s] = true;
    var el = document.createElement("script");
    el.src = root + "js/search/" + s + ".js";
    document.head.appendChild(el);
  }

  window.coursegenSearchText = function (n, parts) {
    texts[n] = parts;
    if (isOpen()) render(true);
  };

  // Pages whose filter holds every term, checked against their text once it
  // is loaded; titles and headings that show a query word rank first.
  function search(query) {
    var shown = [];
    if (!index) return { results: [], shown: shown };
    var ts = terms(query, shown, index.s !== 0);
    if (!ts.length) return { results: [], shown: shown };
    var results = [];
    var unconfirmed = []; // pages that may have a word only as a prefix
    index.pages.forEach(function (page, n) {
      if (!filters[n]) filters[n] = atob(page.b);
      var exact = true;
      for (var i = 0; i < ts.length; i++) {
        if (mayHold(filters[n], ts[i][0], index.k)) continue;
        if (!ts[i][1] || !mayHold(filters[n], ts[i][1], index.k)) return;
        exact = false;
      }
      // A prefix key is shared by many words ("marm*": marmalade and
      // marmoset): such a page is shown once its text has the query's words.
      if (!exact && !texts[n]) {
        unconfirmed.push(n);
        return;
      }
      var found = null;
      for (var j = 0; j < page.s.length && !found; j++) if (includesAny(section(page.s[j])[1], shown)) found = section(page.s[j]);
      var excerpt = page.x;
      if (texts[n]) {
        var v = verify(page, texts[n], shown);
        if (!v) return;
        found = found || v.section;
        excerpt = v.excerpt;
      }
      // The words themselves before words that only start so.
      var score = (includesAny(page.t, shown) ? 8 : 0) + (found ? 4 : 0) + (exact ? 2 : 0) + (texts[n] ? 1 : 0);
      results.push({ page: page, n: n, section: found, excerpt: excerpt, score: score, order: n });
    });
    results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    results = results.slice(0, MAX_RESULTS);
    results.forEach(function (r) { requestText(r.n); });
    // As many texts as there are places left: a short prefix of a large
    // course loads a few scripts per keystroke, not all of them.
    unconfirmed.slice(0, MAX_RESULTS - results.length).forEach(requestText);
    return { results: results, shown: shown, pending: unconfirmed.length > 0 };
  }

  // Appends `text` to `el` with every occurrence of `words` in a <mark>, built
  // from text nodes only.
  function appendMarked(el, text, words) {
    var lower = folded(text);
    // Lowercasing that changes lengths (rare letters) would misplace marks.
    if (lower.length !== text.length) words = [];
    var at = 0;
    while (at < text.length) {
      var best = -1;
      var len = 0;
      for (var i = 0; i < words.length; i++) {
        var p = lower.indexOf(words[i], at);
        if (p !== -1 && (best === -1 || p < best || (p === best && words[i].length > len))) {
          best = p;
          len = words[i].length;
        }
      }
      if (best === -1) break;
      if (best > at) el.appendChild(document.createTextNode(text.slice(at, best)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(best, best + len);
      el.appendChild(mark);
      at = best + len;
    }
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  function span(className, text, words) {
    var s = document.createElement("span");
    s.className = className;
    appendMarked(s, text, words);
    return s;
  }

  // Shows the results of the query; `keep` keeps the chosen one chosen (a
  // page's text arrived, the query did not change).
  function render(keep) {
    var query = input.value;
    var found = search(query);
    var was = keep === true ? active : -1;
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    found.results.forEach(function (r, i) {
      var a = document.createElement("a");
      a.className = "cg-search-result";
      a.id = "cg-search-option-" + i;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.tabIndex = -1;
      a.href = root + r.page.u + (r.section ? "#" + encodeURIComponent(r.section[0]) : "");
      a.appendChild(span("cg-search-title", r.page.t, found.shown));
      if (r.section) a.appendChild(span("cg-search-section", r.section[1], found.shown));
      if (r.excerpt) a.appendChild(span("cg-search-excerpt", r.excerpt, found.shown));
      list.appendChild(a);
    });
    list.hidden = found.results.length === 0;
    if (was >= 0 && was < found.results.length) move(was);
    if (!query.trim()) status.textContent = index ? "" : "Loading the index…";
    else if (!index) status.textContent = "Loading the index…";
    else if (!found.results.length && found.pending) status.textContent = "Searching…";
    else if (!found.results.length) status.textContent = "No results for “" + query.trim() + "”.";
    else status.textContent = found.results.length + (found.results.length === 1 ? " result" : " results") + ".";
  }

  // ---------------------------------------------------------------- the box

  function loadIndex() {
    if (index || loadIndex.started) return;
    loadIndex.started = true;
    if (window.coursegenSearchIndex) {
      index = window.coursegenSearchIndex;
      return;
    }
    var s = document.createElement("script");
    s.src = root + "js/search-index.js";
    s.onload = function () {
      index = window.coursegenSearchIndex || null;
      render();
    };
    s.onerror = function () {
      status.textContent = "The search index could not be loaded.";
    };
    document.head.appendChild(s);
  }

  function isOpen() {
    return !panel.hidden;
  }

  function open() {
    loadIndex();
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    input.focus();
    input.select();
    render();
  }

  function close(refocus) {
    if (!isOpen()) return;
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    if (refocus) toggle.focus();
  }

  function move(to) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    active = (to + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  toggle.addEventListener("click", function () {
    if (isOpen()) close(true);
    else open();
  });

  input.addEventListener("input", function () { render(false); });

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      move(active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      var options = list.querySelectorAll("[role=option]");
      var chosen = options[active >= 0 ? active : 0];
      e.preventDefault();
      if (chosen) window.location.href = chosen.href;
    } else if (e.key === "Escape") {
      e.preventDefault();
      close(true);
    }
  });

  // Focus leaving the box closes it (a click on a result navigates first).
  box.addEventListener("focusout", function (e) {
    if (e.relatedTarget && !box.contains(e.relatedTarget)) close(false);
  });

  // A click elsewhere on the page closes it too.
  document.addEventListener("click", function (e) {
    if (isOpen() && !box.contains(e.target)) close(false);
  });

  // `/` or `s` opens the box, unless the key is typed into something: a text
  // field, a quiz answer, or a widget that handles its own keys.
  document.addEventListener("keydown", function (e) {
    if ((e.key !== "/" && e.key !== "s") || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && t.closest && t.closest("input, textarea, select, [contenteditable=''], [contenteditable=true], .cg-question, .cg-player")) return;
    e.preventDefault();
    open();
  });

  box.hidden = false;
})();
