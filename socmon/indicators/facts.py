"""The facts indicators count, where their apps keep them (DESIGN "Indicators").

A `Fact` names one kind of recorded thing (an activity, an attendance, a confirmed feedback answer, a survey
answer, a visit, a rating…) and how to read it: the field holding its org unit, the date it counts on, the
client it concerns (if any), the amounts that can be summed and the filters an indicator may apply. Facts are
grouped in *sources*: a save of any fact of a source marks that source's (unit, month) stale (`stale`), and
every indicator reading the source is recomputed for it (`engine`).

An indicator never reads the apps' tables in any other way; adding a fact here makes it available to custom
indicators, with its filters, at once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIVITIES, FEEDBACK, REFERRALS, SURVEYS, VISITS, CASES = "activities", "feedback", "referrals", "surveys", "visits", \
    "cases"

COUNT, DISTINCT_CLIENTS, SUM = "count", "distinct_clients", "sum"
MEASURE_LABELS = {COUNT: _("number of records"), DISTINCT_CLIENTS: _("number of distinct clients"),
                  SUM: _("sum of a field")}


@dataclass(frozen=True)
class Filter:
    """A condition an indicator may put on a fact: `choices` (one or several values of a field), `minimum`
    (a number at least), `boolean`, or `custom` (applied by `apply`)."""

    label: Promise
    kind: str
    lookup: str = ""
    choices: Callable[[], list[tuple[str, str]]] | None = None
    apply: Callable[[QuerySet, object], QuerySet] | None = None

    def filter(self, queryset: QuerySet, value) -> QuerySet:
        if self.apply is not None:
            return self.apply(queryset, value)
        if self.kind == "choices":
            values = value if isinstance(value, list | tuple) else [value]
            return queryset.filter(**{f"{self.lookup}__in": list(values)})
        if self.kind == "minimum":
            return queryset.filter(**{f"{self.lookup}__gte": value})
        return queryset.filter(**{self.lookup: bool(value)})

    def check(self, value) -> bool:
        """Whether `value` is one this filter accepts (a custom indicator's definition is checked with it)."""
        if self.kind == "choices":
            allowed = {str(code) for code, _label in self.choices()}
            values = value if isinstance(value, list | tuple) else [value]
            return bool(values) and all(str(v) in allowed for v in values)
        if self.kind == "minimum":
            return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 10**9
        return isinstance(value, bool)


@dataclass(frozen=True)
class Fact:
    name: str
    label: Promise
    model: str  # "app_label.Model"
    source: str
    unit: str   # the lookup of the org unit's id, e.g. "activity__org_unit_id"
    date: str   # the lookup of the date it counts on (a DateField or a DateTimeField, read in local time)
    date_is_datetime: bool = False
    client: str | None = None  # the lookup of the client (its id is `<client>_id`), None for facts without one
    sums: dict[str, tuple[str, Promise]] = field(default_factory=dict)  # name → (lookup, label)
    filters: dict[str, Filter] = field(default_factory=dict)
    base: Callable[[QuerySet], QuerySet] | None = None  # what never counts (e.g. rows without the date)

    def queryset(self) -> QuerySet:
        queryset = apps.get_model(self.model)._default_manager.all()
        queryset = queryset.filter(**{f"{self.date}__isnull": False})
        return self.base(queryset) if self.base else queryset


def _choices(model: str, field_name: str) -> Callable[[], list[tuple[str, str]]]:
    return lambda: list(apps.get_model(model)._meta.get_field(field_name).choices)


def _service_kinds() -> list[tuple[str, str]]:
    return [(str(pk), str(label)) for pk, label in
            apps.get_model("catalogue.ServiceKind").objects.order_by("domain", "code").values_list("pk", "name")]


def _with_attendance(queryset: QuerySet, value) -> QuerySet:
    attended = Exists(apps.get_model("activities.Attendance").objects.filter(activity=OuterRef("pk")))
    return queryset.filter(attended if value else ~attended)


def _client_feedback(queryset: QuerySet) -> QuerySet:
    return queryset.filter(source="client", client__isnull=False)


_ACTIVITY_KIND = Filter(_("kind of activity"), "choices", "kind", _choices("activities.Activity", "kind"))


FACTS: dict[str, Fact] = {f.name: f for f in [
    Fact("activities", _("Activities"), "activities.Activity", ACTIVITIES, "org_unit_id", "held_on",
         filters={"kind": _ACTIVITY_KIND,
                  "with_attendance": Filter(_("at least one client attended"), "custom", apply=_with_attendance)}),
    Fact("attendance", _("Attendance of clients at activities"), "activities.Attendance", ACTIVITIES,
         "activity__org_unit_id", "activity__held_on", client="client",
         filters={"kind": Filter(_("kind of activity"), "choices", "activity__kind",
                                 _choices("activities.Activity", "kind"))}),
    Fact("other_participants", _("Other participants at activities (head counts)"), "activities.OtherParticipants",
         ACTIVITIES, "activity__org_unit_id", "activity__held_on",
         sums={"count": ("count", _("number of people"))},
         filters={"kind": Filter(_("kind of activity"), "choices", "activity__kind",
                                 _choices("activities.Activity", "kind"))}),
    Fact("feedback", _("Feedback from clients (by the day received)"), "feedback.Feedback", FEEDBACK, "org_unit_id",
         "received_on", client="client", base=_client_feedback,
         filters={"kind": Filter(_("type"), "choices", "kind", _choices("feedback.Feedback", "kind")),
                  "status": Filter(_("status"), "choices", "status", _choices("feedback.Feedback", "status"))}),
    Fact("feedback_confirmed", _("Answers to feedback confirmed by the client"), "feedback.Feedback", FEEDBACK,
         "org_unit_id", "confirmed_at", date_is_datetime=True, client="client", base=_client_feedback),
    Fact("referrals", _("Referrals sent"), "cases.Referral", REFERRALS, "from_unit_id", "sent_at",
         date_is_datetime=True, client="client",
         filters={"status": Filter(_("status"), "choices", "status", _choices("cases.Referral", "status")),
                  "kind": Filter(_("kind of referral"), "choices", "kind", _choices("cases.Referral", "kind"))}),
    Fact("referrals_joined", _("Clients who joined a programme after a referral (by the day joined)"),
         "cases.Referral", REFERRALS, "from_unit_id", "joined_on", client="client",
         base=lambda queryset: queryset.filter(joined=True),
         filters={"programme_kind": Filter(_("kind of programme"), "choices", "programme_kind",
                                           _choices("cases.Referral", "programme_kind"))}),
    Fact("survey_answers", _("Survey answers that count for an indicator"), "surveys.IndicatorAnswer", SURVEYS,
         "org_unit_id", "answered_on", client="client",
         filters={"indicator": Filter(_("indicator"), "choices", "indicator",
                                      _choices("surveys.IndicatorAnswer", "indicator")),
                  "counts": Filter(_("the answer counts (e.g. improved, with an example)"), "boolean", "counts")}),
    Fact("visits", _("Home visits (by the planned day)"), "visits.Visit", VISITS, "org_unit_id", "planned_for",
         client="client", filters={"status": Filter(_("status"), "choices", "status",
                                                    _choices("visits.Visit", "status"))}),
    Fact("services", _("Services delivered at visits"), "visits.ServiceDelivery", VISITS, "visit__org_unit_id",
         "visit__planned_for", client="visit__client",
         sums={"minutes": ("minutes", _("minutes"))},
         filters={"service": Filter(_("service"), "choices", "service_id", _service_kinds)}),
    Fact("ratings", _("Ratings of visits by clients"), "visits.Rating", VISITS, "visit__org_unit_id",
         "visit__planned_for", client="visit__client",
         sums={"score": ("score", _("score (1–10)"))},
         filters={"score_at_least": Filter(_("score at least"), "minimum", "score")}),
    Fact("cases", _("Cases (by the day opened)"), "cases.Case", CASES, "org_unit_id", "opened_at",
         date_is_datetime=True, client="client",
         filters={"status": Filter(_("status"), "choices", "status", _choices("cases.Case", "status"))}),
]}


def facts_of_model(label: str) -> list[Fact]:
    """The facts read from one model ("activities.Activity"), for marking its saves stale."""
    return [fact for fact in FACTS.values() if fact.model == label]

