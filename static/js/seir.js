// Site-wide behaviour: htmx + Bootstrap modal glue.
(function () {
  "use strict";
  // Content loaded into the modal: focus the field that needs attention (the override
  // reason after a refusal, else the first field), both on swap and once Bootstrap has
  // finished showing the dialog (it moves focus to the dialog itself).
  function focusModalField() {
    var content = document.getElementById("app-modal-content");
    if (!content) { return; }
    var target = content.querySelector(".alert-danger") && content.querySelector("textarea[name=override_reason]");
    target = target || content.querySelector("select, textarea, input:not([type=hidden])");
    if (target) { target.focus(); }
  }
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "app-modal-content") { focusModalField(); }
  });
  var modal = document.getElementById("app-modal");
  if (modal) { modal.addEventListener("shown.bs.modal", focusModalField); }
  // <select data-autosubmit>: choosing an option submits its form (no inline handlers:
  // the Content Security Policy forbids them).
  document.body.addEventListener("change", function (evt) {
    var field = evt.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    }
  });
  // A failed htmx request must never fail silently.
  document.body.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr;
    if (xhr.status === 401) { signedOut(); return; }
    if (xhr.status === 403 && xhr.getResponseHeader("SEiR-Stale-Token")) {
      // Signed in again elsewhere since this page was drawn: take the new token.
      takeToken(true);
      return;
    }
    window.seirAnnounce("Sorry, that did not work (error " + xhr.status + "). Reload the page and try again.", "danger");
  });
  // A form sent in place after the person was signed out (another tab, the idle limit):
  // the server answers 401 and htmx swaps nothing, so what they typed is still here.
  // They sign in again in a new tab; back on this one, the page takes the new CSRF token
  // (sign-in rotates it) so the same form can simply be sent again.
  var watching = false;
  function signedOut() {
    var box = document.getElementById("messages");
    if (!box) { return; }
    var div = document.createElement("div");
    div.className = "alert alert-danger";
    div.setAttribute("role", "alert");
    div.id = "signed-out";
    div.appendChild(document.createTextNode("You have been signed out, so nothing was saved. What you typed is still on this page. "));
    var link = document.createElement("a");
    link.href = document.body.dataset.loginUrl || "/accounts/login/";
    link.target = "_blank"; link.rel = "noopener";
    link.textContent = "Sign in again (opens a new tab)";
    div.appendChild(link);
    div.appendChild(document.createTextNode(", then come back to this page and send it again."));
    box.replaceChildren(div);
    if (!watching) {
      watching = true;
      window.addEventListener("focus", onReturn);
      document.addEventListener("visibilitychange", onReturn);
    }
  }
  function onReturn() {
    if (document.visibilityState !== "hidden") { takeToken(false); }
  }
  // Fetch the session's current CSRF token and put it in the page's forms and htmx
  // headers. ``stale``: asked because a form was refused for an old token.
  function takeToken(stale) {
    var url = document.body.dataset.tokenUrl;
    if (!url) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") === -1) { return null; }
        return response.json();
      })
      .then(function (body) {
        if (!body || !body.token) {
          if (stale) { signedOut(); }
          return;
        }
        watching = false;
        window.removeEventListener("focus", onReturn);
        document.removeEventListener("visibilitychange", onReturn);
        document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = body.token; });
        document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": body.token }));
        window.seirAnnounce(stale
          ? "This page was older than your last sign-in, so nothing was saved. It is up to date now: send the form again (what you typed is still there)."
          : "You are signed in again. Send the form again: what you typed is still there.", stale ? "warning" : "success");
      })
      .catch(function () { /* offline: the next return to the page tries again */ });
  }
  window.seirAnnounce = function (text, level) {
    var box = document.getElementById("messages");
    if (!box) { return; }
    var div = document.createElement("div");
    div.className = "alert alert-" + (level || "info") + " alert-dismissible fade show";
    div.setAttribute("role", level === "danger" ? "alert" : "status");
    div.textContent = text;
    var close = document.createElement("button");
    close.type = "button"; close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert"); close.setAttribute("aria-label", "Dismiss message");
    div.appendChild(close);
    box.replaceChildren(div);
  };
})();
