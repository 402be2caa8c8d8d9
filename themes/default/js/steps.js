// The step player: Previous/Next/Reset and the arrow keys walk an execution
// table; the current row is marked with aria-current, the variables' values
// come from the JSON coursegen computed at build time, and the step lives in
// the URL hash. The code the table points at (code=) is copied into the
// player, which sticks above the table, so the current row and the lines it
// runs are on screen together (issue 19): the lines of this step are marked,
// and the lines of the next step differently, as Python Tutor's two arrows.
// Each player marks its own copy, so two tables on one sample never clear
// each other's marks. Without this script the table, tracker, #step-N and
// #sample-LN anchors still work as plain HTML.
(function () {
  "use strict";

  function Player(fig) {
    var data = fig.querySelector("script.cg-steps-data");
    this.values = data ? JSON.parse(data.textContent) : [];
    this.rows = fig.querySelectorAll("tbody tr[id]");
    this.status = fig.querySelector(".cg-player-status");
    this.dds = fig.querySelectorAll(".cg-player-vars dd");
    this.buttons = {};
    this.player = fig.querySelector(".cg-player");
    this.pane = codePane(fig, this.player);
    this.lines = this.pane ? this.pane.querySelectorAll(".cg-line") : [];
    // Derived trackers of this table: their columns say which step they show.
    var key = fig.id || "";
    this.trackers = Array.prototype.filter.call(
      document.querySelectorAll("figure.cg-tracker[data-steps]"),
      function (t) { return t.getAttribute("data-steps") === key; });
    this.at = 0;
    var self = this;
    ["prev", "next", "reset"].forEach(function (k) {
      var b = fig.querySelector(".cg-player-" + k);
      self.buttons[k] = b;
      b.addEventListener("click", function () {
        if (b.getAttribute("aria-disabled") === "true") return;
        self.go(k === "reset" ? 0 : self.at + (k === "next" ? 1 : -1), true);
      });
    });
    fig.addEventListener("keydown", function (e) {
      var t = e.target;
      var dir = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
      // A table wider than its box scrolls with the arrow keys: leave those alone.
      if (!dir || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (t.scrollWidth > t.clientWidth) return;
      e.preventDefault();
      self.go(self.at + dir, true);
    });
    this.player.hidden = false;
    this.fig = fig;
    this.go(0, false);
  }

  // A copy of the sample the table points at, without its ids (they stay the
  // original's), numbered even when the sample hides its numbers: the gutter
  // holds the arrows. Null when the page has no such sample.
  function codePane(fig, player) {
    var code = document.getElementById(fig.getAttribute("data-code") || "");
    var pre = code && code.querySelector("pre");
    if (!pre) return null;
    var copy = pre.cloneNode(true);
    var ids = copy.querySelectorAll("[id]");
    for (var i = 0; i < ids.length; i++) ids[i].removeAttribute("id");
    var lines = copy.querySelectorAll(".cg-line");
    copy.classList.add("cg-numbered");
    copy.setAttribute("data-digits", String(String(lines.length).length));
    var caption = code.querySelector("figcaption");
    var pane = document.createElement("div");
    pane.className = "cg-player-code";
    pane.setAttribute("role", "region");
    // Named after the table too: two tables may show one sample.
    var table = fig.querySelector("caption");
    pane.setAttribute("aria-label", "Code: " + (caption ? caption.textContent : code.id) + ", for " +
      (table ? table.textContent : fig.id || "the execution table"));
    pane.appendChild(copy);
    var key = document.createElement("p");
    key.className = "cg-player-key";
    key.innerHTML = '<span class="cg-key-now" aria-hidden="true">\u2192</span> this step\u2019s line' +
      ' <span class="cg-key-next" aria-hidden="true">\u21e2</span> next line';
    pane.appendChild(key);
    var vars = player.querySelector(".cg-player-vars");
    player.insertBefore(pane, vars);
    return copy;
  }

  // The lines a row's step runs, as [first, last]; [0, 0] for none.
  function linesOf(row) {
    var r = ((row && row.getAttribute("data-lines")) || "0-0").split("-");
    return [+r[0], +r[1]];
  }

  function lineText(r) {
    return r[0] === r[1] ? "line " + r[0] : "lines " + r[0] + "\u2013" + r[1];
  }

  // Scrolls the page so that the current row shows just under the sticky
  // player, and the pane so that its marked lines show: both on screen.
  Player.prototype.reveal = function (row) {
    var pre = this.pane;
    var marked = pre ? pre.querySelectorAll(".cg-line[data-mark]") : [];
    if (marked.length) {
      // The span from the first to the last marked line; when it is taller
      // than the pane, this step's own lines come first.
      var top = Infinity, bottom = -Infinity, nowTop = Infinity;
      for (var i = 0; i < marked.length; i++) {
        var t = marked[i].offsetTop - pre.offsetTop;
        top = Math.min(top, t);
        bottom = Math.max(bottom, t + marked[i].offsetHeight);
        if (marked[i].getAttribute("data-mark") === "now") nowTop = Math.min(nowTop, t);
      }
      var room = pre.clientHeight;
      if (bottom - top > room) top = nowTop === Infinity ? top : nowTop;
      if (top < pre.scrollTop || Math.min(bottom, top + room) > pre.scrollTop + room) {
        pre.scrollTop = Math.max(0, bottom - top > room ? top - 4 : top - (room - (bottom - top)) / 2);
      }
    }
    if (!row) return;
    var box = row.getBoundingClientRect(), under = this.player.getBoundingClientRect().bottom;
    var view = window.innerHeight || document.documentElement.clientHeight;
    if (box.top < under) window.scrollBy(0, box.top - under - 4);
    else if (box.bottom > view) window.scrollBy(0, box.bottom - view + 8);
  };

  // Shows step n (0 is the start, before step 1); `push` writes it to the URL.
  Player.prototype.go = function (n, push) {
    n = Math.max(0, Math.min(this.rows.length, n));
    this.at = n;
    var row = this.rows[n - 1];
    for (var i = 0; i < this.rows.length; i++) {
      if (this.rows[i] === row) this.rows[i].setAttribute("aria-current", "step");
      else this.rows[i].removeAttribute("aria-current");
    }
    var range = linesOf(row), next = linesOf(this.rows[n]);
    for (var j = 0; j < this.lines.length; j++) {
      var line = this.lines[j], l = +line.getAttribute("data-line");
      var now = l >= range[0] && l <= range[1];
      if (now) line.setAttribute("aria-current", "true");
      else line.removeAttribute("aria-current");
      if (now) line.setAttribute("data-mark", "now");
      else if (l >= next[0] && l <= next[1]) line.setAttribute("data-mark", "next");
      else line.removeAttribute("data-mark");
    }
    var at = this.values[n] || [], before = this.values[n - 1] || at;
    for (var k = 0; k < this.dds.length; k++) {
      this.dds[k].innerHTML = at[k] == null ? "" : at[k];
      this.dds[k].classList.toggle("cg-changed", at[k] !== before[k]);
    }
    this.trackers.forEach(function (t) { markColumn(t, n); });
    var what = row ? row.querySelector("td") : null;
    var lines = this.pane ? (range[0] ? ", runs " + lineText(range) : "") + (next[0] ? "; next " + lineText(next) : "") : "";
    this.status.textContent = (row
      ? "Step " + n + " of " + this.rows.length + (what ? ": " + what.textContent : "")
      : "Start, before step 1 of " + this.rows.length) + lines;
    this.fig.style.setProperty("--cg-player-h", this.player.offsetHeight + "px");
    this.buttons.prev.setAttribute("aria-disabled", String(n === 0));
    this.buttons.next.setAttribute("aria-disabled", String(n === this.rows.length));
    // Other parts of the lesson follow the player (a transcript marks the
    // paragraph that narrates this step): they listen, the player knows none.
    this.fig.dispatchEvent(new CustomEvent("cg-step", { bubbles: true, detail: { row: row ? row.id : "" } }));
    if (push) {
      this.reveal(row);
      var url = location.pathname + location.search + (row ? "#" + row.id : "");
      try { history.replaceState(null, "", url); } catch (e) { /* file:// may refuse */ }
    }
  };

  // Marks the tracker column holding the values at step n: the last column for
  // a step at or before n (none at the start, as no row is current then).
  function markColumn(tracker, n) {
    var heads = tracker.querySelectorAll("thead th");
    var best = -1;
    heads.forEach(function (th) {
      var k = th.hasAttribute("data-step") ? +th.getAttribute("data-step") : -1;
      if (n > 0 && k <= n) best = Math.max(best, k);
    });
    tracker.querySelectorAll("tr").forEach(function (tr) {
      for (var i = 0; i < tr.children.length; i++) {
        var k = heads[i] ? heads[i].getAttribute("data-step") : null;
        tr.children[i].classList.toggle("cg-now", k !== null && +k === best);
      }
    });
  }

  var players = [];
  document.querySelectorAll("figure.cg-steps").forEach(function (fig) {
    if (fig.querySelector(".cg-player")) players.push(new Player(fig));
  });

  // Moves the player that owns the row with this id; true when one did.
  function follow(id) {
    var el = id && document.getElementById(id);
    for (var i = 0; el && i < players.length; i++) {
      var n = Array.prototype.indexOf.call(players[i].rows, el);
      if (n >= 0) {
        players[i].go(n + 1, false);
        players[i].reveal(null);
        return true;
      }
    }
    return false;
  }
  function fromHash() {
    try { follow(decodeURIComponent(location.hash.slice(1))); } catch (e) { /* bad escape */ }
  }
  // A click on a link to the current hash fires no hashchange: catch clicks too.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href^='#']");
    if (a) follow(a.getAttribute("href").slice(1));
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
