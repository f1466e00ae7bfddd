/* Message composer toolbar (optional): Bold, Italic and lists on a contenteditable editor, mirrored
   into body_html with rich=1; the server sanitizes it. Without this script the textarea is sent. */
(function () {
  "use strict";
  function setup(box) {
    var bar = box.querySelector(".composer-toolbar"), ed = box.querySelector(".composer-editor"),
        ta = box.querySelector("textarea"), html = box.querySelector("input[name=body_html]"),
        rich = box.querySelector("input[name=rich]"), form = box.closest("form");
    if (!bar || !ed || !ta || !html || !rich || !form || !document.execCommand) return;
    var errors = document.getElementById(form.getAttribute("data-errors") || "");
    function sync() { html.value = ed.innerHTML; }
    ed.innerHTML = html.value;  /* only ever what the server sanitized */
    bar.hidden = ed.hidden = false;
    /* The box keeps its visible label (which names the editor), hint and error; only the textarea goes. */
    var label = ta.parentNode.querySelector("label[for='" + ta.id + "']");
    if (label) {
      label.id = ta.id + "-label";
      label.addEventListener("click", function () { ed.focus(); });
    }
    ta.parentNode.insertBefore(bar, ta);  /* label, hint, toolbar, editor, error */
    ta.parentNode.insertBefore(ed, ta);
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (ta.hasAttribute(name)) ed.setAttribute(name, ta.getAttribute(name));
    });
    ta.hidden = true;
    rich.value = "1";
    document.execCommand("defaultParagraphSeparator", false, "p");
    bar.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-cmd]");
      if (!b) return;
      ed.focus();
      document.execCommand(b.getAttribute("data-cmd"), false, null);
      sync();
    });
    ed.addEventListener("input", sync);
    form.addEventListener("submit", sync);
    form.addEventListener("htmx:beforeSwap", function (e) {
      if (e.detail.xhr.status === 422 && errors) { e.detail.shouldSwap = true; e.detail.target = errors; }
    });
    form.addEventListener("htmx:afterRequest", function (e) {
      if (e.detail.successful) { ed.innerHTML = ""; sync(); if (errors) errors.innerHTML = ""; }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-composer]"), setup);
})();
