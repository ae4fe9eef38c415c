// Business plans: the print view's Print button (no inline handlers: CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest && evt.target.closest("[data-plan-print]");
    if (button) { window.print(); }
  });
})();
