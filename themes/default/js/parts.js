// Key moments (```moments): an open moment marks the rows of the execution
// table it names. Without this script the moments still open and their step
// links still lead to the rows.
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

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupMoments);
  else setupMoments();
})();
