// The check-in page's camera: reads the client's check-in QR code and submits it, with the
// phone's position when the phone allows. The typed code in the same form always works without it.
// Other pages reuse it (an activity's attendance): `data-form` on the scanner names their form; a form
// without latitude and longitude fields is submitted without asking for the position.
// Native BarcodeDetector where it reads QR codes (Android, macOS); elsewhere the zxing-wasm ponyfill,
// served by us: prepareZXingModule must run before the detector exists, or it fetches from a CDN.

const root = document.querySelector("[data-scanner]");
const form = document.getElementById(root?.dataset.form || "checkin-form");
let located = null;

function locate(waitMs) {
  // Resolves after the position is in the form, or after waitMs: the position is never required.
  if (!navigator.geolocation || !form.elements.latitude) return Promise.resolve();
  located ??= new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition((pos) => {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      resolve();
    }, () => resolve(), { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
  return Promise.race([located, new Promise((resolve) => setTimeout(resolve, waitMs))]);
}

async function makeDetector(staticUrl) {
  if ("BarcodeDetector" in window) {
    try {
      if ((await window.BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
        return new window.BarcodeDetector({ formats: ["qr_code"] });
      }
    } catch { /* fall through to the ponyfill */ }
  }
  const { BarcodeDetector, prepareZXingModule } = await import(`${staticUrl}vendor/barcode-detector/ponyfill.js`);
  prepareZXingModule({ overrides: { locateFile: (path, prefix) => `${staticUrl}vendor/zxing/${path}` } });
  return new BarcodeDetector({ formats: ["qr_code"] });
}

async function scan() {
  const status = root.querySelector("[data-status]");
  const video = root.querySelector("video");
  const say = (key) => { status.textContent = root.dataset[key]; };
  say("msgStarting");
  locate(0);
  try {
    const [detector, stream] = await Promise.all([
      makeDetector(root.dataset.static),
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }),
    ]);
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    say("msgLooking");
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const tick = async () => {
      if (video.readyState >= 2 && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        const codes = await detector.detect(canvas);
        if (codes.length) {
          stream.getTracks().forEach((track) => track.stop());
          video.hidden = true;
          say("msgFound");
          form.elements.code.value = codes[0].rawValue;
          await locate(2000);
          form.submit();
          return;
        }
      }
      setTimeout(tick, 100);
    };
    tick();
  } catch (error) {
    say("msgFailed");
    form.elements.code.focus();
  }
}

if (form) {
  if (root && navigator.mediaDevices?.getUserMedia) {
    root.hidden = false;
    root.querySelector("[data-scan-start]").addEventListener("click", scan);
  }
  form.addEventListener("submit", async (event) => {
    if (!form.elements.latitude || form.elements.latitude.value || !navigator.geolocation) return;
    event.preventDefault();
    await locate(3000);
    form.submit();
  });
}
