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
  var cards = root.querySelectorAll ? root.querySelectorAll(".presence-day") : [];
  for (var i = 0; i < cards.length; i++) {
    showFieldsForChosenKinds(cards[i]);
  }
  if (root.matches && root.matches(".presence-day")) {
    showFieldsForChosenKinds(root);
  }
}

document.addEventListener("change", function (event) {
  var card = event.target.closest && event.target.closest(".presence-day");
  if (card) {
    showFieldsForChosenKinds(card);
  }
});
// A day card saved with htmx comes back whole.
document.addEventListener("htmx:load", function (event) {
  showFieldsIn(event.detail.elt);
});
showFieldsIn(document);
