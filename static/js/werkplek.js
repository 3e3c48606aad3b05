// Small progressive enhancements; every page works without this file.
document.addEventListener("htmx:afterSwap", function (event) {
  // Move focus to an error summary that a swap brought in, so screen readers announce it.
  var alert = event.detail.target.querySelector('[role="alert"][tabindex="-1"]');
  if (alert) { alert.focus(); }
});
