/* The exam page: fetch the paper, show it the way officers know (answer card, letters A, B,
 * C… in the order shown, 正确/错误, mark for review, whole paper or one question at a time,
 * keyboard), count leaving the page, count down from the server's figure and submit.
 *
 * Saving answers is exam-save.js's job (window.ExamSave). Texts come from the
 * <script type="application/json" id="exam-text"> block; URLs from data-* attributes.
 * No libraries beyond Bootstrap's own (the answer-card drawer on phones), nothing inline.
 */
(function () {
  "use strict";
  var app = document.getElementById("exam-app");
  if (!app) return;
  var T = JSON.parse(document.getElementById("exam-text").textContent);
  var LETTERS = "ABCDEFGH";
  var urls = {
    paper: app.dataset.paperUrl, save: app.dataset.saveUrl, saveBatch: app.dataset.saveBatchUrl, leave: app.dataset.leaveUrl,
    submit: app.dataset.submitUrl, result: app.dataset.resultUrl
  };
  var attemptId = app.dataset.attempt;
  var csrf = app.querySelector("input[name=csrfmiddlewaretoken]").value;
  var questions = [];
  var sections = [];
  var answers = {};      // qid -> response (what the page shows)
  var marks = loadJSON("exam-" + attemptId + "-marks", {});
  var mode = loadJSON("exam-mode", "all") === "one" ? "one" : "all";
  var current = 0;
  var currentPart = 0;
  var deadlineAt = null; // performance.now() based
  var closed = false;
  var paperShown = false;
  var leave = { count: 0, limit: 0, away: false, unsent: loadJSON("exam-" + attemptId + "-leaves", 0) };

  function $(id) { return document.getElementById(id); }
  function fill(text, values) { return text.replace(/%\((\w+)\)s/g, function (_, k) { return values[k]; }); }
  function loadJSON(key, fallback) {
    try { var v = localStorage.getItem(key); return v === null ? fallback : JSON.parse(v); } catch (e) { return fallback; }
  }
  function storeJSON(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* memory only */ } }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // --- saving (exam-save.js) ----------------------------------------------------------------
  var STATUS = {
    saving: [T.saving, "text-muted"], saved: ["✓ " + T.saved, "text-success"],
    queued: [T.queued, "text-warning"], refused: [T.refused, "text-danger"]
  };
  var saver = window.ExamSave.create({
    attempt: attemptId, saveUrl: urls.save, saveBatchUrl: urls.saveBatch, csrf: csrf,
    on: {
      status: function (qid, state, detail) {
        var node = document.querySelector('[data-status-for="' + qid + '"]');
        if (!node) return;
        node.textContent = STATUS[state][0] + (detail ? " " + detail : "");
        node.className = "save-status small ms-2 " + STATUS[state][1];
      },
      online: setOnline,
      busy: function () { $("exam-connection").textContent = T.busy; },
      closed: function (detail) {
        closed = true;
        showError(detail || T.closed);
        setTimeout(function () { window.location.href = urls.result; }, 2500);
      }
    }
  });

  function setOnline(value, pendingCount) {
    var badge = $("exam-connection");
    badge.textContent = value ? T.online : T.offline;
    badge.className = "badge " + (value ? "text-bg-success" : "text-bg-danger");
    var n = pendingCount === undefined ? saver.pendingCount() : pendingCount;
    $("exam-offline").classList.toggle("d-none", value);
    $("exam-pending").textContent = n ? "(" + n + ")" : "";
    if (value) sendLeaves();
  }

  // --- clock --------------------------------------------------------------------------------
  function syncClock(secondsLeft) { deadlineAt = performance.now() + secondsLeft * 1000; }
  function tick() {
    if (deadlineAt === null || closed) return;
    var left = Math.max(0, Math.round((deadlineAt - performance.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    $("exam-countdown").textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    if (left === 0) finish();
  }

  // --- answers ------------------------------------------------------------------------------
  function isAnswered(q) {
    var value = answers[q.item];
    if (value === null || value === undefined || value === "") return false;
    if (Array.isArray(value)) return value.some(function (v) { return v; });
    return true;
  }

  function give(q, value) {
    answers[q.item] = value;
    saver.answer(q.item, value);
    refreshCard();
  }

  function chosenKeys(container, name) {
    return Array.prototype.map.call(container.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
  }

  /* The value of one option group after a change: letters in stored keys, sorted. */
  function groupValue(card, name) {
    var sel = chosenKeys(card, name);
    return sel.length ? sel.sort().join("") : null;
  }

  function onGroupChange(q, card, partIndex) {
    if (q.type === "case") {
      var values = Array.isArray(answers[q.item]) ? answers[q.item].slice() : q.parts.map(function () { return null; });
      values[partIndex] = groupValue(card, "q" + q.item + "p" + partIndex);
      give(q, values);
    } else {
      give(q, groupValue(card, "q" + q.item));
    }
  }

  // --- rendering ----------------------------------------------------------------------------
  function optionGroup(q, card, name, type, options, chosen, partIndex) {
    var wrap = el("div", "exam-options");
    wrap.setAttribute("role", type === "radio" ? "radiogroup" : "group");
    options.forEach(function (opt, i) {
      var id = name + "-" + opt.key;
      var row = el("div", "form-check exam-option my-1");
      var input = el("input", "form-check-input");
      input.type = type; input.name = name; input.id = id; input.value = opt.key;
      input.checked = chosen.indexOf(opt.key) >= 0;
      input.dataset.part = partIndex === null ? "" : String(partIndex);
      input.addEventListener("change", function () { onGroupChange(q, card, partIndex); });
      var label = el("label", "form-check-label");
      label.htmlFor = id;
      var trueFalse = (partIndex === null ? q.type : q.parts[partIndex].type) === "true_false";
      if (!trueFalse) label.appendChild(el("span", "option-letter fw-semibold me-1", LETTERS[i] + "."));
      label.appendChild(document.createTextNode(opt.text));
      row.appendChild(input); row.appendChild(label); wrap.appendChild(row);
    });
    return wrap;
  }

  function renderQuestion(q, index) {
    var card = el("section", "card mb-3 exam-q");
    card.id = "q-" + q.item;
    card.tabIndex = -1;
    card.dataset.index = String(index);
    card.setAttribute("aria-labelledby", "q-" + q.item + "-title");
    var body = el("div", "card-body");
    var head = el("div", "d-flex flex-wrap align-items-baseline gap-2 mb-2");
    var title = el("h2", "h6 mb-0", q.number + ". [" + q.type_label + "] (" + q.points + " " + T.points + ")");
    title.id = "q-" + q.item + "-title";
    var st = el("span", "save-status small ms-2");
    st.setAttribute("data-status-for", q.item);
    var markBtn = el("button", "btn btn-sm btn-outline-warning ms-auto exam-mark");
    markBtn.type = "button";
    markBtn.dataset.qid = q.item;
    markBtn.addEventListener("click", function () { toggleMark(q); });
    head.appendChild(title); head.appendChild(st); head.appendChild(markBtn);
    body.appendChild(head);
    body.appendChild(el("p", "question-stem", q.stem));
    var given = answers[q.item];
    if (q.type === "case") {
      var values = Array.isArray(given) ? given : [];
      q.parts.forEach(function (part, i) {
        var pdiv = el("div", "ms-2 mb-2 exam-part");
        pdiv.dataset.part = String(i);
        pdiv.appendChild(el("p", "mb-1", "(" + (i + 1) + ") [" + part.type_label + "] " + part.stem));
        pdiv.appendChild(optionGroup(q, card, "q" + q.item + "p" + i, part.type === "multiple" ? "checkbox" : "radio",
          part.options, values[i] ? String(values[i]).split("") : [], i));
        body.appendChild(pdiv);
      });
    } else {
      body.appendChild(optionGroup(q, card, "q" + q.item, q.type === "multiple" ? "checkbox" : "radio",
        q.options, given ? String(given).split("") : [], null));
    }
    card.appendChild(body);
    card.addEventListener("focusin", function (e) {
      current = index;
      var part = e.target && e.target.dataset ? e.target.dataset.part : "";
      currentPart = part ? Number(part) : 0;
      refreshCard();
    });
    card.addEventListener("click", function () { if (current !== index) { current = index; refreshCard(); } });
    return card;
  }

  function render() {
    var box = $("exam-questions");
    box.innerHTML = "";
    var lastSection = -1;
    questions.forEach(function (q, i) {
      if (q.section !== lastSection) {
        lastSection = q.section;
        var h = el("h2", "h5 mt-4 exam-section-title", sections[q.section] || "");
        h.dataset.section = String(q.section);
        box.appendChild(h);
      }
      box.appendChild(renderQuestion(q, i));
    });
    saver.pendingIds().forEach(function (qid) {
      var node = document.querySelector('[data-status-for="' + qid + '"]');
      if (node) { node.textContent = T.queued; node.className = "save-status small ms-2 text-warning"; }
    });
    renderCard();
    applyMode();
    refreshMarks();
  }

  // --- answer card --------------------------------------------------------------------------
  function renderCard() {
    var box = $("exam-card");
    box.innerHTML = "";
    var grid = null, lastSection = -1;
    questions.forEach(function (q, i) {
      if (q.section !== lastSection) {
        lastSection = q.section;
        box.appendChild(el("h3", "h6 mt-2 mb-1", sections[q.section] || ""));
        grid = el("div", "exam-card-grid");
        box.appendChild(grid);
      }
      var b = el("button", "exam-card-item", String(q.number));
      b.type = "button";
      b.dataset.index = String(i);
      b.addEventListener("click", function () { closeDrawer(function () { go(i); }); });
      grid.appendChild(b);
    });
    refreshCard();
  }

  function refreshCard() {
    var done = 0;
    Array.prototype.forEach.call(document.querySelectorAll("#exam-card .exam-card-item"), function (b) {
      var i = Number(b.dataset.index), q = questions[i];
      var answered = isAnswered(q);
      if (answered) done += 1;
      b.classList.toggle("answered", answered);
      b.classList.toggle("marked", !!marks[q.item]);
      b.classList.toggle("current", i === current);
      if (i === current) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
      b.setAttribute("aria-label", fill(T.cardItem, { n: q.number }) + " " + (answered ? T.answeredWord : T.unansweredWord) +
        (marks[q.item] ? " " + T.markedWord : ""));
    });
    $("exam-progress").textContent = T.answered + " " + done + " / " + T.of + " " + questions.length;
    var counter = $("exam-card-summary");
    if (counter) {
      var marked = questions.filter(function (q) { return marks[q.item]; }).length;
      counter.textContent = fill(T.cardSummary, { done: done, left: questions.length - done, marked: marked });
    }
    var pos = $("exam-position");
    if (pos && questions.length) pos.textContent = (current + 1) + " / " + questions.length;
  }

  /* On a phone the card is a drawer: close it first (Bootstrap then gives the focus back to
   * the button that opened it), and only then move to the question. */
  function closeDrawer(then) {
    var panel = $("exam-card-panel");
    var inst = window.bootstrap && window.bootstrap.Offcanvas && window.bootstrap.Offcanvas.getInstance(panel);
    if (!inst || !panel.classList.contains("show")) { then(); return; }
    panel.addEventListener("hidden.bs.offcanvas", function () { then(); }, { once: true });
    inst.hide();
  }

  // --- marks --------------------------------------------------------------------------------
  function toggleMark(q) {
    if (marks[q.item]) delete marks[q.item]; else marks[q.item] = true;
    storeJSON("exam-" + attemptId + "-marks", marks);
    refreshMarks();
    refreshCard();
  }

  function refreshMarks() {
    Array.prototype.forEach.call(document.querySelectorAll(".exam-mark"), function (b) {
      var on = !!marks[b.dataset.qid];
      b.textContent = on ? "★ " + T.marked : "☆ " + T.mark;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("btn-warning", on);
      b.classList.toggle("btn-outline-warning", !on);
      var card = $("q-" + b.dataset.qid);
      if (card) card.classList.toggle("border-warning", on);
    });
  }

  // --- navigation and modes -----------------------------------------------------------------
  function go(i) {
    if (i < 0 || i >= questions.length) return;
    current = i;
    currentPart = 0;
    applyMode();
    var card = $("q-" + questions[i].item);
    if (card) {
      if (mode === "all") card.scrollIntoView({ block: "start" });
      card.focus({ preventScroll: mode === "all" });
    }
    refreshCard();
  }

  function applyMode() {
    var one = mode === "one";
    Array.prototype.forEach.call(document.querySelectorAll("#exam-questions .exam-q"), function (card) {
      card.classList.toggle("d-none", one && Number(card.dataset.index) !== current);
    });
    Array.prototype.forEach.call(document.querySelectorAll("#exam-questions .exam-section-title"), function (h) {
      h.classList.toggle("d-none", one && questions[current] && String(questions[current].section) !== h.dataset.section);
    });
    $("exam-pager").classList.toggle("d-none", !one);
    $("exam-prev").disabled = current <= 0;
    $("exam-next").disabled = current >= questions.length - 1;
    var toggle = $("exam-mode");
    toggle.textContent = one ? T.modeAll : T.modeOne;
    toggle.setAttribute("aria-pressed", one ? "true" : "false");
  }

  $("exam-mode").addEventListener("click", function () {
    mode = mode === "one" ? "all" : "one";
    storeJSON("exam-mode", mode);
    go(current);
  });
  $("exam-prev").addEventListener("click", function () { go(current - 1); });
  $("exam-next").addEventListener("click", function () { go(current + 1); });

  // --- keyboard: letters choose, arrows move, M marks ----------------------------------------
  document.addEventListener("keydown", function (e) {
    if (!paperShown || closed || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    var tag = t && t.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT" || (tag === "INPUT" && t.type !== "radio" && t.type !== "checkbox")) return;
    if (!$("exam-confirm").classList.contains("d-none")) return;
    var onChoice = tag === "INPUT";
    if (e.key === "ArrowRight" || (onChoice && e.key === "ArrowDown")) { e.preventDefault(); go(current + 1); return; }
    if (e.key === "ArrowLeft" || (onChoice && e.key === "ArrowUp")) { e.preventDefault(); go(current - 1); return; }
    var key = e.key.length === 1 ? e.key.toUpperCase() : "";
    var q = questions[current];
    if (!q) return;
    if (key === "M") { e.preventDefault(); toggleMark(q); return; }
    var pos = LETTERS.indexOf(key);
    if (pos < 0 || !key) return;
    var card = $("q-" + q.item);
    var name = q.type === "case" ? "q" + q.item + "p" + Math.min(currentPart, q.parts.length - 1) : "q" + q.item;
    var inputs = card.querySelectorAll('input[name="' + name + '"]');
    var input = inputs[pos];
    if (!input) return;
    e.preventDefault();
    if (input.type === "checkbox") input.checked = !input.checked; else input.checked = true;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // --- leaving the page (切屏) ----------------------------------------------------------------
  function leftPage() {
    if (leave.away || closed || !paperShown) return;
    leave.away = true;
    leave.unsent += 1;
    storeJSON("exam-" + attemptId + "-leaves", leave.unsent);
    sendLeaves();
  }

  function backOnPage() { leave.away = false; }

  var sendingLeave = false;
  function sendLeaves() {
    if (sendingLeave || leave.unsent <= 0 || closed) return;
    sendingLeave = true;
    saver.request("POST", urls.leave).then(function (res) {
      sendingLeave = false;
      if (res.status === 200) {
        leave.unsent -= 1;
        storeJSON("exam-" + attemptId + "-leaves", leave.unsent);
        showLeave(res.data.leave_count, res.data.leave_limit);
        if (res.data.submitted) {
          closed = true;
          saver.stop();
          storeJSON("exam-" + attemptId + "-leaves", 0);
          showError(T.leaveSubmitted);
          setTimeout(function () { window.location.href = res.data.result_url || urls.result; }, 2500);
          return;
        }
        if (leave.unsent > 0) sendLeaves();
      } else if (res.status === 409 || res.status === 425) {
        leave.unsent = 0; storeJSON("exam-" + attemptId + "-leaves", 0);
        if (res.status === 409) { closed = true; window.location.href = urls.result; }
      }
    }).catch(function () { sendingLeave = false; });
  }

  function showLeave(count, limit) {
    leave.count = count; leave.limit = limit;
    var box = $("exam-leave");
    if (!count) { box.classList.add("d-none"); return; }
    var text = limit ? fill(T.leaveCountLimit, { n: count, limit: limit }) : fill(T.leaveCount, { n: count });
    if (limit && count >= limit) text += " " + T.leaveLast;
    box.textContent = text;
    box.className = "alert " + (limit && count >= limit ? "alert-danger" : "alert-warning");
  }

  document.addEventListener("visibilitychange", function () { if (document.hidden) leftPage(); else backOnPage(); });
  window.addEventListener("blur", leftPage);
  window.addEventListener("focus", backOnPage);

  // --- loading, submitting ------------------------------------------------------------------
  function showError(text) { var e = $("exam-error"); e.textContent = text; e.classList.remove("d-none"); }

  function load() {
    saver.request("GET", urls.paper).then(function (res) {
      if (res.status === 425) {
        var wait = res.data.starts_in || 1;
        var w = $("exam-waiting"); w.classList.remove("d-none");
        w.textContent = T.waiting + " " + wait + " " + T.seconds;
        setTimeout(load, Math.min(wait, 5) * 1000);
        return;
      }
      if (res.status === 409) { window.location.href = res.data.result_url || urls.result; return; }
      if (res.status === 503 || res.status === 429 || res.status === 502 || res.status === 504) {
        // A busy server (nginx's door, load shedding): wait as told, with jitter, and ask again.
        setOnline(false);
        $("exam-connection").textContent = T.busy;
        retryLoad(Number(res.retryAfter) || Number(res.data.retry_after) || 0);
        return;
      }
      if (res.status !== 200) { showError(res.data.detail || ("HTTP " + res.status)); return; }
      if (loadFailures) { loadFailures = 0; setOnline(true); }
      $("exam-waiting").classList.add("d-none");
      var paper = res.data;
      questions = paper.questions;
      sections = paper.sections || [];
      answers = saver.adopt(paper.answers);
      syncClock(paper.seconds_left); tick();
      if (paper.leave_limit) {
        var rule = $("exam-leave-rule");
        rule.textContent = fill(T.leaveRule, { limit: paper.leave_limit });
        rule.classList.remove("d-none");
      }
      showLeave(paper.leave_count, paper.leave_limit);
      render();
      paperShown = true;
      saver.flush();
      sendLeaves();
    }).catch(function () { setOnline(false); retryLoad(0); });
  }

  // The paper's retries: max(Retry-After, 1 s) plus a random jitter of up to 2, 4, … 30 s, as
  // exam-save.js waits, so that thousands of pages do not come back in the same second.
  var loadFailures = 0;
  function retryLoad(retryAfter) {
    loadFailures += 1;
    var cap = Math.min(30, 2 * Math.pow(2, Math.min(loadFailures - 1, 5)));
    setTimeout(load, (Math.max(retryAfter || 0, 1) + Math.random() * cap) * 1000);
  }

  function finish() {
    if (closed) return;
    closed = true;
    saver.request("POST", urls.submit).then(function () { window.location.href = urls.result; })
      .catch(function () { window.location.href = urls.result; });
  }

  function jumpLinks(box, list) {
    list.forEach(function (q) {
      var a = el("a", "me-2", String(q.number));
      a.href = "#q-" + q.item;
      a.addEventListener("click", function (e) { e.preventDefault(); $("exam-confirm").classList.add("d-none"); go(questions.indexOf(q)); });
      box.appendChild(a);
    });
  }

  $("exam-review").addEventListener("click", function () {
    var missing = questions.filter(function (q) { return !isAnswered(q); });
    var marked = questions.filter(function (q) { return marks[q.item]; });
    var box = $("exam-unanswered");
    box.innerHTML = "";
    if (missing.length) { box.appendChild(document.createTextNode(T.unanswered + " ")); jumpLinks(box, missing); }
    else box.textContent = T.allAnswered;
    var mbox = $("exam-marked");
    mbox.innerHTML = "";
    if (marked.length) { mbox.appendChild(document.createTextNode(T.markedList + " ")); jumpLinks(mbox, marked); }
    $("exam-unsent").textContent = saver.pendingCount() ? T.unsent : "";
    $("exam-confirm").classList.remove("d-none");
    $("exam-confirm").scrollIntoView();
    $("exam-submit").focus();
  });
  $("exam-cancel").addEventListener("click", function () { $("exam-confirm").classList.add("d-none"); });
  $("exam-submit").addEventListener("click", function () {
    if (saver.pendingCount()) { saver.flush(); return; }
    finish();
  });
  setInterval(tick, 1000);
  load();
})();
