// Referral form: "Call 999 now" as soon as danger now is answered yes, and "use my location".
(function () {
  "use strict";
  var form = document.querySelector("[data-referral-form]");
  if (!form) return;

  var banner = document.getElementById("call-999");
  function showDanger() {
    var yes = form.querySelector('input[name="danger_now"][value="yes"]');
    if (!banner || !yes) return;
    var wasHidden = banner.hidden;
    banner.hidden = !yes.checked;
    if (yes.checked && wasHidden) {
      banner.scrollIntoView({ block: "start" });
    }
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "danger_now") showDanger();
  });
  showDanger();

  var locationGroup = form.querySelector("[data-location]");
  var button = form.querySelector("[data-use-location]");
  var status = form.querySelector("[data-location-status]");
  var latitude = form.querySelector('input[name="latitude"]');
  var longitude = form.querySelector('input[name="longitude"]');
  if (!locationGroup || !button || !navigator.geolocation || !latitude || !longitude) return;
  locationGroup.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = status.getAttribute("data-text-waiting");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        status.textContent = status.getAttribute("data-text-found");
      },
      function () {
        latitude.value = "";
        longitude.value = "";
        status.textContent = status.getAttribute("data-text-failed");
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
