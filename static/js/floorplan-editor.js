// The plan editor for facilities: click to place the chosen space, drag a marker to move
// it, or focus it and use the arrow keys. Every change is saved through the JSON API
// (PUT /api/spaces/{id}/position) and the plan is then reloaded from the server.
// Without this file the position forms in the list do the same.
(function () {
  "use strict";

  var editor = document.getElementById("plan-editor");
  if (!editor) { return; }
  var floorId = editor.getAttribute("data-floor");
  var status = document.getElementById("editor-status");
  var drag = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"] || "";
    } catch (error) {
      return "";
    }
  }

  function say(text) { if (status) { status.textContent = text; } }

  function clamp(value) { return Math.min(1, Math.max(0, Math.round(value * 10000) / 10000)); }

  function planSvg() { return editor.querySelector("svg.plan-editor-svg"); }

  function fractionAt(event) {
    var svg = planSvg();
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var local = point.matrixTransform(svg.getScreenCTM().inverse());
    var box = svg.viewBox.baseVal;
    return { x: clamp(local.x / box.width), y: clamp(local.y / box.height) };
  }

  function reload(focusId) {
    return fetch("/admin/floors/" + floorId + "/plan/markers", { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var body = document.getElementById("plan-editor-body");
        body.outerHTML = html;
        if (focusId) {
          var marker = document.getElementById(focusId);
          if (marker) { marker.focus(); }
        }
      });
  }

  function save(spaceId, position, focusId) {
    return fetch("/api/spaces/" + spaceId + "/position", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(position)
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          say(body.message || String(response.status));
          return null;
        }
        say(editor.getAttribute("data-saved") || "✓");
        return reload(focusId);
      });
    });
  }

  editor.addEventListener("click", function (event) {
    var svg = planSvg();
    if (!svg || !svg.contains(event.target) || event.target.closest(".plan-marker")) { return; }
    var chosen = editor.querySelector("input.plan-place-choice:checked");
    if (!chosen) {
      say(editor.getAttribute("data-choose-first") || "");
      return;
    }
    save(chosen.value, fractionAt(event), "marker-" + chosen.value);
  });

  editor.addEventListener("pointerdown", function (event) {
    var marker = event.target.closest ? event.target.closest(".plan-marker") : null;
    if (!marker) { return; }
    event.preventDefault();
    marker.setPointerCapture(event.pointerId);
    drag = { marker: marker, moved: false, position: null };
  });

  editor.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var position = fractionAt(event);
    var box = planSvg().viewBox.baseVal;
    drag.moved = true;
    drag.position = position;
    drag.marker.setAttribute(
      "transform", "translate(" + position.x * box.width + " " + position.y * box.height + ")"
    );
  });

  editor.addEventListener("pointerup", function () {
    if (!drag) { return; }
    var done = drag;
    drag = null;
    if (done.moved && done.position) {
      save(done.marker.getAttribute("data-space-id"), done.position, done.marker.id);
    }
  });

  var STEPS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  editor.addEventListener("keydown", function (event) {
    var marker = event.target.closest ? event.target.closest(".plan-marker") : null;
    var step = STEPS[event.key];
    if (!marker || !step) { return; }
    event.preventDefault();
    var size = event.shiftKey ? 0.05 : 0.01;
    save(marker.getAttribute("data-space-id"), {
      x: clamp(parseFloat(marker.getAttribute("data-x")) + step[0] * size),
      y: clamp(parseFloat(marker.getAttribute("data-y")) + step[1] * size)
    }, marker.id);
  });
})();
