/* Exam page: fetch the paper, save every answer at once, survive a lost connection.
 *
 * - Each answer is POSTed the moment it is given, with a sequence number per question
 *   (Date.now()-based, strictly increasing), so the server keeps the newest answer even when
 *   an older save arrives late.
 * - Unsent answers live in localStorage ("exam-<attempt>-pending") until the server
 *   acknowledges them; they survive a reload and are re-sent when the connection returns.
 * - The countdown comes from the server (seconds_left); at zero the page submits, and the
 *   server closes the attempt by itself anyway.
 * - A busy server answers 503 with Retry-After (core/loadshed.py): the page says the answers
 *   are kept on this computer and re-sends them after max(Retry-After, an exponential backoff)
 *   with random jitter, so thousands of pages do not all come back in the same second.
 * No libraries, nothing from the internet.
 */
(function () {
  "use strict";
  var app = document.getElementById("exam-app");
  if (!app) return;
  var textEl = document.getElementById("exam-text");
  var T = textEl ? Object.assign({}, textEl.dataset) : {};
  var urls = {
    paper: app.dataset.paperUrl, save: app.dataset.saveUrl,
    submit: app.dataset.submitUrl, result: app.dataset.resultUrl
  };
  var storeKey = "exam-" + app.dataset.attempt + "-pending";
  var csrf = app.querySelector("input[name=csrfmiddlewaretoken]").value;
  var questions = [];
  var answers = {};      // qid -> response (what the page shows)
  var seqs = {};         // qid -> last seq used
  var pending = loadPending();
  var inFlight = {};
  var deadlineAt = null; // performance.now() based
  var online = true;
  var retryTimer = null;
  var failures = 0;      // consecutive failed sends: the backoff grows with them
  var closed = false;

  function $(id) { return document.getElementById(id); }

  function loadPending() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function storePending() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode: memory only */ }
  }

  function request(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        return { status: r.status, data: data, retryAfter: r.headers.get("Retry-After") };
      });
    });
  }

  function setOnline(value) {
    online = value;
    var badge = $("exam-connection");
    badge.textContent = value ? T.online : T.offline;
    badge.className = "badge " + (value ? "text-bg-success" : "text-bg-danger");
    var n = Object.keys(pending).length;
    $("exam-offline").classList.toggle("d-none", value && n === 0 || value);
    $("exam-pending").textContent = n ? "(" + n + ")" : "";
  }

  function syncClock(secondsLeft) {
    deadlineAt = performance.now() + secondsLeft * 1000;
  }

  function tick() {
    if (deadlineAt === null || closed) return;
    var left = Math.max(0, Math.round((deadlineAt - performance.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    $("exam-countdown").textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    if (left === 0) { finish(); }
  }

  function status(qid, text, cls) {
    var el = document.querySelector('[data-status-for="' + qid + '"]');
    if (el) { el.textContent = text; el.className = "save-status small ms-2 " + (cls || ""); }
  }

  function progress() {
    var done = questions.filter(function (q) { return isAnswered(q, answers[q.item]); }).length;
    $("exam-progress").textContent = T.answered + " " + done + " / " + T.of + " " + questions.length;
  }

  function isAnswered(q, value) {
    if (value === null || value === undefined || value === "") return false;
    if (Array.isArray(value)) return value.some(function (v) { return v; });
    return true;
  }

  function send(qid) {
    var entry = pending[qid];
    if (!entry || inFlight[qid] || closed) return;
    inFlight[qid] = entry.seq;
    status(qid, T.saving, "text-muted");
    request("POST", urls.save, { item: qid, response: entry.response, seq: entry.seq })
      .then(function (res) {
        delete inFlight[qid];
        if (res.status === 200) {
          failures = 0;
          setOnline(true);
          if (pending[qid] && pending[qid].seq <= res.data.seq) { delete pending[qid]; storePending(); }
          if (!pending[qid]) status(qid, "✓ " + T.saved, "text-success"); else send(qid);
        } else if (res.status === 409 && res.data.error === "attempt_closed") {
          closed = true; pending = {}; storePending();
          showError(res.data.detail || T.closed);
          setTimeout(function () { window.location.href = urls.result; }, 2500);
        } else if (res.status === 400) {
          delete pending[qid]; storePending();
          status(qid, T.refused + (res.data.detail || ""), "text-danger");
        } else if (res.status === 503 || res.status === 429) {
          setOnline(false);
          $("exam-connection").textContent = T.busy || T.offline;
          status(qid, T.queued, "text-warning");
          scheduleRetry(Number(res.retryAfter) || Number(res.data.retry_after) || 0);
          return;
        } else {
          status(qid, T.queued, "text-warning"); scheduleRetry();
        }
        setOnline(online);
      })
      .catch(function () {
        delete inFlight[qid];
        setOnline(false);
        status(qid, T.queued, "text-warning");
        scheduleRetry();
      });
  }

  function flush() { Object.keys(pending).forEach(send); }
  // Full jitter over an exponential backoff (2 s, 4 s, ... at most 60 s), never sooner than
  // the server's Retry-After.
  function scheduleRetry(retryAfter) {
    if (retryTimer) return;
    failures += 1;
    var cap = Math.min(60, 2 * Math.pow(2, Math.min(failures - 1, 5)));
    var wait = Math.max(retryAfter || 0, 1) + Math.random() * cap;
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, wait * 1000);
  }

  function answer(qid, value) {
    answers[qid] = value;
    var seq = Math.max(Date.now(), (seqs[qid] || 0) + 1);
    seqs[qid] = seq;
    pending[qid] = { response: value, seq: seq };
    storePending();
    progress();
    send(qid);
  }

  function optionInputs(name, type, options, checked, onChange) {
    var wrap = document.createElement("div");
    options.forEach(function (opt) {
      var id = name + "-" + opt.key;
      var div = document.createElement("div");
      div.className = "form-check my-1";
      var input = document.createElement("input");
      input.className = "form-check-input"; input.type = type; input.name = name; input.id = id; input.value = opt.key;
      input.checked = checked.indexOf(opt.key) >= 0;
      input.addEventListener("change", onChange);
      var label = document.createElement("label");
      label.className = "form-check-label"; label.htmlFor = id; label.textContent = opt.text;
      div.appendChild(input); div.appendChild(label); wrap.appendChild(div);
    });
    return wrap;
  }

  function selected(container, name) {
    return Array.prototype.map.call(container.querySelectorAll('input[name="' + name + '"]:checked'), function (i) { return i.value; });
  }

  function renderQuestion(q, sections) {
    var card = document.createElement("section");
    card.className = "card mb-3"; card.id = "q-" + q.item;
    var body = document.createElement("div"); body.className = "card-body";
    var head = document.createElement("div"); head.className = "d-flex flex-wrap align-items-baseline mb-2";
    var title = document.createElement("h2"); title.className = "h6 mb-0";
    title.textContent = q.number + ". [" + q.type_label + "] (" + q.points + " " + T.points + ")";
    var st = document.createElement("span"); st.setAttribute("data-status-for", q.item); st.className = "save-status small ms-2";
    head.appendChild(title); head.appendChild(st); body.appendChild(head);
    var stem = document.createElement("p"); stem.className = "question-stem"; stem.textContent = q.stem; body.appendChild(stem);
    var current = answers[q.item];
    if (q.type === "case") {
      var values = Array.isArray(current) ? current.slice() : q.parts.map(function () { return null; });
      q.parts.forEach(function (part, i) {
        var pdiv = document.createElement("div"); pdiv.className = "ms-2 mb-2";
        var pstem = document.createElement("p"); pstem.className = "mb-1";
        pstem.textContent = "(" + (i + 1) + ") [" + part.type_label + "] " + part.stem;
        pdiv.appendChild(pstem);
        var name = "q" + q.item + "p" + i;
        var type = part.type === "multiple" ? "checkbox" : "radio";
        var chosen = values[i] ? values[i].split("") : [];
        pdiv.appendChild(optionInputs(name, type, part.options, chosen, function () {
          var sel = selected(card, name);
          values[i] = sel.length ? sel.sort().join("") : null;
          answer(q.item, values.slice());
        }));
        body.appendChild(pdiv);
      });
    } else {
      var name = "q" + q.item;
      var type = q.type === "multiple" ? "checkbox" : "radio";
      var chosen = current ? String(current).split("") : [];
      body.appendChild(optionInputs(name, type, q.options, chosen, function () {
        var sel = selected(card, name);
        answer(q.item, sel.length ? sel.sort().join("") : null);
      }));
    }
    card.appendChild(body);
    return card;
  }

  function render(paper) {
    var box = $("exam-questions");
    box.innerHTML = "";
    var lastSection = -1;
    paper.questions.forEach(function (q) {
      if (q.section !== lastSection) {
        lastSection = q.section;
        var h = document.createElement("h2"); h.className = "h5 mt-4";
        h.textContent = paper.sections[q.section] || "";
        box.appendChild(h);
      }
      box.appendChild(renderQuestion(q));
    });
    Object.keys(pending).forEach(function (qid) { status(qid, T.queued, "text-warning"); });
  }

  function showError(text) { var e = $("exam-error"); e.textContent = text; e.classList.remove("d-none"); }

  function load() {
    request("GET", urls.paper).then(function (res) {
      if (res.status === 425) {
        var wait = res.data.starts_in || 1;
        var w = $("exam-waiting"); w.classList.remove("d-none");
        w.textContent = T.waiting + " " + wait + " " + T.seconds;
        setTimeout(load, Math.min(wait, 5) * 1000);
        return;
      }
      if (res.status === 409) { window.location.href = res.data.result_url || urls.result; return; }
      if (res.status !== 200) { showError(res.data.detail || ("HTTP " + res.status)); return; }
      $("exam-waiting").classList.add("d-none");
      var paper = res.data;
      questions = paper.questions;
      Object.keys(paper.answers).forEach(function (qid) {
        answers[qid] = paper.answers[qid].response; seqs[qid] = paper.answers[qid].seq;
      });
      // Local answers not yet acknowledged win over older server copies.
      Object.keys(pending).forEach(function (qid) {
        if (!seqs[qid] || pending[qid].seq > seqs[qid]) { answers[qid] = pending[qid].response; seqs[qid] = pending[qid].seq; }
        else { delete pending[qid]; }
      });
      storePending();
      syncClock(paper.seconds_left); tick();
      render(paper); progress(); flush();
    }).catch(function () { setOnline(false); setTimeout(load, 3000); });
  }

  function finish() {
    if (closed) return;
    closed = true;
    request("POST", urls.submit).then(function () { window.location.href = urls.result; })
      .catch(function () { window.location.href = urls.result; });
  }

  $("exam-review").addEventListener("click", function () {
    var missing = questions.filter(function (q) { return !isAnswered(q, answers[q.item]); });
    var box = $("exam-unanswered");
    box.innerHTML = "";
    if (missing.length) {
      box.appendChild(document.createTextNode(T.unanswered + " "));
      missing.forEach(function (q) {
        var a = document.createElement("a"); a.href = "#q-" + q.item; a.textContent = q.number; a.className = "me-2";
        box.appendChild(a);
      });
    } else { box.textContent = T.allAnswered; }
    $("exam-unsent").textContent = Object.keys(pending).length ? T.unsent : "";
    $("exam-confirm").classList.remove("d-none");
    $("exam-confirm").scrollIntoView();
  });
  $("exam-cancel").addEventListener("click", function () { $("exam-confirm").classList.add("d-none"); });
  $("exam-submit").addEventListener("click", function () {
    if (Object.keys(pending).length) { flush(); return; }
    finish();
  });
  window.addEventListener("online", function () { setOnline(true); flush(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(tick, 1000);
  setInterval(function () { if (Object.keys(pending).length) flush(); }, 10000);
  load();
})();
