/* Exam form in the Wagtail admin: while staff choose, show how many officers the chosen units
 * and officers admit, and how many active bank questions each blueprint section can draw from.
 * The figures come from two staff-only JSON endpoints; the server checks again on save. */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function chosen(name) {
    var out = [];
    document.querySelectorAll('[name="' + name + '"]').forEach(function (el) {
      if (el.tagName === "SELECT") {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { if (o.value) out.push(o.value); });
      } else if ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value) {
        out.push(el.value);
      }
    });
    return out;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  // --- eligible officers ------------------------------------------------------------------
  var box = document.querySelector("[data-exam-eligible-count]");
  if (box) {
    var text = box.querySelector(".exam-eligible-text");
    var timer = null;
    var refresh = function () {
      var params = new URLSearchParams();
      chosen("eligible_units").forEach(function (v) { params.append("unit", v); });
      chosen("eligible_officers").forEach(function (v) { params.append("officer", v); });
      getJSON(box.dataset.url + "?" + params.toString())
        .then(function (data) { text.textContent = fill(box.dataset.text, { n: data.count }); })
        .catch(function () { text.textContent = box.dataset.error; });
    };
    document.addEventListener("change", function (e) {
      var name = e.target && e.target.name;
      if (name === "eligible_units" || name === "eligible_officers") {
        clearTimeout(timer); timer = setTimeout(refresh, 250);
      }
    });
    refresh();
  }

  // --- available questions per blueprint section ------------------------------------------
  var conf = document.querySelector("[data-exam-section-count-url]");
  if (!conf) return;
  var FIELDS = ["qtype", "law", "chapter", "knowledge_point", "difficulty_min", "difficulty_max", "count"];

  function field(prefix, name) { return document.querySelector('[name="' + prefix + "-" + name + '"]'); }

  function showFor(prefix) {
    var countInput = field(prefix, "count");
    if (!countInput || /__prefix__/.test(prefix)) return;
    var params = new URLSearchParams();
    var kind = document.querySelector('[name="kind"]');
    if (kind) params.set("kind", kind.value);
    FIELDS.forEach(function (n) { var el = field(prefix, n); if (el) params.set(n, el.value); });
    var note = document.getElementById(prefix + "-available");
    if (!note) {
      note = document.createElement("p");
      note.id = prefix + "-available";
      note.className = "help exam-section-available";
      note.setAttribute("aria-live", "polite");
      countInput.insertAdjacentElement("afterend", note);
    }
    getJSON(conf.dataset.examSectionCountUrl + "?" + params.toString()).then(function (data) {
      var need = parseInt(countInput.value, 10) || 0;
      note.textContent = fill(conf.dataset.text, { n: data.available, need: need }) +
        (data.available < need ? " " + conf.dataset.short : "");
      note.classList.toggle("error-message", data.available < need);
    }).catch(function () { note.textContent = ""; });
  }

  function prefixOf(el) {
    var m = el && el.name && el.name.match(/^(sections-\d+)-(\w+)$/);
    return m && FIELDS.indexOf(m[2]) >= 0 ? m[1] : null;
  }

  function all() {
    document.querySelectorAll('[name^="sections-"][name$="-count"]').forEach(function (el) {
      var p = prefixOf(el); if (p) showFor(p);
    });
  }

  document.addEventListener("change", function (e) {
    if (e.target && e.target.name === "kind") { all(); return; }
    var p = prefixOf(e.target); if (p) showFor(p);
  });
  all();
})();
