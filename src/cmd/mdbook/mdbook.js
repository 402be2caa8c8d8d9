// coursegen blocks inside an mdBook page. Runs before the block scripts and
// before mdBook's own book.js (it sits at the end of the chapter).
(function () {
  "use strict";
  var root = document.documentElement;
  // The standalone site marks "scripts on" the same way; block styles may use it.
  root.classList.add("cg-js");

  // coursegen's code colours read data-theme; mdBook marks its theme with a
  // class (light and rust are light, coal, navy and ayu are dark) and changes
  // it in place when the reader picks another.
  var DARK = ["coal", "navy", "ayu"];
  function syncTheme() {
    var dark = DARK.some(function (t) { return root.classList.contains(t); });
    var want = dark ? "dark" : "light";
    if (root.getAttribute("data-theme") !== want) root.setAttribute("data-theme", want);
  }
  syncTheme();
  new MutationObserver(syncTheme).observe(root, { attributes: true, attributeFilter: ["class"] });

  // mdBook's highlight.js re-highlights every <code> from its text, which
  // would throw away coursegen's highlighting and the line spans the step
  // player marks. `nohighlight` without a language-* class makes it skip one.
  var ours = document.querySelectorAll("pre.cg-code > code");
  for (var i = 0; i < ours.length; i++) {
    var code = ours[i];
    Array.prototype.slice.call(code.classList).forEach(function (c) {
      if (c.indexOf("language-") === 0) code.classList.remove(c);
    });
    code.classList.add("nohighlight");
  }
})();
