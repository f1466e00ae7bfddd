// Share the phone's position on the location request page (progressive: the address field works without it).
(function () {
  var box = document.getElementById("position");
  if (!box || !("geolocation" in navigator)) return;
  var button = document.getElementById("share-position");
  var status = document.getElementById("position-status");
  var form = button.form;
  box.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.wait;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      status.textContent = button.dataset.done;
    }, function () {
      status.textContent = button.dataset.fail;
    }, {enableHighAccuracy: false, timeout: 15000, maximumAge: 60000});
  });
})();
