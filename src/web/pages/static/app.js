// NySoL's own script: only improvements, every page works without it.
// - Autosave: every textarea with data-draft-key is saved to the server (POST /drafts) a moment after the last
//   keystroke, and when the page is left; the page shows the saved text again until the form is saved.
// - Ctrl+Enter (or Cmd+Enter) in a text field submits its form, so a report is registered without leaving the
//   keyboard's home row.
// - The print button on the decision letter.
(function () {
  "use strict";
  var DELAY_MS = 800;

  function csrfToken() {
    var headers = document.body.getAttribute("hx-headers");
    if (!headers) return "";
    try { return JSON.parse(headers)["X-CSRF-Token"] || ""; } catch (e) { return ""; }
  }

  function statusOf(textarea) {
    var next = textarea.nextElementSibling;
    return next && next.classList.contains("draft-status") ? next : null;
  }

  function save(textarea, keepalive) {
    var body = new URLSearchParams();
    body.set("key", textarea.dataset.draftKey);
    body.set("text", textarea.value);
    body.set("_csrf", csrfToken());
    var status = statusOf(textarea);
    textarea.dataset.savedValue = textarea.value;
    return fetch("/drafts", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-CSRF-Token": csrfToken() }
    }).then(function (response) {
      if (!status) return;
      if (response.ok) {
        var now = new Date();
        status.textContent = "Utkast sparat " + String(now.getHours()).padStart(2, "0") + ":" +
          String(now.getMinutes()).padStart(2, "0");
      } else {
        status.textContent = "Utkastet kunde inte sparas. Kopiera texten innan du lämnar sidan.";
      }
    }).catch(function () {
      if (status) status.textContent = "Utkastet kunde inte sparas (ingen anslutning).";
    });
  }

  function watch(textarea) {
    var timer = null;
    textarea.dataset.savedValue = textarea.value;
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { save(textarea, false); }, DELAY_MS);
    });
    // The tab is closed or the user goes elsewhere: save what was typed since the last save.
    window.addEventListener("pagehide", function () {
      if (textarea.value !== textarea.dataset.savedValue) save(textarea, true);
    });
    // Submitting the form saves the text for real and the server drops the draft; saving it again on the way
    // out would bring it back. A refused form comes back with the text in it, so nothing is lost either way.
    if (textarea.form) {
      textarea.form.addEventListener("submit", function () {
        clearTimeout(timer);
        textarea.dataset.savedValue = textarea.value;
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-draft-key]").forEach(watch);
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || !target.form) return;
      event.preventDefault();
      target.form.requestSubmit();
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
