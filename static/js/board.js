// Drag-and-drop on the pipeline board. Every drop posts the move form with htmx, the
// same view and service as the Move menu: a move answers a "venture-moved" event (the
// card is refreshed); a refusal answers the move dialog, rendered by the server with the
// reason (and the override reason field when the gate can be overridden), plus a
// "venture-move-refused" event: the card snaps back and the dialog opens.
(function () {
  "use strict";
  var board = document.querySelector("[data-board-draggable]");
  if (!board || typeof Sortable === "undefined") { return; }
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  var pending = null; // the drop waiting for its answer

  function updateCount(stageId, delta) {
    var badge = document.querySelector('[data-count-for="' + stageId + '"]');
    // A capped count ("1,000+") stays as it is.
    if (badge && !badge.hasAttribute("data-count-capped")) {
      badge.textContent = String(parseInt(badge.textContent, 10) + delta);
    }
  }

  function snapBack(evt) {
    var ref = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, ref);
  }

  function settle() {
    var drop = pending;
    pending = null;
    return drop;
  }

  document.body.addEventListener("venture-moved", function (e) {
    var drop = settle();
    if (!drop) { return; }
    updateCount(drop.fromStage, -1); updateCount(drop.toStage, 1);
    window.seirAnnounce(e.detail.message, "success");
    // Sortable leaves an empty style attribute on the card; htmx would copy it onto the
    // new card with setAttribute, which the Content Security Policy refuses.
    drop.item.removeAttribute("style");
    htmx.ajax("GET", drop.item.dataset.cardUrl, { target: drop.item, swap: "outerHTML" });
  });

  document.body.addEventListener("venture-move-refused", function (e) {
    var drop = settle();
    if (!drop) { return; }
    snapBack(drop.evt);
    // The dialog states the refusal (role="alert") beside the gate list: said once, there.
    bootstrap.Modal.getOrCreateInstance(document.getElementById("app-modal")).show();
  });

  function failed() {
    // Neither event came: signed out (the sign-in page came back), or a server error.
    var drop = settle();
    if (!drop) { return; }
    snapBack(drop.evt);
    window.seirAnnounce("The move could not be saved (signed out, no connection or an error). " +
      "Reload the page and try again; nothing was changed.", "danger");
  }

  board.querySelectorAll(".board-cards").forEach(function (list) {
    Sortable.create(list, {
      group: "board",
      draggable: ".board-card",
      filter: ".dropdown, .dropdown *, details, summary",
      preventOnFilter: false,
      animation: 120,
      // On touch screens a short press starts a drag, so a swipe still scrolls the board.
      delay: 250,
      delayOnTouchOnly: true,
      onEnd: function (evt) {
        if (evt.from === evt.to) { return; }
        pending = { evt: evt, item: evt.item, fromStage: evt.from.dataset.stageId,
                    toStage: evt.to.dataset.stageId };
        htmx.ajax("POST", evt.item.dataset.moveUrl, {
          source: evt.item,
          target: "#app-modal-content",
          swap: "innerHTML",
          headers: { "X-CSRFToken": csrf },
          values: { to_stage: pending.toStage, expected_stage: pending.fromStage, drop: "1",
                    next: window.location.pathname + window.location.search }
        }).then(failed, failed);
      }
    });
  });
})();
