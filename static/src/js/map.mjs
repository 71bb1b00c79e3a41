// Visits on a Leaflet map, numbered as in the list beside it. Without a tile server (the default) the
// markers sit on a plain background: the list stays the full, accessible account of the day.
const L = window.L;

function readJson(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

// Markers grow with "Larger text" (the root's font size), as every text on the page does.
function markerIcon(className, text) {
  const size = Math.round((30 * parseFloat(getComputedStyle(document.documentElement).fontSize)) / 16);
  return L.divIcon({ className: `socmon-marker ${className}`, html: text, iconSize: [size, size],
                     iconAnchor: [size / 2, size / 2] });
}

export function drawVisits(state, markers, office, { fit }) {
  state.layer.clearLayers();
  const points = [];
  if (office) {
    L.marker([office.lat, office.lon], { icon: markerIcon("socmon-marker--office", "⌂"), keyboard: false,
      title: state.el.dataset.officeLabel }).addTo(state.layer);
    points.push([office.lat, office.lon]);
  }
  for (const m of markers) {
    const number = m.n === null || m.n === undefined ? "·" : String(m.n);
    L.marker([m.lat, m.lon], { icon: markerIcon(`socmon-marker--${m.status}`, number), keyboard: false,
      title: `${number}. ${m.label}` }).addTo(state.layer);
    points.push([m.lat, m.lon]);
  }
  if (fit && points.length) state.map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
}

export function createMap(el) {
  const tiles = el.dataset.tileUrl;
  const map = L.map(el, { attributionControl: Boolean(tiles), scrollWheelZoom: false, zoomControl: false });
  L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
  if (tiles) L.tileLayer(tiles, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  map.setView([0, 0], 2);
  return { el, map, layer: L.layerGroup().addTo(map) };
}

const el = document.getElementById("visit-map");
if (el && L) {
  const state = createMap(el);
  const office = readJson("visit-office");
  drawVisits(state, readJson("visit-markers") || [], office, { fit: true });
  if (el.dataset.live) {
    // The live board is swapped by htmx every few seconds; redraw its markers, keep the reader's zoom.
    document.body.addEventListener("htmx:afterSwap", () => {
      drawVisits(state, readJson("visit-markers") || [], office, { fit: false });
    });
  }
}
