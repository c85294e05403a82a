/* Sending the exam's answers: one small module, so that the save path's behaviour (sequence
 * numbers, local copies, one request at a time, retries) lives in one place.
 *
 * - Each answer gets a sequence number per question (Date.now()-based, strictly increasing),
 *   so the server keeps the newest answer even when an older save arrives late.
 * - Unsent answers live in localStorage ("exam-<attempt>-pending") until the server
 *   acknowledges them; they survive a reload and are re-sent when the connection returns.
 * - One request at a time per page. An answer given while a request is on its way waits for
 *   it; whatever has piled up then goes in ONE request (answers/batch/, at most 200 answers).
 *   Normally that is one answer per request, sent at once; when the server is slow or busy the
 *   page's requests do not multiply with its answers, so a busy server is asked for one
 *   request per officer, not one per answer.
 * - A busy server answers 503 with Retry-After (nginx's connection limit, core/loadshed.py):
 *   the page says the answers are kept on this computer and re-sends them after
 *   max(Retry-After, 1 s) plus a random jitter over an exponential backoff (2, 4, … 30 s), so
 *   thousands of pages do not all come back in the same second.
 *
 * window.ExamSave.create({attempt, saveUrl, saveBatchUrl, csrf, on: {status, online, busy, closed}})
 * returns {answer(qid, value), adopt(serverAnswers) -> merged, flush(), pendingIds(),
 * pendingCount(), request(), stop()}. No libraries, nothing from the internet.
 */
(function () {
  "use strict";

  var BATCH_MAX = 200;     // questions.exams.services.SAVE_BATCH_MAX
  var BACKOFF_CAP = 30;    // seconds: the longest random part of one wait

  function request(csrf, method, url, body) {
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

  function create(opts) {
    var on = opts.on || {};
    var storeKey = "exam-" + opts.attempt + "-pending";
    var pending = load();
    var seqs = {};
    var sending = null;    // {qid: seq} of the request on its way, or null
    var retryTimer = null;
    var failures = 0;      // consecutive failed sends: the backoff grows with them
    var closed = false;

    function load() {
      try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
    }
    function store() {
      try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode: memory only */ }
    }
    function status(qid, state, detail) { if (on.status) on.status(qid, state, detail); }
    function online(value) { if (on.online) on.online(value, Object.keys(pending).length); }
    function each(sent, fn) { Object.keys(sent).forEach(fn); }

    // The server's word on one answer we sent: drop it from pending unless a newer one is waiting.
    function acknowledged(qid, serverSeq) {
      if (pending[qid] && pending[qid].seq <= serverSeq) delete pending[qid];
      if (!pending[qid]) status(qid, "saved");
    }
    function refused(qid, sentSeq, detail) {
      if (pending[qid] && pending[qid].seq === sentSeq) delete pending[qid];
      status(qid, "refused", detail || "");
    }

    function pump() {
      if (sending || closed || retryTimer) return;
      var ids = Object.keys(pending).slice(0, BATCH_MAX);
      if (!ids.length) return;
      var sent = {};
      ids.forEach(function (qid) { sent[qid] = pending[qid].seq; status(qid, "saving"); });
      sending = sent;
      var single = ids.length === 1;
      var body = single
        ? { item: ids[0], response: pending[ids[0]].response, seq: pending[ids[0]].seq }
        : { answers: ids.map(function (qid) { return { item: qid, response: pending[qid].response, seq: pending[qid].seq }; }) };
      request(opts.csrf, "POST", single ? opts.saveUrl : opts.saveBatchUrl, body)
        .then(function (res) {
          sending = null;
          if (res.status === 200) {
            failures = 0;
            var results = single ? [res.data] : (res.data.results || []);
            results.forEach(function (r) {
              if (!r || !(r.item in sent)) return;
              if (r.error) refused(r.item, sent[r.item], r.detail);
              else acknowledged(r.item, r.seq);
            });
            store();
            online(true);
            pump();  // answers given meanwhile
          } else if (res.status === 409 && res.data.error === "attempt_closed") {
            closed = true; pending = {}; store();
            if (on.closed) on.closed(res.data.detail);
          } else if (res.status === 400) {
            each(sent, function (qid) { refused(qid, sent[qid], res.data.detail); });
            store();
            online(true);
            pump();
          } else if (res.status === 503 || res.status === 429) {
            each(sent, function (qid) { status(qid, "queued"); });
            online(false);
            if (on.busy) on.busy();
            scheduleRetry(Number(res.retryAfter) || Number(res.data.retry_after) || 0);
          } else {
            each(sent, function (qid) { status(qid, "queued"); });
            scheduleRetry(); online(true);
          }
        })
        .catch(function () {
          each(sent, function (qid) { status(qid, "queued"); });
          sending = null;
          online(false);
          scheduleRetry();
        });
    }

    // Send now (the officer asked: submit, a reload of the paper), even during a backoff.
    function flush() {
      if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
      pump();
    }
    // Full jitter over an exponential backoff, never sooner than the server's Retry-After.
    function scheduleRetry(retryAfter) {
      if (retryTimer) return;
      failures += 1;
      var cap = Math.min(BACKOFF_CAP, 2 * Math.pow(2, Math.min(failures - 1, 5)));
      var wait = Math.max(retryAfter || 0, 1) + Math.random() * cap;
      retryTimer = setTimeout(function () { retryTimer = null; pump(); }, wait * 1000);
    }

    window.addEventListener("online", function () {
      online(true);
      if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
      pump();
    });
    window.addEventListener("offline", function () { online(false); });
    setInterval(function () { if (Object.keys(pending).length) pump(); }, 10000);

    return {
      request: function (method, url, body) { return request(opts.csrf, method, url, body); },
      /* Give an answer: kept locally at once, sent now (or with the next request). */
      answer: function (qid, value) {
        var seq = Math.max(Date.now(), (seqs[qid] || 0) + 1);
        seqs[qid] = seq;
        pending[qid] = { response: value, seq: seq };
        store();
        status(qid, retryTimer ? "queued" : "saving");
        pump();
      },
      /* The server's saved answers {qid: {response, seq}}; local answers not yet acknowledged
       * win over older server copies. Returns {qid: response} for the page to show. */
      adopt: function (serverAnswers) {
        var shown = {};
        Object.keys(serverAnswers).forEach(function (qid) {
          shown[qid] = serverAnswers[qid].response; seqs[qid] = serverAnswers[qid].seq;
        });
        Object.keys(pending).forEach(function (qid) {
          if (!seqs[qid] || pending[qid].seq > seqs[qid]) { shown[qid] = pending[qid].response; seqs[qid] = pending[qid].seq; }
          else { delete pending[qid]; }
        });
        store();
        return shown;
      },
      flush: flush,
      pendingIds: function () { return Object.keys(pending); },
      pendingCount: function () { return Object.keys(pending).length; },
      stop: function () { closed = true; }
    };
  }

  window.ExamSave = { create: create, request: request };
})();
