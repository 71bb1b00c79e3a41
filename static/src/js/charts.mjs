// Draws the dashboards' Vega-Lite charts (socmon/indicators/charts.py builds the specs; each sits in the page as
// JSON beside the table that holds the same figures). Without JavaScript the tables are the page.
// Vega evaluates expressions with `new Function` unless given its interpreter: with `ast: true` and the
// interpreter the page's CSP needs no 'unsafe-eval'. vega-embed's own stylesheet is off (CSP: no inline styles).

const script = document.getElementById("charts-script");

async function draw() {
  const { expressionInterpreter } = await import(script.dataset.interpreter);
  for (const element of document.querySelectorAll("[data-chart]")) {
    const spec = JSON.parse(document.getElementById(element.dataset.chart).textContent);
    try {
      await window.vegaEmbed(element, spec, {
        renderer: "svg", actions: false, ast: true, expr: expressionInterpreter, defaultStyle: false,
        tooltip: false,
      });
      // The element is the image (role="img", named by the description); the drawing inside is not read out.
      element.querySelector("svg")?.setAttribute("aria-hidden", "true");
      element.classList.add("socmon-chart__canvas--drawn");
    } catch (error) {
      element.hidden = true; // the table beside it still holds every figure
      console.error(error);
    }
  }
}

if (window.vegaEmbed && script) draw();
