// My week: choosing "the whole day" fills both half days of that day.
// Without this script the server applies the whole-day choice itself.
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
