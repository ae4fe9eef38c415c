// Business plans (no inline handlers: CSP). Loaded by the plan pages and the print view;
// the guard keeps an htmx tab swap that brings the script again from binding twice.
(function () {
  "use strict";
  if (window.seirPlans) { return; }
  window.seirPlans = true;

  // The print view's Print button.
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-plan-print]");
    if (button) { window.print(); }
  });

  // A refused submission: the page comes back with the reason in the submit form at the
  // top of the plan; move focus (and the view, on a phone) to it.
  var refusal = document.querySelector("[data-plan-refusal]");
  if (refusal) {
    refusal.focus();
    refusal.scrollIntoView({ block: "center" });
  }

  // A section swapped in place by htmx: keyboard and screen-reader users land in it —
  // in the text box when it opened for editing, on its heading once it is saved.
  document.addEventListener("htmx:load", function (evt) {
    var section = evt.detail && evt.detail.elt;
    if (!section || !section.matches || !section.matches("article.plan-section")) { return; }
    var target = section.classList.contains("is-editing")
      ? section.querySelector("textarea[name=body]")
      : section.querySelector("h3");
    if (!target) { return; }
    if (target.tagName === "H3") { target.setAttribute("tabindex", "-1"); }
    target.focus();
  });
})();
