// Small progressive enhancements; every page works without this file.

// The content that took the swapped element's place: an outerHTML swap detaches the
// target, so look its successor up by id (the whole page when it has none).
function swappedIn(target) {
  if (target.isConnected) { return target; }
  return (target.id && document.getElementById(target.id)) || document;
}

// A swap the user asked for (a form sent, a filter changed): htmx sends it on a real
// event. Polling ("every 15s") and events the page raises itself ("plan-changed") are
// background refreshes: they never move focus or scroll.
var USER_EVENTS = ["submit", "click", "change", "input", "search", "keyup", "keydown"];

function askedByUser(detail) {
  var config = detail.requestConfig || {};
  var cause = config.triggeringEvent;
  return !!cause && USER_EVENTS.indexOf(cause.type) >= 0;
}

// What a swap brings in, most telling first: the news about what was just done comes
// before any control, wherever it stands in the content.
var FOCUS_ORDER = [
  '[role="alert"][tabindex="-1"]',
  '[role="status"]',
  '[role="alert"]',
  'button, a[href], input:not([type="hidden"]), select, textarea'
];

function focusTarget(content) {
  for (var i = 0; i < FOCUS_ORDER.length; i++) {
    var found = content.querySelector(FOCUS_ORDER[i]);
    if (found) { return found; }
  }
  return null;
}

// A background refresh the server refused never goes into the part it refreshes. Gone or
// forbidden since the page was opened (the team removed, one's rights taken away): the
// whole page is asked again, so that its error page shows as a page, with the menu. Any
// other refusal (too many requests) keeps what the part showed; the next refresh tries again.
var GONE = [403, 404, 410];

function refusedRefresh(detail) {
  var status = detail.xhr.status;
  if (status < 400) { return false; }
  detail.shouldSwap = false;
  if (GONE.indexOf(status) >= 0) { window.location.reload(); }
  return true;
}

// Where the page stood before a background swap: the browser's scroll anchoring would
// otherwise follow the focused element as htmx inserts the new content before the old.
// Regions that scroll sideways on their own (data-keep-scroll, with an id) keep their place
// too: the new content has a region with the same id.
var scrolledBefore = null;
var regionsBefore = [];
document.addEventListener("htmx:beforeSwap", function (event) {
  var background = !askedByUser(event.detail);
  scrolledBefore = background ? [window.scrollX, window.scrollY] : null;
  regionsBefore = [];
  if (!background) { return; }
  if (refusedRefresh(event.detail)) { return; }
  var regions = document.querySelectorAll("[data-keep-scroll][id]");
  for (var i = 0; i < regions.length; i++) {
    regionsBefore.push([regions[i].id, regions[i].scrollLeft, regions[i].scrollTop]);
  }
});

function restoreScroll() {
  window.scrollTo(scrolledBefore[0], scrolledBefore[1]);
  for (var i = 0; i < regionsBefore.length; i++) {
    var region = document.getElementById(regionsBefore[i][0]);
    if (region) {
      region.scrollLeft = regionsBefore[i][1];
      region.scrollTop = regionsBefore[i][2];
    }
  }
}

document.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (!target) { return; }  // Back and Forward restore the whole page (below)
  // In the background htmx itself puts focus back on the element with the same id, if the
  // new content has one (so give actionable elements there stable ids); else it stays put.
  if (!askedByUser(event.detail)) {
    if (scrolledBefore) { restoreScroll(); }
    return;
  }
  var content = swappedIn(target);
  // Move focus to an error summary that a swap brought in, so screen readers announce it.
  var summary = content.querySelector(FOCUS_ORDER[0]);
  if (summary) {
    summary.focus();
    return;
  }
  // The focused control went with the old content (a checked-in or cancelled booking's
  // row): keep keyboard users in place, on the news or the first control that replaced it.
  if (content !== document && document.activeElement === document.body) {
    var next = focusTarget(content);
    if (next) {
      if (!next.matches("button, a[href], input, select, textarea")) {
        next.setAttribute("tabindex", "-1");
      }
      next.focus();
    }
  }
});

// A page drawn again after a refused form sent without htmx (Ruimte boeken, a report's
// filters) opens on its error summary, as a swap does: screen readers announce it, and Tab
// goes on to its links to the marked fields rather than starting at the menu again.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(FOCUS_ORDER[0]);
  if (summary) { summary.focus(); }
});

// Back and Forward bring back an earlier page from htmx's history, with the fields of its
// search and filter forms as typed later: show what the page's address says instead.
document.addEventListener("htmx:historyRestore", function () {
  var params = new URLSearchParams(window.location.search);
  var fields = document.querySelectorAll('form[method="get"] [name]');
  for (var i = 0; i < fields.length; i++) {
    var field = fields[i];
    if (params.has(field.name)) {
      field.value = params.get(field.name);
    } else if (field.type === "search" || field.type === "text") {
      field.value = "";
    }
  }
});

// In a form whose buttons each act on one row (book this desk, keep that one as a
// favourite), Enter in a field would press the first of them: there it does nothing.
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key === "Enter" && field instanceof HTMLInputElement &&
      field.closest("form[data-buttons-per-row]")) {
    event.preventDefault();
  }
});

// Ctrl+Enter (Cmd+Enter on a Mac) in a text area marked data-submit-shortcut sends its
// form, with the checks and the htmx handling a click on its button gets: the KCC leaves
// a callback note without reaching for the mouse. Without this file Enter adds a line.
document.addEventListener("keydown", function (event) {
  var area = event.target;
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) &&
      area instanceof HTMLTextAreaElement && area.hasAttribute("data-submit-shortcut") &&
      area.form) {
    event.preventDefault();
    area.form.requestSubmit();
  }
});

