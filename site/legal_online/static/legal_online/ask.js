/* "Search before asking": while the officer types a title, show matching articles,
   published answers and cases from the site search API. Plain DOM, no libraries;
   every text is inserted with textContent, never as HTML. If the API is missing or
   fails, say so quietly and let the officer ask. */
(function () {
  "use strict";
  var box = document.getElementById("search-before-asking");
  var input = document.querySelector("input[data-search-before-asking]");
  if (!box || !input || !window.fetch) { return; }
  var api = box.getAttribute("data-api") || "/api/search/";
  var results = box.querySelector("[data-role=results]");
  var hint = box.querySelector("[data-role=hint]");
  var unavailable = box.querySelector("[data-role=unavailable]");
  var strings = {};
  try { strings = JSON.parse(document.getElementById("lo-ask-strings").textContent); } catch (e) { strings = {}; }
  var kinds = ["article", "answer", "case"];
  var timer = null;
  var lastQuery = "";
  var controller = null;

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  // Snippets arrive as HTML with <mark>; parse them in an inert document and keep the text only.
  function plain(html) {
    try { return new DOMParser().parseFromString(String(html), "text/html").body.textContent || ""; }
    catch (e) { return String(html).replace(/<[^>]*>/g, ""); }
  }

  function itemsOf(data) {
    if (Array.isArray(data)) { return data; }
    return (data && (data.results || data.hits || data.items)) || [];
  }

  function render(items) {
    clear(results);
    var wanted = items.filter(function (it) { return !it.kind || kinds.indexOf(it.kind) !== -1; }).slice(0, 8);
    var p = document.createElement("p");
    p.className = "small mb-2";
    p.textContent = wanted.length ? (strings.found || "") : (strings.none || "");
    results.appendChild(p);
    if (!wanted.length) { return; }
    var list = document.createElement("ul");
    list.className = "list-unstyled mb-0";
    wanted.forEach(function (it) {
      var li = document.createElement("li");
      li.className = "mb-2";
      var badge = document.createElement("span");
      badge.className = "badge text-bg-light border me-1";
      badge.textContent = strings[it.kind] || it.kind || "";
      var a = document.createElement("a");
      var url = String(it.url || "");
      a.href = /^\/(?!\/)/.test(url) ? url : "#";  // only site-relative links, never //host
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = it.title || "";
      li.appendChild(badge);
      li.appendChild(a);
      if (it.kind === "answer" && typeof it.similarity === "number") {
        var score = document.createElement("span");
        score.className = "small text-muted ms-1";
        score.textContent = (strings.similarity || "") + " " + Math.round(it.similarity * 100) + "%";
        li.appendChild(score);
      }
      var snippet = it.snippet_html || it.snippet || it.body || "";
      if (snippet) {
        var s = document.createElement("div");
        s.className = "small text-muted";
        s.textContent = plain(snippet).slice(0, 120);
        li.appendChild(s);
      }
      list.appendChild(li);
    });
    results.appendChild(list);
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 2 || q === lastQuery) { return; }
    lastQuery = q;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var url = api + (api.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(q) + "&page_size=8&kind=article&kind=answer&kind=case";
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, signal: controller ? controller.signal : undefined })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) { hint.classList.add("d-none"); unavailable.classList.add("d-none"); render(itemsOf(data)); })
      .catch(function (err) {
        if (err && err.name === "AbortError") { return; }
        clear(results);
        unavailable.classList.remove("d-none");
      });
  }

  input.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(search, 350);
  });
  if (input.value) { search(); }
})();
