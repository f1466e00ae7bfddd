/* Live dashboards: a background poll (data-live-poll) is skipped while a form inside its target is in use
   (focused, or holding typed text or a changed choice), so a redraw never takes what someone is writing. */
(function () {
  "use strict";
  function changed(field) {
    if (field.options) {
      var initial = 0;
      for (var i = 0; i < field.options.length; i++) { if (field.options[i].defaultSelected) { initial = i; break; } }
      return field.selectedIndex !== initial;
    }
    if (field.type === "checkbox" || field.type === "radio") { return field.checked !== field.defaultChecked; }
    return field.type !== "hidden" && field.value !== field.defaultValue;
  }
  function busy(region) {
    var active = document.activeElement;
    if (active && active.form && region.contains(active)) { return true; }
    var fields = region.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i++) { if (changed(fields[i])) { return true; } }
    return false;
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail.elt;
    if (!elt.hasAttribute || !elt.hasAttribute("data-live-poll")) { return; }
    var region = document.querySelector(elt.getAttribute("hx-target"));
    if (region && busy(region)) { e.preventDefault(); }
  });
})();
