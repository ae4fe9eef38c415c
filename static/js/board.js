// Drag-and-drop on the pipeline board. Every drop calls the same move service as the
// Move menu; a refused move snaps back and says why (and offers the override form).
(function () {
  "use strict";
  var board = document.querySelector("[data-board-draggable]");
  if (!board || typeof Sortable === "undefined") { return; }
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];

  function updateCount(stageId, delta) {
    var badge = document.querySelector('[data-count-for="' + stageId + '"]');
    if (badge) { badge.textContent = String(parseInt(badge.textContent, 10) + delta); }
  }

  function snapBack(evt) {
    var ref = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, ref);
  }

  function openModal(url) {
    var modalEl = document.getElementById("app-modal");
    htmx.ajax("GET", url, { target: "#app-modal-content" }).then(function () {
      bootstrap.Modal.getOrCreateInstance(modalEl).show();
    });
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
        var item = evt.item;
        var fromStage = evt.from.dataset.stageId;
        var toStage = evt.to.dataset.stageId;
        var body = new URLSearchParams({ to_stage: toStage, expected_stage: fromStage });
        fetch(item.dataset.moveUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrf, "Accept": "application/json",
                     "Content-Type": "application/x-www-form-urlencoded" },
          body: body.toString(),
          credentials: "same-origin"
        }).then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) {
            // Signed out (redirected to the sign-in page) or a server error page.
            return { ok: false, data: { message: response.redirected
              ? "Your session has ended. Sign in again, then repeat the move; nothing was changed."
              : "The move could not be saved (error " + response.status + "). Nothing was changed." } };
          }
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        }).then(function (result) {
          if (result.ok) {
            updateCount(fromStage, -1); updateCount(toStage, 1);
            window.seirAnnounce(result.data.message, "success");
            // Sortable leaves an empty style attribute on the card; htmx would copy it onto
            // the new card with setAttribute, which the Content Security Policy refuses.
            item.removeAttribute("style");
            htmx.ajax("GET", item.dataset.cardUrl, { target: item, swap: "outerHTML" });
          } else {
            snapBack(evt);
            window.seirAnnounce(result.data.message, "danger");
            if (result.data.can_override && result.data.form_url) {
              openModal(result.data.form_url + "&next=" + encodeURIComponent(window.location.pathname + window.location.search));
            }
          }
        }).catch(function () {
          snapBack(evt);
          window.seirAnnounce("The move could not be saved (no connection?). Nothing was changed.", "danger");
        });
      }
    });
  });
})();
