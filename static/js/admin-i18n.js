/* Translates admin strings that Wagtail's bundled date/time picker writes into the DOM in
   English ("Save Selected" in the picker's hidden dialogs). The translation comes from the
   admin's JavaScript catalogue (locale/zh_Hans/LC_MESSAGES/djangojs.po). */
(function () {
  "use strict";
  if (typeof window.gettext !== "function") {
    return;
  }
  var label = window.gettext("Save Selected");
  if (label === "Save Selected") {
    return; // English, or no translation
  }
  function translate(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll(".xdsoft_save_selected") : [];
    for (var i = 0; i < buttons.length; i += 1) {
      if (buttons[i].textContent !== label) {
        buttons[i].textContent = label;
      }
    }
  }
  function start() {
    translate(document);
    new MutationObserver(function (mutations) {
      for (var i = 0; i < mutations.length; i += 1) {
        for (var j = 0; j < mutations[i].addedNodes.length; j += 1) {
          var node = mutations[i].addedNodes[j];
          if (node.nodeType === 1) {
            translate(node.parentNode || node);
          }
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
