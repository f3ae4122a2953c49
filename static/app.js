// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  var lastEditLink = null;

  function announce(text) {
    var live = document.getElementById("live-region");
    if (!live || !text) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  // After an htmx swap, move focus to the element the server marked, so keyboard and
  // screen-reader users continue where the change happened, and announce the outcome.
  document.addEventListener("htmx:afterSettle", function () {
    var focus = document.querySelector("[data-focus-after-swap]");
    if (focus) {
      focus.removeAttribute("data-focus-after-swap");
      if (!focus.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(focus.tagName)) {
        focus.setAttribute("tabindex", "-1");
      }
      focus.focus();
    }
    var message = document.querySelector("[data-announce]");
    if (message) {
      announce(message.getAttribute("data-announce"));
      message.removeAttribute("data-announce");
    }
    // A finished edit closes the panel; the message lives on in the live region.
    var done = document.querySelector(".editor-panel [data-editor-done]");
    if (done) done.closest(".editor-panel").innerHTML = "";
  });

  // Remember which edit link opened the editor panel, to return focus there on cancel.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    if (source && source.classList && source.classList.contains("edit-link")) {
      lastEditLink = source.id;
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-close-editor]");
    var panel = document.querySelector(".editor-panel");
    if (!cancel || !panel || !panel.contains(cancel)) return;
    event.preventDefault();
    panel.innerHTML = "";
    var back = lastEditLink && document.getElementById(lastEditLink);
    if (back) back.focus();
  });

  // Escape closes the editor panel too.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var panel = document.querySelector(".editor-panel");
    if (!panel || !panel.contains(document.activeElement)) return;
    panel.innerHTML = "";
    var back = lastEditLink && document.getElementById(lastEditLink);
    if (back) back.focus();
  });
})();
