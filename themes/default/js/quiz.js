// coursegen quizzes: checks answers in the browser. The page is complete without
// this file (every option is shown and "Show answer" reveals the answer); this
// adds Check, hints, feedback, a score, and progress saved in localStorage.
// Everything it shows was rendered at build time; it never turns author text
// into HTML. No framework, no network.
(function () {
  "use strict";

  var me = document.currentScript;
  // The site root, from this script's own URL ("<root>js/quiz.js").
  var siteRoot = me ? me.src.replace(/js\/quiz\.js(\?.*)?$/, "") : "";
  // Two courses on one host must not share progress: the key names the course.
  var course = ((me && me.getAttribute("data-course")) || "course").trim().toLowerCase();
  var PREFIX = "coursegen.quiz/" + encodeURIComponent(course) + "/";

  // ---------------------------------------- storage

  // localStorage can throw (file:// in some browsers, privacy modes, a full
  // quota): progress then lasts as long as the page.
  function load(page) {
    try {
      var v = JSON.parse(window.localStorage.getItem(PREFIX + page) || "{}");
      return v && typeof v === "object" ? v : {};
    } catch (e) {
      return {};
    }
  }

  function save(page, state) {
    try {
      window.localStorage.setItem(PREFIX + page, JSON.stringify(state));
    } catch (e) { /* not remembered */ }
  }

  // This page's path from the site root, as the build names it.
  function pagePath() {
    var here = location.href.split("#")[0].split("?")[0];
    var p = siteRoot && here.indexOf(siteRoot) === 0 ? here.slice(siteRoot.length) : location.pathname;
    p = decodeURIComponent(p);
    if (p === "" || p.slice(-1) === "/") return p + "index.html";
    // Servers with "pretty" URLs drop the .html the build's page names have.
    return /\.html?$/.test(p) ? p : p + ".html";
  }

  // ---------------------------------------- helpers

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function button(text, cls) {
    var b = el("button", cls, text);
    b.type = "button";
    return b;
  }

  function all(list) {
    return Array.prototype.slice.call(list);
  }

  // A copy of rendered content, shown again in the feedback region.
  function copy(node) {
    var c = node.cloneNode(true);
    c.hidden = false;
    c.removeAttribute("id");
    return c;
  }

  function normLine(s) {
    return s.replace(/[ \t]+$/, "");
  }

  // Output is compared line by line, trailing spaces and trailing blank lines ignored.
  function normOutput(s) {
    var lines = String(s).replace(/\r\n?/g, "\n").split("\n").map(normLine);
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    return lines.join("\n");
  }

  function normShort(s) {
    return String(s).trim().toLowerCase();
  }

  // ---------------------------------------- kinds

  // Each kind reads the answer (null if none yet), writes a saved one back,
  // clears it, and checks it against the build's data.
  var kinds = {
    choice: {
      read: function (q) {
        var v = [];
        q.inputs.forEach(function (i) { if (i.checked) v.push(Number(i.value)); });
        return v.length ? v : null;
      },
      write: function (q, v) {
        q.inputs.forEach(function (i) { i.checked = v.indexOf(Number(i.value)) >= 0; });
      },
      clear: function (q) {
        q.inputs.forEach(function (i) { i.checked = false; });
      },
      check: function (q, v) {
        var want = q.data.answer;
        return v.length === want.length && want.every(function (w) { return v.indexOf(w) >= 0; });
      },
    },
    short: {
      read: function (q) { return q.inputs[0].value.trim() ? q.inputs[0].value : null; },
      write: function (q, v) { q.inputs[0].value = String(v); },
      clear: function (q) { q.inputs[0].value = ""; },
      check: function (q, v) {
        return q.data.answer.some(function (a) { return normShort(a) === normShort(v); });
      },
    },
    order: {
      read: function (q) { return q.lines().map(function (li) { return Number(li.getAttribute("data-line")); }); },
      write: function (q, v) {
        var byLine = {};
        q.lines().forEach(function (li) { byLine[li.getAttribute("data-line")] = li; });
        if (v.length !== q.lines().length) return;
        v.forEach(function (n) { if (byLine[n]) q.list.appendChild(byLine[n]); });
      },
      clear: function () { /* the arrangement stays, to be adjusted */ },
      check: function (q, v) {
        return v.length === q.lines().length && v.every(function (n, i) { return n === i; });
      },
    },
  };
  kinds.output = {
    read: kinds.short.read,
    write: kinds.short.write,
    clear: kinds.short.clear,
    check: function (q, v) { return normOutput(v) === normOutput(q.data.answer); },
  };
  // Tracing: the output, or "It does not compile" ticked (the answer is null).
  var nc = function (q) { return q.li.querySelector(".cg-no-compile"); };
  kinds.tracing = {
    read: function (q) { return nc(q).checked ? 0 : kinds.short.read(q); },
    write: function (q, v) { nc(q).checked = v === 0; if (v) kinds.short.write(q, v); },
    clear: function (q) { nc(q).checked = false; kinds.short.clear(q); },
    check: function (q, v) { return v === 0 ? q.data.answer === null : q.data.answer !== null && kinds.output.check(q, v); },
  };

  // ---------------------------------------- order

  // Up and down buttons on every line, and drag and drop for pointers.
  function setupOrder(q) {
    var status = el("div", "cg-visually-hidden");
    status.setAttribute("aria-live", "polite");
    q.list.parentNode.insertBefore(status, q.list.nextSibling);
    q.lines().forEach(function (li) {
      var text = li.textContent.trim();
      var wrap = el("span", "cg-order-text");
      while (li.firstChild) wrap.appendChild(li.firstChild);
      li.appendChild(wrap);
      var tools = el("span", "cg-order-tools");
      [["up", "↑", "Move up: "], ["down", "↓", "Move down: "]].forEach(function (d) {
        var b = button("", "cg-order-move");
        b.setAttribute("data-dir", d[0]);
        var glyph = el("span", "", d[1]);
        glyph.setAttribute("aria-hidden", "true");
        b.appendChild(glyph);
        b.appendChild(el("span", "cg-visually-hidden", d[2] + text));
        tools.appendChild(b);
      });
      li.appendChild(tools);
      li.draggable = true;
    });
    q.list.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest(".cg-order-move");
      if (!b) return;
      var li = b.closest("li");
      var up = b.getAttribute("data-dir") === "up";
      var other = up ? li.previousElementSibling : li.nextElementSibling;
      if (!other) return;
      if (up) q.list.insertBefore(li, other);
      else q.list.insertBefore(other, li);
      b.focus();
      var lines = q.lines();
      status.textContent = li.querySelector(".cg-order-text").textContent.trim() +
        ": position " + (lines.indexOf(li) + 1) + " of " + lines.length;
    });
    var dragged = null;
    q.list.addEventListener("dragstart", function (e) {
      dragged = e.target.closest("li");
      if (e.dataTransfer) {
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", "");
      }
      dragged.classList.add("is-dragged");
    });
    q.list.addEventListener("dragover", function (e) {
      if (!dragged) return;
      e.preventDefault();
      var over = e.target.closest && e.target.closest("li");
      if (!over || over === dragged || over.parentNode !== q.list) return;
      var box = over.getBoundingClientRect();
      var after = e.clientY > box.top + box.height / 2;
      q.list.insertBefore(dragged, after ? over.nextSibling : over);
    });
    q.list.addEventListener("drop", function (e) { e.preventDefault(); });
    q.list.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("is-dragged");
      dragged = null;
    });
  }

  // ---------------------------------------- hints

  // The build's <details> hint becomes a "Hint" button that shows and hides
  // it; `q.openHint` shows it after a wrong answer.
  function setupHint(q, details, id) {
    var body = el("div", "cg-hint-body");
    body.id = id + "-hint";
    body.hidden = true;
    all(details.childNodes).forEach(function (n) {
      if (n.nodeName !== "SUMMARY") body.appendChild(n);
    });
    var b = button("Hint", "cg-quiz-button cg-hint-button");
    b.setAttribute("aria-expanded", "false");
    b.setAttribute("aria-controls", body.id);
    function toggle(open) {
      body.hidden = !open;
      b.setAttribute("aria-expanded", open ? "true" : "false");
    }
    b.addEventListener("click", function () { toggle(body.hidden); });
    q.openHint = function () { toggle(true); };
    q.hintButton = b;
    var wrap = el("div", "cg-hint");
    wrap.appendChild(body);
    details.parentNode.replaceChild(wrap, details);
  }

  // ---------------------------------------- questions

  // Adds Check, Try again and the verdict region before the hint; returns Check.
  function addControls(q) {
    var actions = el("div", "cg-actions");
    var check = button("Check", "cg-quiz-button cg-check");
    q.again = button("Try again", "cg-quiz-button cg-again");
    q.again.hidden = true;
    actions.appendChild(check);
    // Check and Hint on one row, even on a phone.
    if (q.hintButton) actions.appendChild(q.hintButton);
    actions.appendChild(q.again);
    q.verdict = el("div", "cg-verdict");
    q.verdict.id = q.li.id + "-verdict";
    q.verdict.setAttribute("aria-live", "polite");
    q.verdict.tabIndex = -1;
    // The answer stays one click away, but only once the learner has tried.
    if (q.answer) q.answer.hidden = true;
    var before = q.li.querySelector(".cg-hint") || q.answer;
    var group = q.answer ? q.answer.parentNode : q.li;
    group.insertBefore(actions, before);
    group.insertBefore(q.verdict, before);
    // Asking for the answer marks the correct options too.
    if (q.answer) q.answer.addEventListener("toggle", function () { if (q.answer.open) mark(q, "answer"); });
    return check;
  }

  function setupQuestion(li, data, quiz) {
    var kind = kinds[li.getAttribute("data-kind")];
    if (!kind || !data) return null;
    var q = {
      li: li,
      data: data,
      key: li.getAttribute("data-key") || li.id,
      kind: kind,
      inputs: all(li.querySelectorAll(".cg-options input, input[type=text], textarea")),
      list: li.querySelector(".cg-order"),
      answer: li.querySelector("details.cg-answer"),
      lines: function () { return all(q.list.children); },
    };
    if (q.list) setupOrder(q);
    var hint = li.querySelector("details.cg-hint");
    if (hint) setupHint(q, hint, li.id);
    var check = addControls(q);
    check.addEventListener("click", function () {
      var v = kind.read(q);
      if (v === null) {
        show(q, null);
        q.verdict.focus();
        return;
      }
      var ok = kind.check(q, v);
      show(q, ok);
      q.verdict.focus();
      quiz.record(q, { ok: ok, v: v });
    });
    // Enter in a one-line answer checks it, as it would submit a form.
    q.inputs.forEach(function (i) {
      if (i.type !== "text") return;
      i.addEventListener("keydown", function (e) {
        if (e.key === "Enter") check.click();
      });
    });
    q.again.addEventListener("click", function () {
      kind.clear(q);
      show(q, undefined);
      var first = q.inputs[0] || li.querySelector(".cg-order-move");
      if (first) first.focus();
    });
    return q;
  }

  // Writes the verdict: ok is true, false, null (nothing chosen) or undefined
  // (clear). A wrong answer gets the chosen options' own feedback and the
  // hint, never the explanation: it holds the answer (issue 19). The
  // explanation and the answer follow a right answer, or "Show answer".
  function show(q, ok) {
    q.verdict.textContent = "";
    q.verdict.className = "cg-verdict";
    q.again.hidden = ok !== false;
    mark(q);
    if (ok === undefined) return;
    if (ok === null) {
      q.verdict.appendChild(el("p", "cg-verdict-title", "Give an answer first."));
      return;
    }
    q.verdict.classList.add(ok ? "is-correct" : "is-incorrect");
    q.verdict.appendChild(el("p", "cg-verdict-title", ok ? "Correct" : "Incorrect"));
    q.inputs.forEach(function (i) {
      var fb = i.checked && i.closest("li").querySelector(".cg-feedback");
      if (fb) q.verdict.appendChild(copy(fb));
    });
    if (ok) {
      var right = q.answer && q.answer.querySelector(".cg-correct");
      if (right) q.verdict.appendChild(copy(right));
      var explain = q.answer && q.answer.querySelector(".cg-explain");
      if (explain) q.verdict.appendChild(copy(explain));
    } else if (q.openHint) {
      q.verdict.appendChild(el("p", "cg-verdict-hint", "See the hint below."));
      q.openHint();
    }
    mark(q, ok ? "answer" : "chosen");
    if (q.answer) q.answer.hidden = false;
  }

  // Marks options by colour and by a word with an icon, never colour alone:
  // the checked ones right or wrong; with "answer" the correct ones too; with
  // nothing, no mark.
  function mark(q, what) {
    if (q.li.getAttribute("data-kind") !== "choice") return;
    q.inputs.forEach(function (i) {
      var li = i.closest("li"), good = q.data.answer.indexOf(Number(i.value)) >= 0;
      var m = li.querySelector(".cg-mark");
      if (!what) {
        li.className = "";
        if (m) m.parentNode.removeChild(m);
        return;
      }
      var k = i.checked ? (good ? "right" : "wrong") : good && what === "answer" ? "answer" : "";
      if (!k || m) return;
      li.className = "is-" + k;
      li.querySelector("label").appendChild(el("span", "cg-mark", (good ? "\u2713 " : "\u2717 ") + k));
    });
  }

  // ---------------------------------------- quizzes

  function setupQuiz(section, page) {
    var island = section.querySelector("script.cg-quiz-data");
    var data;
    try {
      data = JSON.parse(island.textContent);
    } catch (e) {
      return;
    }
    var state = load(page);
    var questions = [];
    var score = el("p", "cg-score");
    score.setAttribute("aria-live", "polite");
    var quiz = {
      record: function (q, entry) {
        // Another tab may have saved meanwhile; without storage, memory is all.
        state = Object.assign(state, load(page));
        state[q.key] = entry;
        save(page, state);
        update();
      },
    };
    function update() {
      var right = questions.filter(function (q) { return state[q.key] && state[q.key].ok === true; }).length;
      score.textContent = "Score: " + right + " of " + questions.length;
    }
    var items = section.querySelectorAll(".cg-question");
    for (var i = 0; i < items.length; i++) {
      var q = setupQuestion(items[i], data[i], quiz);
      if (q) questions.push(q);
    }
    questions.forEach(function (q) {
      var saved = state[q.key];
      if (!saved || saved.v === undefined || saved.v === null) return;
      try {
        q.kind.write(q, saved.v);
        // Checked again: the author may have changed the answer since.
        saved.ok = q.kind.check(q, saved.v);
        show(q, saved.ok);
      } catch (e) { /* a saved answer that no longer fits the question */ }
    });
    var footer = el("div", "cg-quiz-footer");
    var reset = button("Reset quiz", "cg-quiz-button cg-reset");
    reset.addEventListener("click", function () {
      state = Object.assign(state, load(page));
      questions.forEach(function (q) {
        delete state[q.key];
        q.kind.clear(q);
        show(q, undefined);
        if (q.answer) q.answer.hidden = true;
      });
      save(page, state);
      update();
    });
    footer.appendChild(score);
    footer.appendChild(reset);
    section.appendChild(footer);
    update();
  }

  // ---------------------------------------- home page

  // Fills each ".cg-progress" of the course home with the lesson's saved score.
  function summarise(node) {
    var keys = (node.getAttribute("data-questions") || "").split("\n").filter(Boolean);
    // A page named like a scheme is linked as "./javascript:x.html"; its key has no "./".
    var state = load((node.getAttribute("data-page") || "").replace(/^\.\//, ""));
    var answered = 0;
    var right = 0;
    keys.forEach(function (k) {
      if (!state[k]) return;
      answered++;
      if (state[k].ok === true) right++;
    });
    node.textContent = answered === 0
      ? "Not started · " + keys.length + " question" + (keys.length === 1 ? "" : "s")
      : right + " of " + keys.length + " correct";
    node.classList.toggle("is-done", keys.length > 0 && right === keys.length);
  }

  function start() {
    var page = pagePath();
    var quizzes = document.querySelectorAll(".cg-quiz");
    for (var i = 0; i < quizzes.length; i++) setupQuiz(quizzes[i], page);
    var progress = document.querySelectorAll(".cg-progress[data-page]");
    for (var j = 0; j < progress.length; j++) summarise(progress[j]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