// On a phone the main menu folds away behind a Menu button, so the page starts near the
// top of the screen. Without this file the menu is simply shown in full.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".nav-toggle");
  if (!toggle) { return; }
  var nav = toggle.closest("nav");
  toggle.hidden = false;
  nav.classList.add("nav-folds");
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("nav-open", open);
  });
});

// A group of the menu ("Beheer", one's own name: a <details>) closes when one clicks
// elsewhere, presses Escape or tabs out of it; opening one closes the other.
document.addEventListener("click", function (event) {
  document.querySelectorAll(".menu-group[open]").forEach(function (open) {
    if (!open.contains(event.target)) { open.open = false; }
  });
});
// Tabbing out of an open group closes it too, so it does not cover the page; focus that
// goes nowhere (another window) leaves it open.
document.addEventListener("focusout", function (event) {
  var group = event.target.closest && event.target.closest(".menu-group[open]");
  var to = event.relatedTarget;
  if (group && to instanceof Node && !group.contains(to)) { group.open = false; }
});
document.addEventListener("keydown", function (event) {
  var open = document.querySelector(".menu-group[open]");
  if (event.key === "Escape" && open) {
    open.open = false;
    open.querySelector("summary").focus();
  }
});

// A select of people offers the first of them by name. The box before it asks the
// server for the people whose name contains what is typed, puts them in place of those
// offered (the options without a value, such as "Myself", stay), and keeps the one chosen
// when it is among them, else chooses the first of them. Enter in the box asks at once and
// does not submit the form: that would send it with the colleague not yet chosen (a note
// form then jumps to its first empty required field).
var PERSON_SEARCH_DELAY_MS = 250;

function enablePersonSearch(root) {
  root.querySelectorAll("input[data-choices]:not([data-searching])").forEach(function (box) {
    var select = document.getElementById(box.getAttribute("aria-controls"));
    if (!select) { return; }
    box.setAttribute("data-searching", "");
    // Without this file its Search button sends the form to look people up, and a hidden
    // button before it, the one Enter in the form's fields presses, sends the form with the
    // search the select was drawn with. Removed, not hidden: a hidden submit button would
    // still be the one Enter presses, and the select here follows the box as one types, so
    // Enter presses the form's own button.
    box.parentNode.querySelectorAll("[data-person-find]").forEach(function (part) { part.remove(); });
    var timer = null;
    var pending = null;
    var search = function () {
      clearTimeout(timer);
      if (pending) { pending.abort(); }
      pending = new AbortController();
      var url = box.getAttribute("data-choices") + "&q=" + encodeURIComponent(box.value) +
        (select.value ? "&keep=" + encodeURIComponent(select.value) : "");
      fetch(url, { signal: pending.signal, credentials: "same-origin" })
        .then(function (response) {
          // A lapsed session answers with the login page: leave the select as it is.
          if (!response.ok || response.redirected) { throw new Error("no choices"); }
          return response.text();
        })
        .then(function (html) { offerPeople(select, html, box.value.trim() !== ""); })
        .catch(function () {});
    };
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, PERSON_SEARCH_DELAY_MS);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search();
      }
    });
  });
}

function offerPeople(select, html, searched) {
  var chosen = select.value;  // offered again by the server when its name still matches
  Array.prototype.slice.call(select.options).forEach(function (option) {
    if (option.value || option.hasAttribute("data-more")) { option.remove(); }
  });
  var found = document.createElement("template");
  found.innerHTML = html;
  select.appendChild(found.content);
  var people = Array.prototype.filter.call(select.options, function (option) { return option.value; });
  var kept = people.filter(function (option) { return option.value === chosen; })[0];
  if (kept) {
    kept.selected = true;
  } else if (searched && people.length) {
    people[0].selected = true;
  }
}
document.addEventListener("DOMContentLoaded", function () { enablePersonSearch(document); });
document.addEventListener("htmx:load", function (event) { enablePersonSearch(event.detail.elt); });

// A box that narrows a long table of check boxes (a person's teams, out of hundreds) to
// the rows containing what is typed; rows with a ticked box always stay in view. The box
// is hidden until this file shows it; Enter in it does not submit the form.
function enableRowFilters(root) {
  root.querySelectorAll("input[data-filter-rows][hidden]").forEach(function (box) {
    var rows = document.getElementById(box.getAttribute("data-filter-rows"));
    if (!rows) { return; }
    box.hidden = false;
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
    box.addEventListener("input", function () {
      var text = box.value.trim().toLowerCase();
      Array.prototype.forEach.call(rows.rows, function (row) {
        var matches = row.textContent.toLowerCase().indexOf(text) >= 0;
        row.hidden = !matches && !row.querySelector("input:checked");
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { enableRowFilters(document); });
document.addEventListener("htmx:load", function (event) { enableRowFilters(event.detail.elt); });

// A part of a form that matters only for one choice of a select ("select-id=value"), such
// as the colleague's select for "the colleague chosen below", is shown only while that
// choice is made. Without this file it is always shown.
function enableDependentParts(root) {
  root.querySelectorAll("[data-shown-when]").forEach(function (part) {
    var rule = part.getAttribute("data-shown-when").split("=");
    var select = document.getElementById(rule[0]);
    if (!select) { return; }
    var update = function () { part.hidden = select.value !== rule[1]; };
    select.addEventListener("change", update);
    update();
  });
}
document.addEventListener("DOMContentLoaded", function () { enableDependentParts(document); });

// A log-in form (data-keep-fragment) carries the address's fragment to where it leads: a
// door display's code opens Ruimte boeken at its form (#book-form), and the redirect after
// logging in takes the fragment of the address the form was sent to.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.hasAttribute("data-keep-fragment") &&
      window.location.hash) {
    form.action = form.action.split("#")[0] + window.location.hash;
  }
});
