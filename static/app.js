// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // After an htmx swap, move focus to the element the server marked, so keyboard and
  // screen-reader users continue where the change happened, and announce it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var focus = target.querySelector("[data-focus-after-swap]") ||
      (target.matches("[data-focus-after-swap]") ? target : null);
    if (focus) {
      if (!focus.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(focus.tagName)) {
        focus.setAttribute("tabindex", "-1");
      }
      focus.focus();
    }
    var announce = target.querySelector("[data-announce]") ||
      (target.matches("[data-announce]") ? target : null);
    var live = document.getElementById("live-region");
    if (announce && live) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = announce.getAttribute("data-announce"); }, 50);
    }
  });

  // Elements with data-auto-submit submit their form on change (filters without a button press).
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-auto-submit]");
    if (form && window.htmx) {
      window.htmx.trigger(form, "submit");
    }
  });
})();
