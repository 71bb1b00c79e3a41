"""Vega-Lite specs for the dashboards' charts, built from the same rows as the tables beside them.

A spec is a plain dict: the page embeds it as JSON and vega-embed draws it in the browser; the same dict renders to
SVG on the server with `vl_convert.vegalite_to_svg(spec)` (a PDF export needs nothing else). Rules every chart keeps:

- only figures that are shown are plotted: no data and a hidden (suppressed) figure are left out (or null, where a
  line must break), never drawn as 0;
- an indicator with a target draws it: a dashed line over periods, a mark at each bar's target;
- the words are ours and translated (axis titles, the description); Vega's own ARIA text is English, so it is turned
  off (`config.aria`) and the page names the chart (`role="img"`, the description) and gives its data table.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .dashboard import Panel
from .selectors import ValueRow

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
VALUE, TARGET = "#1d70b8", "#b21c0e"  # GOV.UK blue; a red dark enough for 3:1 against white
FONT = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif'
CONFIG = {"aria": False, "font": FONT, "view": {"stroke": None}, "mark": {"aria": False},
          "axis": {"labelFontSize": 12, "titleFontSize": 12, "aria": False}, "legend": {"aria": False},
          "background": None}


@dataclass
class Chart:
    """A chart on a page: its element id, the spec and the translated description (figcaption)."""

    id: str
    spec: dict
    description: str
    as_of: datetime.datetime | None

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"


def _number(value) -> float | None:
    """A figure to plot, or None (no data, hidden, cannot be computed)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def _base(description: str, layers: list[dict], **extra) -> dict:
    return {"$schema": SCHEMA, "description": description, "width": "container",
            "autosize": {"type": "fit-x", "contains": "padding"}, "config": CONFIG,
            "layer": [layer for layer in layers if layer["data"]["values"]] or layers[:1], **extra}


def trend(points: list[tuple[str, object, object]], *, description: str, value_title: str) -> dict:
    """A line over periods (label, value, target), oldest first, with the targets dashed."""
    labels = [label for label, _v, _t in points]
    x = {"field": "period", "type": "ordinal", "sort": labels, "scale": {"domain": labels}, "title": None,
         "axis": {"labelAngle": -40}}
    # Every period is listed, without a figure (null) where there is none, so that the line breaks there instead of
    # joining the periods on either side as if the values between were known.
    values = [{"period": label, "value": _number(value)} for label, value, _t in points]
    targets = [{"period": label, "target": t} for label, _v, target in points if (t := _number(target)) is not None]
    return _base(description, [
        {"data": {"values": values}, "mark": {"type": "line", "point": True, "color": VALUE,
                                              "invalid": "break-paths-filter-domains"},
         "encoding": {"x": x, "y": {"field": "value", "type": "quantitative", "title": value_title}}},
        {"data": {"values": targets}, "mark": {"type": "line", "point": {"shape": "diamond", "color": TARGET},
                                               "strokeDash": [6, 4], "color": TARGET},
         "encoding": {"x": x, "y": {"field": "target", "type": "quantitative", "title": value_title}}},
    ], height=200)


def bars(rows: list[tuple[str, object, object]], *, description: str, value_title: str) -> dict:
    """A horizontal bar per row (name, value, target) in the order given, a tick at each row's target."""
    names = _unique([name for name, _v, _t in rows])
    y = {"field": "name", "type": "nominal", "sort": names, "scale": {"domain": names}, "title": None,
         "axis": {"labelLimit": 160}}
    values = [{"name": n, "value": v} for n, (_l, value, _t) in zip(names, rows, strict=True)
              if (v := _number(value)) is not None]
    targets = [{"name": n, "target": t} for n, (_l, _v, target) in zip(names, rows, strict=True)
               if (t := _number(target)) is not None]
    return _base(description, [
        {"data": {"values": values}, "mark": {"type": "bar", "color": VALUE},
         "encoding": {"y": y, "x": {"field": "value", "type": "quantitative", "title": value_title}}},
        {"data": {"values": targets}, "mark": {"type": "tick", "color": TARGET, "thickness": 3},
         "encoding": {"y": y, "x": {"field": "target", "type": "quantitative", "title": value_title}}},
    ], height={"step": 22})


def for_paper(spec: dict, *, width: int = 480) -> dict:
    """The same chart at a fixed width, to render to SVG on the server (`vl_convert.vegalite_to_svg`) for a PDF:
    "container" has no width outside a page."""
    return {**spec, "width": width}


def _unique(names: list[str]) -> list[str]:
    """Two units of the same name would share a bar: the second becomes "Name (2)"."""
    seen: dict[str, int] = {}
    found = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        found.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return found


def _rows(rows: list[ValueRow]) -> list[tuple[str, object, object]]:
    return [(row.label, row.value, row.target) for row in rows]


def panel_charts(panel: Panel, *, unit_label: str) -> None:
    """The panel's charts: the trend, one per breakdown, and the comparison when the panel has one."""
    code, name = panel.indicator.code, panel.indicator.label
    title = _("Value (per cent)") if panel.percent else _("Value")
    common = {"indicator": name, "unit": unit_label, "period": panel.period.label}
    panel.trend_chart = _chart(f"chart-{code}-trend", panel, trend(
        [(p.label, row.value, row.target) for p, row in panel.trend], value_title=title,
        description=_("%(indicator)s in %(unit)s over %(count)s periods up to %(period)s: a line of the values and, "
                      "dashed, the targets.") % {**common, "count": len(panel.trend)}))
    for breakdown in panel.breakdowns:
        breakdown.chart = _chart(f"chart-{code}-{breakdown.dimension}", panel, bars(
            _rows(breakdown.rows), value_title=title,
            description=_("%(indicator)s in %(unit)s, %(period)s, by %(dimension)s: a bar per group and a red "
                          "mark at a group's target.") % {**common, "dimension": breakdown.label.lower()}))
    if panel.comparison is not None:
        panel.comparison_chart = _chart(f"chart-{code}-units", panel, bars(
            _rows(panel.comparison), value_title=title,
            description=_("%(indicator)s in the units of %(unit)s, %(period)s: a bar per unit and a red mark at a "
                          "unit's target.") % common))


def _chart(element_id: str, panel: Panel, spec: dict) -> Chart:
    hidden = _("Figures hidden to protect small numbers, and periods without data, are not drawn.")
    return Chart(element_id, spec, f"{spec['description']} {hidden}", panel.as_of)
