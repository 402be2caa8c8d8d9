// The step player: Previous/Next/Reset and the arrow keys walk an execution
// table; the current row and its code lines are marked with aria-current, the
// variables' values come from the JSON coursegen computed at build time, and
// the step lives in the URL hash. Without this script the table, tracker and
// #step-N anchors still work as plain HTML.
(function () {
  "use strict";

  function Player(fig) {
    var data = fig.querySelector("script.cg-steps-data");
    this.values = data ? JSON.parse(data.textContent) : [];
    this.rows = fig.querySelectorAll("tbody tr[id]");
    this.status = fig.querySelector(".cg-player-status");
    this.dds = fig.querySelectorAll(".cg-player-vars dd");
    this.buttons = {};
    var code = document.getElementById(fig.getAttribute("data-code") || "");
    this.lines = code ? code.querySelectorAll(".cg-line") : [];
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
    fig.querySelector(".cg-player").hidden = false;
    this.go(0, false);
  }

  // Shows step n (0 is the start, before step 1); `push` writes it to the URL.
  Player.prototype.go = function (n, push) {
    n = Math.max(0, Math.min(this.rows.length, n));
    this.at = n;
    var row = this.rows[n - 1];
    for (var i = 0; i < this.rows.length; i++) {
      if (this.rows[i] === row) this.rows[i].setAttribute("aria-current", "step");
      else this.rows[i].removeAttribute("aria-current");
    }
    var range = ((row && row.getAttribute("data-lines")) || "0-0").split("-");
    for (var j = 0; j < this.lines.length; j++) {
      var l = +this.lines[j].getAttribute("data-line");
      if (l >= +range[0] && l <= +range[1]) this.lines[j].setAttribute("aria-current", "true");
      else this.lines[j].removeAttribute("aria-current");
    }
    var now = this.values[n] || [], before = this.values[n - 1] || now;
    for (var k = 0; k < this.dds.length; k++) {
      this.dds[k].innerHTML = now[k] == null ? "" : now[k];
      this.dds[k].classList.toggle("cg-changed", now[k] !== before[k]);
    }
    this.trackers.forEach(function (t) { markColumn(t, n); });
    var what = row ? row.querySelector("td") : null;
    this.status.textContent = row
      ? "Step " + n + " of " + this.rows.length + (what ? ": " + what.textContent : "")
      : "Start, before step 1 of " + this.rows.length;
    this.buttons.prev.setAttribute("aria-disabled", String(n === 0));
    this.buttons.next.setAttribute("aria-disabled", String(n === this.rows.length));
    if (push) {
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
