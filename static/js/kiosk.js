/* Kiosk, progressive: wipe after 3 idle minutes (the server checks too), and "Read aloud" buttons
   beside each question where the browser offers speech. Nothing is stored in the browser. */
(function () {
  "use strict";
  var wipe = document.getElementById("kiosk-wipe");
  if (wipe) {
    var limit = (parseInt(wipe.getAttribute("data-idle-seconds"), 10) || 180) * 1000, timer;
    var reset = function () {
      clearTimeout(timer);
      timer = setTimeout(function () { wipe.elements.reason.value = "idle"; wipe.submit(); }, limit);
    };
    ["input", "keydown", "pointerdown", "scroll"].forEach(function (name) {
      document.addEventListener(name, reset, {passive: true});
    });
    reset();
  }
  var form = document.querySelector("form.kiosk-form");
  if (!form || !("speechSynthesis" in window)) return;
  var label = form.getAttribute("data-read-label"), lang = form.getAttribute("data-lang") === "es" ? "es-US" : "en-US";
  form.querySelectorAll(".question > label, legend, .form-text, .form-heading").forEach(function (el) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "read-aloud";
    button.textContent = label;
    button.setAttribute("aria-label", label + ": " + el.textContent.trim().slice(0, 80));
    button.addEventListener("click", function () {
      window.speechSynthesis.cancel();
      var said = new SpeechSynthesisUtterance(el.textContent.trim());
      said.lang = lang;
      window.speechSynthesis.speak(said);
    });
    el.insertAdjacentElement(el.tagName === "LEGEND" ? "afterend" : "beforebegin", button);
  });
  window.addEventListener("pagehide", function () { window.speechSynthesis.cancel(); });
})();
