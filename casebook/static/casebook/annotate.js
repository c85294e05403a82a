/* Annotating a case: select a passage in a .case-text block, then save a highlight, a note or
 * an article link. Offsets are counted in characters of the block's text, exactly as the server
 * stores them (the block renders the text verbatim with white-space: pre-wrap).
 * No libraries: this runs on an offline intranet. */
(function () {
  "use strict";
  // Hovering a note lights up its passage, and the other way round.
  function toggle(id, on) {
    document.querySelectorAll("mark.ann").forEach(function (mark) {
      if ((" " + mark.dataset.ann + " ").indexOf(" " + id + " ") >= 0) mark.classList.toggle("active", on);
    });
    var note = document.getElementById("ann-" + id);
    if (note) note.classList.toggle("active", on);
  }
  document.querySelectorAll(".case-note").forEach(function (note) {
    note.addEventListener("mouseenter", function () { toggle(note.dataset.ann, true); });
    note.addEventListener("mouseleave", function () { toggle(note.dataset.ann, false); });
  });
  var form = document.getElementById("annotate-form");
  if (!form) return;
  var info = document.getElementById("annotate-selection");
  var errorBox = document.getElementById("annotate-error");
  var submit = form.querySelector("button[type=submit]");
  var current = null; // {field, start, end, quote}

  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    // Code points, not UTF-16 units: Python counts rare characters (CJK Ext. B) as one.
    return Array.from(range.toString()).length;
  }

  function readSelection() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    var startBlock = closestBlock(range.startContainer);
    var endBlock = closestBlock(range.endContainer);
    if (!startBlock || startBlock !== endBlock) return null;
    var start = offsetIn(startBlock, range.startContainer, range.startOffset);
    var end = offsetIn(startBlock, range.endContainer, range.endOffset);
    var chars = Array.from(startBlock.textContent);
    // Trim surrounding white space so the annotation starts and ends on words.
    while (start < end && /\s/.test(chars[start])) start++;
    while (end > start && /\s/.test(chars[end - 1])) end--;
    if (end <= start) return null;
    return { field: startBlock.dataset.field, start: start, end: end, quote: chars.slice(start, end).join("") };
  }

  function closestBlock(node) {
    while (node && node.nodeType !== 1) node = node.parentNode;
    return node ? node.closest(".case-text") : null;
  }

  function setField(name, value) {
    var input = form.querySelector("[name=" + name + "]");
    if (input) input.value = value;
  }

  document.addEventListener("selectionchange", function () {
    var picked = readSelection();
    if (!picked) return;
    current = picked;
    setField("field", picked.field);
    setField("start", picked.start);
    setField("end", picked.end);
    setField("quote", picked.quote);
    info.textContent = "已选：" + (picked.quote.length > 40 ? picked.quote.slice(0, 40) + "…" : picked.quote);
    submit.disabled = false;
  });

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok || !body.ok) throw new Error(body.error || ("HTTP " + response.status));
        return body;
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!current) { errorBox.textContent = "请先选中一段文字。"; return; }
    errorBox.textContent = "";
    submit.disabled = true;
    post(form.action, new FormData(form))
      .then(function () { window.location.reload(); })
      .catch(function (err) { errorBox.textContent = err.message; submit.disabled = false; });
  });

  document.querySelectorAll(".js-place").forEach(function (button) {
    button.addEventListener("mousedown", function (e) { e.preventDefault(); }); // keep the selection
    button.addEventListener("click", function () {
      var picked = readSelection() || current;
      if (!picked) { alert("请先在正文中选中新的位置。"); return; }
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      ["field", "start", "end", "quote"].forEach(function (k) { data.append(k, picked[k]); });
      post(button.dataset.url, data)
        .then(function () { window.location.reload(); })
        .catch(function (err) { alert(err.message); });
    });
  });

})();
