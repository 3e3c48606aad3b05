// The floor plan for employees: open a desk or room in the side panel without leaving the
// plan, and skip redrawing the plan when the polled state has not changed (same ETag).
// Without this file every desk and room is a plain link to its own page.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.plan-desk, a.plan-room") : null;
    if (!link || !window.htmx || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    window.htmx.ajax("GET", link.getAttribute("href"), { target: "#plan-panel", swap: "innerHTML" })
      .then(function () {
        var title = document.querySelector("#plan-panel h2[tabindex]");
        if (title) { title.focus(); }
      });
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "plan-live") { return; }
    var tag = event.detail.xhr.getResponseHeader("ETag");
    if (tag && tag === target.getAttribute("data-etag")) {
      event.detail.shouldSwap = false;
    }
  });
})();
