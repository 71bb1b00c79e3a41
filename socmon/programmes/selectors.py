"""Reads for the programme pages, always from `access.programmes_visible_to` or a programme already checked."""

from dataclasses import dataclass, field

from django.db.models import Case, Prefetch, QuerySet, Subquery, When
from django.utils.translation import gettext as _

from socmon.indicators.models import Indicator
from socmon.indicators.selectors import current_indicators

from . import access
from .models import STAGE_ORDER, Evaluation, Goal, Outcome, PlanIndicator, PlanVersion, Programme, ResourceItem


def programme_list(user, *, stage: str = "") -> QuerySet[Programme]:
    """The programmes the user reads, by name; `stage` narrows them (on the (unit, stage) index)."""
    programmes = access.programmes_visible_to(user)
    if stage:
        programmes = programmes.filter(stage=stage)
    return programmes.select_related("org_unit").order_by("name", "pk")


@dataclass
class Step:
    label: str
    state: str  # "done", "current" or "next"


def stepper(programme: Programme) -> list[Step]:
    """The programme cycle with the programme's place in it."""
    here = STAGE_ORDER.index(programme.stage)
    states = ["done" if i < here else "current" if i == here else "next" for i in range(len(STAGE_ORDER))]
    return [Step(str(label), state) for (_value, label), state in zip(Programme.Stage.choices, states, strict=True)]


def versions_of(programme: Programme) -> list[PlanVersion]:
    return list(programme.versions.select_related("created_by", "submitted_by", "approved_by").order_by("-number"))


@dataclass
class DashboardIndicators:
    """What a programme's dashboard offers: the plan's indicators (key ones first), those it opens on, and the
    plan's baselines."""

    offered: list[Indicator]
    opening: list[Indicator]
    baselines: dict[int, object]


def dashboard_indicators(programme: Programme) -> DashboardIndicators:
    """The indicators of the plan in force (the newest approved version; before any approval, the newest version).
    One query."""
    newest = (programme.versions.annotate(unapproved=Case(When(status=PlanVersion.Status.APPROVED, then=0),
                                                         default=1))
              .order_by("unapproved", "-number").values("pk")[:1])
    rows = (PlanIndicator.objects.filter(outcome__goal__version=Subquery(newest)).select_related("indicator")
            .order_by("-key", "pk"))
    offered, opening, baselines = [], [], {}
    for row in rows:
        if row.indicator in offered:
            continue
        offered.append(row.indicator)
        if row.key:
            opening.append(row.indicator)
        if row.baseline is not None:
            baselines[row.indicator_id] = row.baseline
    return DashboardIndicators(offered, opening or offered, baselines)


def current_approved(versions: list[PlanVersion]) -> PlanVersion | None:
    """The version in force: the newest approved one (`versions`, newest first)."""
    return next((v for v in versions if v.status == PlanVersion.Status.APPROVED), None)


def open_version(versions: list[PlanVersion]) -> PlanVersion | None:
    return next((v for v in versions if v.status in PlanVersion.OPEN), None)


def get_version(programme: Programme, number) -> PlanVersion:
    from django.http import Http404

    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    version = programme.versions.filter(number=number).select_related(
        "created_by", "submitted_by", "approved_by").first() if 0 < number < 2**15 else None
    if version is None:
        raise Http404
    return version


@dataclass
class Structure:
    version: PlanVersion
    goals: list[Goal]
    roles: list
    resources: list[tuple[str, list[ResourceItem]]]  # (kind's label, its items), in the checklist's order
    evaluations: list[Evaluation] = field(default_factory=list)

    @property
    def outcomes(self) -> list[Outcome]:
        return [outcome for goal in self.goals for outcome in goal.outcomes.all()]

    @property
    def indicator_count(self) -> int:
        return sum(len(outcome.indicators.all()) for outcome in self.outcomes)


def structure(version: PlanVersion) -> Structure:
    """The whole plan in four queries (goals with outcomes and indicators, roles, resources) plus evaluations."""
    indicators = PlanIndicator.objects.select_related("indicator").order_by("pk")
    goals = list(version.goals.prefetch_related(
        Prefetch("outcomes", queryset=Outcome.objects.order_by("pk")),
        Prefetch("outcomes__indicators", queryset=indicators)).order_by("pk"))
    by_kind: dict[str, list[ResourceItem]] = {kind: [] for kind in ResourceItem.Kind.values}
    for item in version.resources.order_by("pk"):
        by_kind[item.kind].append(item)
    resources = [(str(label), by_kind[kind]) for kind, label in ResourceItem.Kind.choices]
    evaluations = list(version.evaluations.select_related("recorded_by").order_by("held_on", "pk"))
    return Structure(version, goals, list(version.roles.order_by("pk")), resources, evaluations)


def indicator_choices(today) -> list[tuple[str, str]]:
    """Indicators a plan may add: the current version of each, not retired."""
    indicators: QuerySet[Indicator] = current_indicators().exclude(valid_to__lt=today)
    return [("", _("Choose an indicator"))] + [(i.code, f"{i.code} {i.label}") for i in indicators]


# --- What changed between two versions -----------------------------------------------------------------------

@dataclass
class Change:
    section: str
    what: str  # "added", "removed" or "changed"
    text: str


def _flat(version: PlanVersion) -> dict[str, dict]:
    """The version's structure as comparable keys and values, per section."""
    plan = structure(version)
    freq = dict(PlanIndicator._meta.get_field("frequency").choices)
    status = dict(ResourceItem.Status.choices)
    indicators = {}
    for goal in plan.goals:
        for outcome in goal.outcomes.all():
            for i in outcome.indicators.all():
                indicators[f"{i.indicator.code} — {outcome.text}"] = {
                    _("data-collection method"): i.method, _("how often"): str(freq.get(i.frequency, "")),
                    _("who is responsible"): i.responsible,
                    _("baseline"): "" if i.baseline is None else f"{i.baseline.normalize():f}",
                    _("key indicator"): _("yes") if i.key else _("no")}
    return {
        _("Goals"): {goal.text: {} for goal in plan.goals},
        _("Outcomes"): {f"{o.text} ({o.goal.text})": {} for o in plan.outcomes},
        _("Indicators"): indicators,
        _("Roles and responsibilities"): {r.role: {_("responsibilities"): r.responsibilities} for r in plan.roles},
        _("Resources"): {f"{label}: {r.item}": {_("status"): str(status[r.status]), _("notes"): r.notes}
                         for label, items in plan.resources for r in items},
    }


def changes_between(older: PlanVersion, newer: PlanVersion) -> list[Change]:
    """What `newer` adds, removes and changes against `older`, section by section, in plain words."""
    before, after = _flat(older), _flat(newer)
    changes: list[Change] = []
    for section, new_items in after.items():
        old_items = before[section]
        changes += [Change(section, "removed", key) for key in old_items if key not in new_items]
        changes += [Change(section, "added", key) for key in new_items if key not in old_items]
        for key, values in new_items.items():
            differing = [(name, old_items[key][name], value) for name, value in values.items()
                         if key in old_items and old_items[key][name] != value]
            changes += [Change(section, "changed", _("%(item)s: %(field)s “%(old)s” → “%(new)s”")
                               % {"item": key, "field": name, "old": old, "new": new})
                        for name, old, new in differing]
    return changes
