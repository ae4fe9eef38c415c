// Site-wide behaviour: htmx + Bootstrap modal glue.
(function () {
  "use strict";
  // Content loaded into the modal: focus its first field for keyboard users.
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "app-modal-content") {
      var first = evt.detail.target.querySelector("textarea, select, input:not([type=hidden]), button");
      if (first) { first.focus(); }
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
