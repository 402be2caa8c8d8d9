// Key moments (```moments): an open moment marks the rows of the execution
// table it names; a transcript (```transcript) marks the paragraph of the
// player's step. Without this script the moments still open and every step
// link still leads to its row.
(function () {
  "use strict";

  // An open key moment marks the rows it is about, so the table beside it
  // shows what the insight says. Marks are recomputed from every open
  // moment, so closing one keeps the rows another open one names.
  function setupMoments() {
    var moments = document.querySelectorAll("details.cg-moment[data-steps]");
    function mark() {
      Array.prototype.forEach.call(document.querySelectorAll("tr.cg-moment-row"), function (row) {
        row.classList.remove("cg-moment-row");
      });
      Array.prototype.forEach.call(moments, function (m) {
        if (!m.open) return;
        m.getAttribute("data-steps").split(" ").forEach(function (id) {
          var row = document.getElementById(id);
          if (row) row.classList.add("cg-moment-row");
        });
      });
    }
    Array.prototype.forEach.call(moments, function (m) {
      m.addEventListener("toggle", mark);
    });
  }

  // The transcript follows the step player: the paragraph tied to the
  // current row of a table is marked, the others tied to that table are not.
  // (The player follows the transcript through the paragraphs' step links.)
  function followPlayer(e) {
    var fig = e.target;
    Array.prototype.forEach.call(document.querySelectorAll(".cg-narration[data-step]"), function (p) {
      var row = document.getElementById(p.getAttribute("data-step"));
      if (!row || !fig.contains(row)) return;
      if (row.id === e.detail.row) p.setAttribute("aria-current", "step");
      else p.removeAttribute("aria-current");
    });
  }

  function start() {
    setupMoments();
    document.addEventListener("cg-step", followPlayer);
    // A player that moved before this script ran (a #step-3 link opened).
    Array.prototype.forEach.call(document.querySelectorAll("figure.cg-steps tbody tr[aria-current='step']"), function (row) {
      followPlayer({ target: row.closest("figure"), detail: { row: row.id } });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
