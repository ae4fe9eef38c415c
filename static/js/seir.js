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
    window.seirAnnounce("Sorry, that did not work (error " + evt.detail.xhr.status + "). Reload the page and try again.", "danger");
  });
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
