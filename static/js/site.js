/* Behaviours shared by every page, attached from data-* attributes so that no page needs an
 * inline <script> or on*= handler (the Content-Security-Policy forbids both; see docs/SECURITY.md).
 *
 *   <button data-print>                      prints the page
 *   <select data-autosubmit>                 submits its form when the choice changes
 *   <form data-confirm="question?">          asks before submitting
 *   [data-bs-toggle="popover"]               Bootstrap popovers
 *   <datalist data-suggest-url="..." data-suggest-for="q">  suggestions for the sibling input named q
 * No libraries beyond Bootstrap (loaded before this file), nothing from the internet.
 */
(function () {
  "use strict";

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function attach() {
    each("[data-print]", function (el) {
      el.addEventListener("click", function (event) {
        event.preventDefault();
        window.print();
      });
    });

    each("select[data-autosubmit]", function (el) {
      el.addEventListener("change", function () {
        if (el.form) { el.form.submit(); }
      });
    });

    each("form[data-confirm]", function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });

    if (window.bootstrap && window.bootstrap.Popover) {
      each('[data-bs-toggle="popover"]', function (el) { new window.bootstrap.Popover(el); });
    }

    each("datalist[data-suggest-url]", function (list) {
      var name = list.getAttribute("data-suggest-for");
      var input = list.parentNode.querySelector('input[name="' + name + '"]');
      if (!input) { return; }
      var url = list.getAttribute("data-suggest-url");
      input.setAttribute("list", list.id);
      input.setAttribute("autocomplete", "off");
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        var q = input.value.trim();
        if (q.length < 2) { list.textContent = ""; return; }
        timer = setTimeout(function () {
          fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : { results: [] }; })
            .then(function (data) {
              list.textContent = "";
              (data.results || []).forEach(function (item) {
                var opt = document.createElement("option");
                opt.value = item.title;
                list.appendChild(opt);
              });
            })
            .catch(function () { /* suggestions are a convenience; typing still works */ });
        }, 150);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attach);
  } else {
    attach();
  }
})();
