// "Use my location" on the client's record (issue 8): fills the latitude and longitude from the phone's position
// and says how accurate it is. Shown only where the browser can locate; typing the numbers always works.
const ROUGH_METRES = 100;
const ERRORS = { 1: "msgDenied", 2: "msgUnavailable", 3: "msgTimeout" };
const root = document.querySelector("[data-locate]");

function metresText(accuracy) {
  const metres = Math.max(1, Math.round(accuracy));
  return metres.toLocaleString(document.documentElement.lang || undefined);
}

function locate(form, button, status) {
  const say = (key, metres) => { status.textContent = root.dataset[key].replace("{metres}", metres); };
  button.disabled = true;
  say("msgFinding");
  navigator.geolocation.getCurrentPosition((position) => {
    const { latitude, longitude, accuracy } = position.coords;
    form.elements.latitude.value = latitude.toFixed(6);
    form.elements.longitude.value = longitude.toFixed(6);
    say(accuracy > ROUGH_METRES ? "msgRough" : "msgFound", metresText(accuracy));
    button.disabled = false;
  }, (error) => {
    say(ERRORS[error.code] || "msgUnavailable");
    button.disabled = false;
  }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
}

if (root && navigator.geolocation) {
  const form = root.closest("form");
  const button = root.querySelector("[data-locate-start]");
  const status = root.querySelector("[data-locate-status]");
  if (form?.elements.latitude && form.elements.longitude) {
    root.hidden = false;
    button.addEventListener("click", () => locate(form, button, status));
  }
}
