// coursegen default theme: small progressive enhancements. The page is complete
// without this file; it adds the colour theme button, the sidebar drawer on
// narrow screens, folding of the navigation tree, and the "On this page"
// highlight. No framework, no network.
(function () {
  "use strict";

  var root = document.documentElement;
  var STORAGE_KEY = "coursegen.theme";

  // ---------------------------------------------------------------- theme

  // localStorage throws on file:// in some browsers and in some privacy modes:
  // then the choice lasts for this page only.
  function readTheme() {
    try {
      var t = window.localStorage.getItem(STORAGE_KEY);
      return t === "light" || t === "dark" ? t : null;
    } catch (e) {
      return null;
    }
  }

  function storeTheme(t) {
    try {
      if (t) window.localStorage.setItem(STORAGE_KEY, t);
      else window.localStorage.removeItem(STORAGE_KEY);
    } catch (e) { /* not remembered; still applied */ }
  }

  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function systemTheme() {
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function currentTheme() {
    var t = root.getAttribute("data-theme");
    return t === "light" || t === "dark" ? t : null;
  }

  // Cycle: follow the system → the opposite of the system → the system's own
  // scheme, chosen explicitly → follow the system again. The first press always
  // changes what is on screen.
  function nextTheme(t) {
    var sys = systemTheme();
    var other = sys === "dark" ? "light" : "dark";
    if (t === null) return other;
    if (t === other) return sys;
    return null;
  }

  function describe(t) {
    if (t === null) return "Colour theme: follows the system (" + systemTheme() + ")";
    return "Colour theme: " + t;
  }

  function setupTheme() {
    var buttons = document.querySelectorAll(".cg-theme-toggle");
    if (!buttons.length) return;

    function render() {
      var t = currentTheme();
      var next = nextTheme(t);
      var hint = "Switch to " + (next === null ? "the system's theme" : next + " theme");
      for (var i = 0; i < buttons.length; i++) {
        var label = buttons[i].querySelector(".cg-theme-label");
        if (label) label.textContent = describe(t) + ". " + hint + ".";
        buttons[i].title = describe(t) + " — " + hint.toLowerCase();
      }
    }

    function apply(t) {
      if (t) root.setAttribute("data-theme", t);
      else root.removeAttribute("data-theme");
      render();
    }

    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        var t = nextTheme(currentTheme());
        storeTheme(t);
        apply(t);
      });
    }

    // Another tab changed the theme.
    window.addEventListener("storage", function (e) {
      if (e.key === STORAGE_KEY || e.key === null) apply(readTheme());
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", render);

    apply(readTheme());
  }

  // ---------------------------------------------------------------- sidebar drawer

  function setupDrawer() {
    var toggle = document.querySelector(".cg-menu-toggle");
    var sidebar = document.getElementById("cg-sidebar");
    var backdrop = document.querySelector(".cg-backdrop");
    if (!toggle || !sidebar) return;
    var narrow = window.matchMedia("(max-width: 56rem)");

    function isOpen() {
      return root.classList.contains("cg-sidebar-open");
    }

    function setOpen(open, focusTarget) {
      root.classList.toggle("cg-sidebar-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (backdrop) backdrop.hidden = !open;
      if (open) {
        var here = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector("a");
        if (here) {
          here.focus({ preventScroll: true });
          scrollIntoSidebar(here);
        }
      } else if (focusTarget) {
        focusTarget.focus();
      }
    }

    toggle.addEventListener("click", function () {
      setOpen(!isOpen());
    });
    if (backdrop) {
      backdrop.addEventListener("click", function () {
        setOpen(false, toggle);
      });
    }
    document.addEventListener("keydown", function (e) {
      if (!isOpen() || !narrow.matches) return;
      if (e.key === "Escape") setOpen(false, toggle);
      else if (e.key === "Tab") trapFocus(e);
    });
    // Tab stays inside the open drawer (its links and the button that closes
    // it) until it is closed: the page behind is under the backdrop.
    function trapFocus(e) {
      var all = [toggle].concat(Array.prototype.filter.call(
        sidebar.querySelectorAll("a[href], button, input, [tabindex]:not([tabindex='-1'])"),
        function (el) { return !el.disabled && el.getClientRects().length > 0; }));
      var at = all.indexOf(document.activeElement);
      // Moved by hand: in the page's order the button is far from the drawer.
      var to = at < 0 ? 0 : at + (e.shiftKey ? -1 : 1);
      e.preventDefault();
      all[(to + all.length) % all.length].focus();
    }
    // Leaving the narrow layout: the sidebar is always shown, the drawer state goes.
    var onChange = function () {
      if (!narrow.matches && isOpen()) setOpen(false);
    };
    if (narrow.addEventListener) narrow.addEventListener("change", onChange);
    // A link to a heading on this same page: close the drawer so it is seen.
    sidebar.addEventListener("click", function (e) {
      if (narrow.matches && e.target.closest && e.target.closest("a")) setOpen(false);
    });
  }

  // Scrolls the sidebar (not the page) so that `el` is in view.
  function scrollIntoSidebar(el) {
    var sidebar = document.getElementById("cg-sidebar");
    if (!sidebar || !el) return;
    var top = el.getBoundingClientRect().top - sidebar.getBoundingClientRect().top;
    if (top < 0 || top > sidebar.clientHeight - 48) {
      sidebar.scrollTop += top - sidebar.clientHeight / 3;
    }
  }

  // ---------------------------------------------------------------- folding

  var chevron =
    '<svg class="cg-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false"><path d="m6 9 6 6 6-6"/></svg>';

  // Chapters with children get a fold button. Folded at first unless they hold
  // the current page (`open`) or are the current page.
  function setupFolding() {
    var items = document.querySelectorAll(".cg-sidebar .cg-nav-item.has-children");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var sub = item.querySelector(":scope > .cg-nav-sub");
      var link = item.querySelector(":scope > .cg-nav-link");
      if (!sub || !link) continue;
      var expanded = item.classList.contains("is-open") || item.classList.contains("is-current");
      var id = sub.id || "cg-nav-sub-" + i;
      sub.id = id;
      var title = link.querySelector(".cg-nav-title");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cg-nav-fold";
      button.setAttribute("aria-controls", id);
      button.setAttribute("aria-label", "Sections of " + (title ? title.textContent : link.textContent));
      button.innerHTML = chevron;
      item.classList.add("has-fold");
      link.insertAdjacentElement("afterend", button);
      setFolded(item, button, !expanded);
      button.addEventListener("click", onFold);
    }
  }

  function setFolded(item, button, folded) {
    item.classList.toggle("is-folded", folded);
    button.setAttribute("aria-expanded", folded ? "false" : "true");
  }

  function onFold(e) {
    var button = e.currentTarget;
    var item = button.parentNode;
    setFolded(item, button, !item.classList.contains("is-folded"));
  }

  // ---------------------------------------------------------------- on this page

  // Marks the heading being read in the "On this page" list.
  function setupTocSpy() {
    var links = document.querySelectorAll(".cg-toc a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var targets = [];
    for (var i = 0; i < links.length; i++) {
      var id = decodeURIComponent(links[i].getAttribute("href").slice(1));
      var target = document.getElementById(id);
      if (target) {
        byId[id] = links[i];
        targets.push(target);
      }
    }
    var visible = {};
    function mark() {
      var current = null;
      for (var j = 0; j < targets.length; j++) {
        if (visible[targets[j].id]) { current = targets[j].id; break; }
      }
      if (current === null) return;
      for (var k in byId) {
        if (k === current) byId[k].setAttribute("aria-current", "true");
        else byId[k].removeAttribute("aria-current");
      }
    }
    var observer = new IntersectionObserver(function (entries) {
      for (var j = 0; j < entries.length; j++) {
        visible[entries[j].target.id] = entries[j].isIntersecting;
      }
      mark();
    }, { rootMargin: "-56px 0px -55% 0px" });
    for (var t = 0; t < targets.length; t++) observer.observe(targets[t]);
  }

  // ---------------------------------------------------------------- wide tables

  // A Markdown table wider than the column scrolls on its own (see the CSS); a
  // scrolling region must be reachable from the keyboard, so it becomes focusable
  // while it overflows. Tables in the build's .cg-table-scroll already are.
  function setupTables() {
    var tables = document.querySelectorAll(".cg-content table");
    if (!tables.length) return;
    function update() {
      for (var i = 0; i < tables.length; i++) {
        var t = tables[i];
        if (t.parentNode.classList && t.parentNode.classList.contains("cg-table-scroll")) continue;
        if (t.scrollWidth > t.clientWidth + 1) t.setAttribute("tabindex", "0");
        else if (t.getAttribute("tabindex") === "0") t.removeAttribute("tabindex");
      }
    }
    update();
    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    });
  }

  // ---------------------------------------------------------------- start

  // ------------------------------------------------ continue where you left off

  // The last lesson opened, per course (the course title, as the quiz script
  // keys progress), so the home page can offer to go back to it.
  function lastKey() {
    var tag = document.querySelector("script[data-course]");
    var course = ((tag && tag.getAttribute("data-course")) || "course").trim().toLowerCase();
    return "coursegen." + course + ".last";
  }

  // Only a plain relative page path: stored text never becomes a script URL.
  var PAGE_PATH = /^(?!\/)(?!.*\.\.)[\w\-.\/%]+\.html$/;

  function setupContinue() {
    var article = document.querySelector("[data-cg-page]");
    try {
      if (article) {
        var seen = { path: article.getAttribute("data-cg-page"), title: article.getAttribute("data-cg-title") };
        window.localStorage.setItem(lastKey(), JSON.stringify(seen));
        return;
      }
      var actions = document.querySelector(".cg-page-home .cg-hero-actions");
      var last = JSON.parse(window.localStorage.getItem(lastKey()) || "null");
      if (!actions || !last || typeof last.path !== "string" || !PAGE_PATH.test(last.path)) return;
      var a = document.createElement("a");
      a.className = "cg-button cg-continue";
      a.href = last.path;
      a.textContent = "Continue: " + String(last.title || last.path);
      actions.insertBefore(a, actions.firstChild);
    } catch (e) { /* no storage, or not ours: nothing to continue */ }
  }

  function start() {
    setupContinue();
    setupTheme();
    setupDrawer();
    setupFolding();
    var sidebar = document.getElementById("cg-sidebar");
    if (sidebar) scrollIntoSidebar(sidebar.querySelector('[aria-current="page"]'));
    setupTocSpy();
    setupTables();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
