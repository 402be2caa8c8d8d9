{#- The sidebar's contents, rendered once per build to js/toc.js and shared by
    every page (drawn into each page, they made a course's output grow with the
    square of its number of pages). base.html loads this file, without defer,
    right where the list goes; it puts the list there, marks the page being read
    and the chapters above it, and makes the links relative to that page.
    Without scripts, base.html frames toc.html instead. -#}
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.parentNode) return;
  var root = script.getAttribute("data-root") || "";
  var page = script.getAttribute("data-page") || "";
  var holder = document.createElement("div");
  holder.innerHTML = {{ nav_json | safe }};
  var links = holder.querySelectorAll("a[href]");
  for (var i = 0; i < links.length; i++) {
    var a = links[i];
    var href = a.getAttribute("href");
    // A page named like a scheme is linked as "./javascript:x.html".
    if (href.replace(/^\.\//, "") === page) {
      a.setAttribute("aria-current", "page");
      a.parentNode.classList.add("is-current");
      for (var up = a.parentNode.parentNode; up && up !== holder; up = up.parentNode) {
        if (up.classList.contains("cg-nav-item")) up.classList.add("is-open");
      }
    }
    a.setAttribute("href", root + href);
  }
  while (holder.firstChild) script.parentNode.insertBefore(holder.firstChild, script);
})();
