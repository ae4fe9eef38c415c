// Invite form: show only the fields the chosen role needs (a venture and a team role for
// an entrepreneur, an organisation for a commissioner contact). Without JavaScript every
// field shows, and the server ignores the ones the role does not use.
(function () {
  "use strict";
  var form = document.querySelector("form[data-invitation-form]");
  if (!form) { return; }
  var needs = {
    entrepreneur: ["venture", "team_role"],
    manager: [],
    commissioner: ["commissioner"]
  };
  var optional = ["venture", "team_role", "commissioner"];

  function update() {
    var chosen = form.querySelector("input[name=role]:checked");
    var shown = chosen ? (needs[chosen.value] || []) : optional;
    optional.forEach(function (name) {
      var wrapper = document.getElementById("div_id_" + name);
      if (wrapper) { wrapper.hidden = shown.indexOf(name) === -1; }
    });
  }

  form.addEventListener("change", function (evt) {
    if (evt.target.name === "role") { update(); }
  });
  update();
})();
