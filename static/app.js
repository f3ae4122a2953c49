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

  // Defence in depth: htmx sends a request that changes something only for the user's own
  // gesture (a trusted click, submit, change or key press), never for a `load`, `revealed`
  // or polling trigger nor for an event a script raised, whatever markup asked for it.
  document.addEventListener("htmx:confirm", function (event) {
    if (event.detail.verb === "get") return;
    var cause = event.detail.triggeringEvent;
    if (!cause || !cause.isTrusted) event.preventDefault();
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

  // Meeting-mode polling revalidates: the server answers 304 while the matrix is unchanged,
  // and an unchanged matrix is not swapped (nothing flickers, focus stays).
  var pollValidators = {};
  function pollKey(elt) {
    return elt && elt.hasAttribute && elt.hasAttribute("data-poll") ? elt.getAttribute("data-hx-get") : null;
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var key = pollKey(event.detail.elt);
    if (key && pollValidators[key]) event.detail.headers["If-None-Match"] = pollValidators[key];
  });
  // Before the swap (dispatched on the target): afterwards the polling element is detached.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var key = pollKey(event.detail.requestConfig && event.detail.requestConfig.elt);
    var validator = event.detail.xhr && event.detail.xhr.getResponseHeader("ETag");
    if (key && validator) pollValidators[key] = validator;
    if (event.detail.xhr && event.detail.xhr.status === 304) event.detail.shouldSwap = false;
  });

  // A failed htmx request is never silent. The app's htmx config swaps no 4xx/5xx answer
  // but 409 and 422, so what the user typed stays; this says, at the top of the form (or
  // region) that sent the request, in the page's language, why nothing was saved.
  var REGION_TAGS = /^(TABLE|THEAD|TBODY|TFOOT|TR|UL|OL|DL|SELECT)$/;

  function requestErrorTexts() {
    try {
      return JSON.parse(document.body.getAttribute("data-request-errors") || "{}");
    } catch (error) {
      return {};
    }
  }

  // The form that sent the request, else the region it was to update, else where it sits.
  function errorHost(detail) {
    var elt = detail.elt;
    var form = elt && elt.closest ? elt.closest("form") : null;
    if (form && document.contains(form)) return form;
    var target = detail.target;
    if (target && document.contains(target)) return target;
    return elt && elt.parentNode && document.contains(elt) ? elt.parentNode : document.getElementById("main");
  }

  function serverError(xhr) {
    if (!xhr || !xhr.responseText || !window.DOMParser) return null;
    try {
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      return page.querySelector("[data-error-message]");
    } catch (error) {
      return null;
    }
  }

  function errorText(detail) {
    var texts = requestErrorTexts();
    var xhr = detail.xhr;
    var status = xhr ? xhr.status : 0;
    var reading = !detail.requestConfig || (detail.requestConfig.verb || "get") === "get";
    var server = status ? serverError(xhr) : null;
    var serverText = server ? server.textContent.trim() : "";
    if (!status || status >= 500) return { text: reading ? texts.load_failed : texts.failed };
    if (server && server.getAttribute("data-error-kind") === "session") {
      return { text: texts.session, login: true };
    }
    if (status === 429) {
      var seconds = parseInt(xhr.getResponseHeader("Retry-After") || "", 10);
      return { text: seconds > 0 ? texts.rate.replace("{seconds}", String(seconds)) : texts.rate_unknown };
    }
    if (status === 413) return { text: texts.too_large };
    if (status === 403 && !reading) return { text: texts.forbidden };
    return { text: serverText || (reading ? texts.load_failed : texts.failed) };
  }

  function clearRequestError(host) {
    if (!host) return;
    for (var i = host.children.length - 1; i >= 0; i--) {
      if (host.children[i].hasAttribute("data-request-error")) host.removeChild(host.children[i]);
    }
    var before = host.previousElementSibling;
    if (before && before.hasAttribute("data-request-error")) before.parentNode.removeChild(before);
  }

  function showRequestError(event) {
    var detail = event.detail || {};
    var host = errorHost(detail);
    if (!host) return;
    var texts = requestErrorTexts();
    var outcome = errorText(detail);
    clearRequestError(host);
    var message = document.createElement("p");
    message.className = "request-error";
    message.setAttribute("role", "alert");
    message.setAttribute("data-request-error", "");
    message.appendChild(document.createTextNode(outcome.text || texts.failed || ""));
    if (outcome.login && texts.login_url) {
      message.appendChild(document.createTextNode(" "));
      var login = document.createElement("a");
      login.href = texts.login_url;
      login.target = "_blank";
      login.rel = "noopener";
      login.textContent = texts.login;
      message.appendChild(login);
    }
    // A table, list or select cannot hold a paragraph: the message goes just before it.
    if (REGION_TAGS.test(host.tagName)) host.parentNode.insertBefore(message, host);
    else host.insertBefore(message, host.firstChild);
  }

  document.addEventListener("htmx:responseError", showRequestError);
  document.addEventListener("htmx:sendError", showRequestError);
  document.addEventListener("htmx:timeout", showRequestError);
  // The next request from the same form or region that succeeds takes the message away.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail && event.detail.successful === true) clearRequestError(errorHost(event.detail));
  });

  // Matrix cells: one delegated handler shows a cell's details on hover, focus and click.
  // The cell holds only its status; the row holds the sub-goal and the years its user may
  // edit, the table the URL patterns and the labels.
  var details = null;
  var detailsOwner = null;
  var pinned = false;
  var quiet = false;

  function matrixCell(target) {
    var button = target && target.closest && target.closest("table.matrix td > button");
    return button || null;
  }

  function paragraph(parent, text, className) {
    var p = document.createElement("p");
    if (className) p.className = className;
    p.textContent = text;
    parent.appendChild(p);
    return p;
  }

  function link(parent, href, text, context) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + context;
    a.appendChild(hidden);
    parent.appendChild(a);
    return a;
  }

  function fillDetails(button) {
    var td = button.parentNode;
    var tr = td.parentNode;
    var table = tr.closest("table.matrix");
    var labels = JSON.parse(table.getAttribute("data-labels") || "{}");
    var index = Array.prototype.indexOf.call(tr.children, td);
    var year = table.tHead.rows[0].cells[index].textContent.trim();
    // A row that follows a line shows earlier sub-goals' years: such a cell names its own.
    var subGoal = td.getAttribute("data-sg") || tr.getAttribute("data-sg");
    var goal = tr.querySelector(".col-goal").textContent.trim();
    var boards = tr.querySelector(".col-board").textContent.trim();
    details.textContent = "";
    paragraph(details, goal + ", " + year, "cell-details-goal");
    paragraph(details, button.textContent.trim(), "cell-details-status");
    var reason = button.getAttribute("data-d");
    if (reason) paragraph(details, labels.reason + " " + ((labels.deviations || {})[reason] || reason));
    var change = button.getAttribute("data-changed");
    if (change) paragraph(details, change, "cell-details-change");
    paragraph(details, labels.boards + " " + boards);
    if ((" " + (tr.getAttribute("data-locked") || "") + " ").indexOf(" " + year + " ") >= 0) {
      paragraph(details, labels.locked, "cell-details-locked");
    }
    var actions = paragraph(details, "", "cell-details-links");
    var pattern = function (url) { return url.replace("111111111", subGoal).replace("9999", year); };
    var context = tr.querySelector(".col-goal .code").textContent.trim() + " " + year;
    link(actions, pattern(table.getAttribute("data-show-url")), labels.show, context);
    var editable = (" " + (tr.getAttribute("data-edit") || "") + " ").indexOf(" " + year + " ") >= 0;
    if (editable && table.hasAttribute("data-edit-url")) {
      var url = pattern(table.getAttribute("data-edit-url"));
      var edit = link(actions, url, labels.edit, context);
      edit.className = "edit-link";
      edit.id = "edit-" + subGoal + "-" + year;
      edit.setAttribute("data-hx-get", url);
      edit.setAttribute("data-hx-target", "#editor");
      edit.setAttribute("data-hx-swap", "innerHTML");
      if (window.htmx) window.htmx.process(edit);
    }
  }

  function showDetails(button, pin) {
    if (!details) {
      details = document.createElement("div");
      details.id = "cell-details";
      details.className = "cell-details";
    }
    if (detailsOwner && detailsOwner !== button) detailsOwner.setAttribute("aria-expanded", "false");
    detailsOwner = button;
    pinned = pin;
    fillDetails(button);
    button.insertAdjacentElement("afterend", details);
    button.setAttribute("aria-expanded", pin ? "true" : "false");
    button.setAttribute("aria-controls", "cell-details");
    button.setAttribute("aria-describedby", "cell-details");
  }

  function hideDetails(returnFocus) {
    if (!details || !details.parentNode) return;
    var owner = detailsOwner;
    details.parentNode.removeChild(details);
    pinned = false;
    detailsOwner = null;
    if (owner) {
      owner.setAttribute("aria-expanded", "false");
      owner.removeAttribute("aria-describedby");
      if (returnFocus) {
        quiet = true;  // back on the cell after Escape: no details until it is left
        owner.focus();
        quiet = false;
      }
    }
  }

  document.addEventListener("click", function (event) {
    var button = matrixCell(event.target);
    if (button) {
      if (pinned && detailsOwner === button) hideDetails(false);
      else showDetails(button, true);
      return;
    }
    if (pinned && details && !details.contains(event.target)) hideDetails(false);
  });
  document.addEventListener("focusin", function (event) {
    var button = matrixCell(event.target);
    if (quiet) return;
    if (button && !(pinned && detailsOwner === button)) showDetails(button, false);
    else if (!button && details && !details.contains(event.target) && !pinned) hideDetails(false);
  });
  document.addEventListener("mouseover", function (event) {
    var button = matrixCell(event.target);
    if (button && !pinned && detailsOwner !== button) showDetails(button, false);
  });
  document.addEventListener("mouseout", function (event) {
    if (pinned || !detailsOwner) return;
    var td = detailsOwner.parentNode;
    if (td.contains(event.target) && !td.contains(event.relatedTarget) && document.activeElement !== detailsOwner) {
      hideDetails(false);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !detailsOwner) return;
    if (detailsOwner.parentNode.contains(document.activeElement)) hideDetails(true);
  });
})();
