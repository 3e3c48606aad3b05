// My week. Without this script every field shows and the server applies the whole-day
// choice itself (it also ignores an area or reason for half days of another kind).

// Choosing "the whole day" fills both half days of that day.
document.addEventListener("change", function (event) {
  var whole = event.target;
  if (!whole.matches || !whole.matches("select[data-presence-whole-day]") || !whole.value) {
    return;
  }
  var day = whole.getAttribute("data-presence-whole-day");
  var parts = document.querySelectorAll('select[data-presence-part="' + day + '"]');
  for (var i = 0; i < parts.length; i++) {
    parts[i].value = whole.value;
  }
  whole.value = "";
});

// A day shows the area only when a half day is chosen as on location, and the absence
// reason only when one is chosen as absent: the other days keep to what is asked of them.
// A day is a card of My week, or a row of the usual week (``data-presence-day``).
var DAY_WITH_FIELDS = ".presence-day, [data-presence-day]";

function showFieldsForChosenKinds(card) {
  var chosen = [];
  var parts = card.querySelectorAll("select[data-presence-part]");
  for (var i = 0; i < parts.length; i++) {
    chosen.push(parts[i].value);
  }
  var fields = card.querySelectorAll("[data-presence-shown-for]");
  for (var j = 0; j < fields.length; j++) {
    fields[j].hidden = chosen.indexOf(fields[j].getAttribute("data-presence-shown-for")) === -1;
  }
}

function showFieldsIn(root) {
  var cards = root.querySelectorAll ? root.querySelectorAll(DAY_WITH_FIELDS) : [];
  for (var i = 0; i < cards.length; i++) {
    showFieldsForChosenKinds(cards[i]);
  }
  if (root.matches && root.matches(DAY_WITH_FIELDS)) {
    showFieldsForChosenKinds(root);
  }
}

document.addEventListener("change", function (event) {
  var card = event.target.closest && event.target.closest(DAY_WITH_FIELDS);
  if (card) {
    showFieldsForChosenKinds(card);
  }
});
// A day whose fields differ from what the page was given has changes that are not saved:
// its card is marked, a bar offers to save every such day at once, and leaving the page
// asks first. A day the server refused (it comes back with its errors) stays marked.
function defaultIndex(select) {
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].defaultSelected) { return i; }
  }
  return 0;
}

function fieldChanged(field) {
  if (field.tagName === "SELECT") { return field.selectedIndex !== defaultIndex(field); }
  if (field.tagName === "TEXTAREA") { return field.value !== field.defaultValue; }
  if (field.tagName !== "INPUT" || field.type === "hidden" || field.type === "submit") {
    return false;
  }
  return field.value !== field.defaultValue;
}

function markUnsaved(card) {
  var unsaved = card.hasAttribute("data-refused") ||
    Array.prototype.some.call(card.elements, fieldChanged);
  card.toggleAttribute("data-unsaved", unsaved);
  var mark = card.querySelector("[data-unsaved-mark]");
  if (mark) { mark.hidden = !unsaved; }
}

function unsavedCards() {
  return document.querySelectorAll(".presence-day[data-unsaved]");
}

function showSaveAll() {
  var bar = document.querySelector(".presence-unsaved");
  if (!bar) { return; }
  var allSaved = unsavedCards().length === 0;
  // Saving every day takes the bar away, and the focus with it: keep keyboard users on the
  // news of the first day saved instead of sending them back to the top of the page.
  if (allSaved && bar.contains(document.activeElement)) {
    var news = document.querySelector('.presence-day [role="status"]');
    if (news) {
      news.setAttribute("tabindex", "-1");
      news.focus();
    }
  }
  bar.hidden = allSaved;
}

function noticeEdit(event) {
  var card = event.target.closest && event.target.closest(".presence-day");
  if (card) {
    markUnsaved(card);
    showSaveAll();
  }
}
document.addEventListener("input", noticeEdit);
document.addEventListener("change", noticeEdit);

document.addEventListener("click", function (event) {
  if (!event.target.closest || !event.target.closest("[data-save-all]")) { return; }
  Array.prototype.forEach.call(unsavedCards(), function (card) { card.requestSubmit(); });
});

window.addEventListener("beforeunload", function (event) {
  if (unsavedCards().length) {
    event.preventDefault();
    event.returnValue = "";
  }
});

// A day card saved with htmx comes back whole.
document.addEventListener("htmx:load", function (event) {
  showFieldsIn(event.detail.elt);
  if (event.detail.elt.matches && event.detail.elt.matches(".presence-day")) {
    markUnsaved(event.detail.elt);
    showSaveAll();
  }
});
showFieldsIn(document);
Array.prototype.forEach.call(document.querySelectorAll(".presence-day"), markUnsaved);
showSaveAll();
