/* Sending the exam's answers: one small module, so that the save path's behaviour (sequence
 * numbers, local copies, retries) lives in one place.
 *
 * - Each answer is POSTed the moment it is given, with a sequence number per question
 *   (Date.now()-based, strictly increasing), so the server keeps the newest answer even when
 *   an older save arrives late.
 * - Unsent answers live in localStorage ("exam-<attempt>-pending") until the server
 *   acknowledges them; they survive a reload and are re-sent when the connection returns.
 * - A busy server answers 503 with Retry-After (core/loadshed.py): the page says the answers
 *   are kept on this computer and re-sends them after max(Retry-After, an exponential backoff)
 *   with random jitter, so thousands of pages do not all come back in the same second.
 *
 * window.ExamSave.create({attempt, saveUrl, csrf, on: {status, online, busy, closed}}) returns
 * {answer(qid, value), adopt(serverAnswers) -> merged, flush(), pendingCount(), request()}.
 * No libraries, nothing from the internet.
 */
(function () {
  "use strict";

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
    var inFlight = {};
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

    function send(qid) {
      var entry = pending[qid];
      if (!entry || inFlight[qid] || closed) return;
      inFlight[qid] = entry.seq;
      status(qid, "saving");
      request(opts.csrf, "POST", opts.saveUrl, { item: qid, response: entry.response, seq: entry.seq })
        .then(function (res) {
          delete inFlight[qid];
          if (res.status === 200) {
            failures = 0;
            if (pending[qid] && pending[qid].seq <= res.data.seq) { delete pending[qid]; store(); }
            if (!pending[qid]) status(qid, "saved"); else send(qid);
            online(true);
          } else if (res.status === 409 && res.data.error === "attempt_closed") {
            closed = true; pending = {}; store();
            if (on.closed) on.closed(res.data.detail);
          } else if (res.status === 400) {
            delete pending[qid]; store();
            status(qid, "refused", res.data.detail || "");
            online(true);
          } else if (res.status === 503 || res.status === 429) {
            status(qid, "queued");
            online(false);
            if (on.busy) on.busy();
            scheduleRetry(Number(res.retryAfter) || Number(res.data.retry_after) || 0);
          } else {
            status(qid, "queued"); scheduleRetry(); online(true);
          }
        })
        .catch(function () {
          delete inFlight[qid];
          status(qid, "queued");
          online(false);
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

    window.addEventListener("online", function () { online(true); flush(); });
    window.addEventListener("offline", function () { online(false); });
    setInterval(function () { if (Object.keys(pending).length) flush(); }, 10000);

    return {
      request: function (method, url, body) { return request(opts.csrf, method, url, body); },
      /* Give an answer: kept locally at once, sent now (or later). */
      answer: function (qid, value) {
        var seq = Math.max(Date.now(), (seqs[qid] || 0) + 1);
        seqs[qid] = seq;
        pending[qid] = { response: value, seq: seq };
        store();
        send(qid);
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
