// Scouting: the one-screen meeting form. Attendee picking, repeated rows, and the draft
// saved as the SEiR types: to localStorage at once (works offline) and to the server
// (debounced). A draft is offered back on return, also after signing in again.
(function () {
  "use strict";

  // The CSRF token comes from the page (the cookie is HttpOnly). Signing in again (in
  // another tab) rotates it: a refused save fetches the current one and tries again.
  var tokenInput = document.querySelector("#meeting-form [name=csrfmiddlewaretoken], #idea-form [name=csrfmiddlewaretoken]");
  var csrfToken = tokenInput ? tokenInput.value : "";
  document.body.addEventListener("htmx:configRequest", function (evt) {
    if (csrfToken) { evt.detail.headers["X-CSRFToken"] = csrfToken; }
  });

  // Clear the device copy once the meeting page confirms the save.
  var saved = document.querySelector("[data-clear-draft]");
  if (saved) { localStorage.removeItem("scouting-meeting-draft:" + saved.getAttribute("data-clear-draft")); }

  var form = document.getElementById("meeting-form");
  if (!form) { return; }
  // The edit page of a logged meeting reuses the pickers and keeps no draft: the draft
  // is the SEiR's unfinished new meeting, which editing must not overwrite.
  var drafting = form.dataset.drafting !== "0";
  var KEY = "scouting-meeting-draft:" + form.dataset.user;
  var status = document.getElementById("autosave-status");
  var offer = document.getElementById("draft-offer");
  var chips = document.getElementById("attendee-chips");
  var paused = false;
  var timer = null;

  function say(text) { status.textContent = text; }

  // --- attendees ------------------------------------------------------------------
  function chipLabels() {
    var labels = {};
    chips.querySelectorAll("[data-person-id]").forEach(function (li) {
      labels[li.dataset.personId] = li.querySelector(".chip-label").textContent;
    });
    return labels;
  }
  // Every "one of the attendees" choice (talent spotted, an idea's proposer) offers the
  // attendees as they stand, including people just added in the form.
  function syncTalent() {
    var labels = chipLabels();
    form.querySelectorAll("select.attendee-select").forEach(function (select) {
      var current = select.value || select.dataset.selected || "";
      select.replaceChildren();
      var blank = document.createElement("option");
      blank.value = ""; blank.textContent = select.dataset.blank || "Choose an attendee";
      select.appendChild(blank);
      Object.keys(labels).forEach(function (id) {
        var option = document.createElement("option");
        option.value = id; option.textContent = labels[id];
        if (id === current) { option.selected = true; }
        select.appendChild(option);
      });
    });
  }
  function addChip(id, label) {
    id = String(id);
    if (!id || chips.querySelector('[data-person-id="' + id + '"]')) { return; }
    var li = document.getElementById("chip-template").content.firstElementChild.cloneNode(true);
    li.dataset.personId = id;
    li.querySelector("input").value = id;
    li.querySelector(".chip-label").textContent = label;
    li.querySelector("button").setAttribute("aria-label", "Remove " + label);
    chips.appendChild(li);
    syncTalent();
  }
  // --- organisations represented: picked by typing; the plain list without JavaScript --
  var orgChips = document.getElementById("organisation-chips");
  var orgLabels = {};
  var orgSelect = document.getElementById("id_organisations");
  function addOrganisation(id, label) {
    id = String(id);
    if (!id || orgChips.querySelector('[data-organisation-id="' + CSS.escape(id) + '"]')) { return; }
    var li = document.getElementById("organisation-chip-template").content.firstElementChild.cloneNode(true);
    li.dataset.organisationId = id;
    li.querySelector("input").value = id;
    li.querySelector(".chip-label").textContent = label;
    li.querySelector("button").setAttribute("aria-label", "Remove " + label);
    orgChips.appendChild(li);
  }
  if (orgSelect) {
    Array.prototype.forEach.call(orgSelect.options, function (o) { orgLabels[o.value] = o.textContent; });
    var chosen = Array.prototype.filter.call(orgSelect.options, function (o) { return o.selected; });
    document.getElementById("organisation-fallback").remove();
    document.getElementById("organisation-picker").hidden = false;
    chosen.forEach(function (o) { addOrganisation(o.value, o.textContent); });
  }

  document.addEventListener("click", function (evt) {
    var pickOrg = evt.target.closest("[data-pick-organisation]");
    if (pickOrg) {
      addOrganisation(pickOrg.dataset.pickOrganisation, pickOrg.dataset.label);
      var orgSearch = document.getElementById("organisation-search");
      orgSearch.value = "";
      document.getElementById("organisation-results").replaceChildren();
      say(pickOrg.dataset.label + " added to the organisations represented.");
      orgSearch.focus();
      schedule();
      return;
    }
    var removeOrg = evt.target.closest("[data-remove-organisation]");
    if (removeOrg) {
      var orgLi = removeOrg.closest("li");
      var orgLabel = orgLi.querySelector(".chip-label").textContent;
      orgLi.remove();
      say(orgLabel + " removed from the organisations represented.");
      document.getElementById("organisation-search").focus();
      schedule();
      return;
    }
    var pick = evt.target.closest("[data-pick-person]");
    if (pick) {
      addChip(pick.dataset.pickPerson, pick.dataset.label);
      var search = document.getElementById("attendee-search");
      search.value = "";
      document.getElementById("attendee-results").replaceChildren();
      say(pick.dataset.label + " added to the attendees.");
      search.focus();
      schedule();
      return;
    }
    var remove = evt.target.closest("[data-remove-chip]");
    if (remove) {
      var li = remove.closest("li");
      var label = li.querySelector(".chip-label").textContent;
      li.remove();
      syncTalent();
      say(label + " removed from the attendees.");
      document.getElementById("attendee-search").focus();
      schedule();
      return;
    }
    var add = evt.target.closest("[data-add-row]");
    if (add) {
      var row = addRow(add.dataset.addRow);
      if (row) { row.querySelector("input, textarea, select").focus(); } else { say(add.dataset.full); }
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (!evt.detail.target || evt.detail.target.id !== "new-person-result") { return; }
    var added = evt.detail.target.querySelector("[data-new-person]");
    if (added) {
      addChip(added.dataset.newPerson, added.dataset.label);
      ["new-name", "new-job_title", "new-email"].forEach(function (id) { document.getElementById(id).value = ""; });
      document.getElementById("new-organisation").value = "";
      schedule();
    }
  });

  // --- repeated rows: one Django formset per kind ------------------------------------
  // A new row is a copy of the kind's empty form, its "__prefix__" replaced by the row's
  // number from 0; the formset's TOTAL_FORMS says how many rows there are, up to MAX_NUM_FORMS.
  function management(prefix, name) { return document.getElementById("id_" + prefix + "-" + name); }
  function addRow(kind) {
    var container = form.querySelector('[data-rows="' + kind + '"]');
    var prefix = container.dataset.prefix;
    var total = management(prefix, "TOTAL_FORMS");
    var index = container.querySelectorAll('[data-row="' + kind + '"]').length;
    if (index >= parseInt(management(prefix, "MAX_NUM_FORMS").value, 10)) { return null; }
    var row = document.getElementById(kind + "-row-template").content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.split("__prefix__").join(String(index))); }
      });
    });
    container.appendChild(row);
    total.value = String(index + 1);
    if (kind === "talent" || kind === "idea") { syncTalent(); }
    return row;
  }
  // A browser that brings back typed values on reload may bring back a count too.
  form.querySelectorAll("[data-rows]").forEach(function (container) {
    management(container.dataset.prefix, "TOTAL_FORMS").value =
      String(container.querySelectorAll('[data-row="' + container.dataset.rows + '"]').length);
  });

  // --- a follow-up due before the meeting asks for confirmation (the server asks too) ---
  function checkEarly() {
    var held = (form.querySelector("#id_held_at") || {}).value || "";
    var day = held.slice(0, 10);
    form.querySelectorAll('[data-row="followup"]').forEach(function (row) {
      var due = row.querySelector(".followup-due").value;
      var box = row.querySelector(".followup-early");
      var early = Boolean(due && day && due < day);
      if (!early && !box.hidden) { box.querySelector("input").checked = false; }
      box.hidden = !early;
    });
  }
  ["input", "change"].forEach(function (type) {
    form.addEventListener(type, function (evt) {
      if (evt.target.id === "id_held_at" || evt.target.classList.contains("followup-due")) { checkEarly(); }
    });
  });

  // --- draft: serialise, save, restore ---------------------------------------------
  // The formsets' own counts are the page's business, not the draft's.
  var MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;
  var ROW_FIELD = /^(ideas|talent|followups)-(\d+)-(\w+)$/;
  // A draft kept before the rows were formsets has them as parallel lists, the early
  // follow-ups as row numbers and the token as "submission_key": read into today's names.
  var LEGACY = { idea_title: "ideas-title", idea_description: "ideas-description", idea_need: "ideas-need",
    idea_proposer: "ideas-proposer", talent_person: "talent-person", talent_note: "talent-note",
    followup_what: "followups-what", followup_who: "followups-who", followup_due: "followups-due" };
  function upgrade(data) {
    var out = {};
    Object.keys(data).forEach(function (key) {
      var values = Array.isArray(data[key]) ? data[key] : [data[key]];
      if (LEGACY[key]) {
        var parts = LEGACY[key].split("-");
        values.forEach(function (value, i) { out[parts[0] + "-" + i + "-" + parts[1]] = [value]; });
      } else if (key === "followup_early") {
        values.forEach(function (number) {
          var i = parseInt(number, 10) - 1;
          if (i >= 0) { out["followups-" + i + "-early"] = ["on"]; }
        });
      } else if (key === "submission_key") {
        if (!data.submission_token) { out.submission_token = values; }
      } else {
        out[key] = values;
      }
    });
    return out;
  }
  function serialise() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "q" || typeof value !== "string" || MANAGEMENT.test(name)) { return; }
      (data[name] = data[name] || []).push(value);
    });
    data._labels = [JSON.stringify(chipLabels())];
    var orgs = {};
    orgChips.querySelectorAll("[data-organisation-id]").forEach(function (li) {
      orgs[li.dataset.organisationId] = li.querySelector(".chip-label").textContent;
    });
    data._organisation_labels = [JSON.stringify(orgs)];
    return data;
  }
  function fill(data) {
    var labels = {};
    try { labels = JSON.parse((data._labels || ["{}"])[0]); } catch (e) { labels = {}; }
    (data.attendees || []).forEach(function (id) { addChip(id, labels[id] || ("Person " + id)); });
    var orgNames = {};
    try { orgNames = JSON.parse((data._organisation_labels || ["{}"])[0]); } catch (e) { orgNames = {}; }
    (data.organisations || []).forEach(function (id) {
      addOrganisation(id, orgLabels[id] || orgNames[id] || ("Organisation " + id));
    });
    data = upgrade(data);
    var skip = { attendees: 1, _labels: 1, organisations: 1, _organisation_labels: 1 };
    Object.keys(data).forEach(function (name) {
      var values = data[name];
      var row = ROW_FIELD.exec(name);
      if (skip[name] || MANAGEMENT.test(name) || (row && row[3] === "early")) { return; }
      if (row) {
        var kind = form.querySelector('[data-prefix="' + row[1] + '"]').dataset.rows;
        while (form.querySelectorAll('[data-row="' + kind + '"]').length <= parseInt(row[2], 10)) {
          if (!addRow(kind)) { return; }
        }
      }
      var fields = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      if (fields.length === 1 && fields[0].multiple) {
        Array.prototype.forEach.call(fields[0].options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
        return;
      }
      fields.forEach(function (field, i) {
        if (i >= values.length || field.type === "hidden" && name !== "programme" && name !== "submission_token") { return; }
        if (field.type === "checkbox") { field.checked = values.indexOf(field.value) !== -1; return; }
        field.value = values[i];
        if (field.classList.contains("attendee-select")) { field.dataset.selected = values[i]; }
      });
    });
    syncTalent();
    checkEarly();
    // A confirmed early date stays confirmed (ticked after the boxes show).
    form.querySelectorAll(".followup-early input[type=checkbox]").forEach(function (box) {
      box.checked = Boolean(data[box.name]);
      if (box.checked) { box.closest(".followup-early").hidden = false; }
    });
  }
  function readLocal() {
    try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function saveLocal(data) {
    try { localStorage.setItem(KEY, JSON.stringify({ data: data, saved_at: new Date().toISOString() })); } catch (e) { /* storage full or off */ }
  }
  function refreshToken() {
    return fetch(form.dataset.tokenUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") === -1) { return false; }
        return response.json().then(function (body) {
          csrfToken = body.token;
          if (tokenInput) { tokenInput.value = csrfToken; }
          return true;
        });
      });
  }
  function saveServer(data, retried) {
    return fetch(form.dataset.draftUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ data: data })
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.status === 403 && !retried) {
        return refreshToken().then(function (ok) {
          if (ok) { return saveServer(data, true); }
          signedOut();
        });
      }
      if (response.redirected || type.indexOf("application/json") === -1) {
        signedOut();
        return;
      }
      return response.json().then(function (body) {
        if (body.saved) {
          say("Draft saved at " + new Date(body.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
        } else {
          say((body.error || "The draft was not saved on the server") + " It is kept on this device.");
        }
      });
    }).catch(function () {
      say("You are offline: your draft is kept on this device and will be saved when you are back online.");
    });
  }
  function signedOut() {
    status.replaceChildren();
    status.appendChild(document.createTextNode("You have been signed out. Your draft is kept on this device. "));
    var link = document.createElement("a");
    link.href = form.dataset.loginUrl; link.target = "_blank"; link.rel = "noopener";
    link.textContent = "Sign in again (opens a new tab)";
    status.appendChild(link);
    status.appendChild(document.createTextNode(", then come back: your draft is saved as soon as you type."));
  }
  function schedule() {
    if (!drafting) { return; }
    var data = serialise();
    saveLocal(data);
    if (paused) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { saveServer(serialise()); }, 800);
  }
  if (!drafting) { return; }
  form.addEventListener("input", function (evt) { if (!evt.target.dataset.noDraft) { schedule(); } });
  form.addEventListener("change", function (evt) { if (!evt.target.dataset.noDraft) { schedule(); } });
  window.addEventListener("online", function () { if (!paused) { saveServer(serialise()); } });
  form.addEventListener("submit", function () {
    // The save itself discards the server draft: no late autosave may bring it back.
    clearTimeout(timer);
    paused = true;
    saveLocal(serialise());
  });

  // --- offer a draft back ------------------------------------------------------------
  var serverNode = document.getElementById("server-draft");
  var server = serverNode ? JSON.parse(serverNode.textContent) : null;
  var local = readLocal();
  var best = server;
  if (local && (!server || new Date(local.saved_at) > new Date(server.saved_at))) { best = local; }
  if (form.dataset.bound === "1") {
    best = null; // the page already shows what was just sent
  }
  if (best && best.data) {
    paused = true;
    offer.hidden = false;
    var when = new Date(best.saved_at);
    document.getElementById("draft-offer-text").textContent =
      "You have a meeting you had not finished logging, saved " + when.toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) +
      (best === local && best !== server ? " on this device." : ".");
    say("Restore or discard your unfinished meeting to carry on; saving as you type starts then.");
  } else {
    offer.hidden = true;
  }
  document.getElementById("draft-restore").addEventListener("click", function () {
    fill(best.data);
    offer.hidden = true;
    paused = false;
    saveServer(serialise());
    say("Your unfinished meeting is back. Saving as you type again.");
    form.querySelector("#id_held_at").focus();
  });
  document.getElementById("draft-discard").addEventListener("click", function () {
    localStorage.removeItem(KEY);
    fetch(form.dataset.discardUrl, { method: "POST", credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken } });
    offer.hidden = true;
    paused = false;
    say("Draft discarded. Your notes are saved as you type.");
    form.querySelector("#id_held_at").focus();
  });
})();
