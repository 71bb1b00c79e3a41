"""Indicator definitions, targets, and the engine's two tables (DESIGN "Indicators").

- `Indicator`: a definition with a validity period. A definition is never changed in place: a new version
  replaces it (`replaces`), and stored values keep pointing at the version they were computed with.
- `Contribution`: the leaf table. Per indicator, series (numerator or denominator), org unit (where the fact was
  recorded) and month: one row per client for distinct-client measures, one row with an `amount` for counts and
  sums, and a *marker* row (client null, amount 0) for every unit and month where the indicator's source has
  any fact at all, so a true zero is told apart from no data. Distinct counts at any level and period are
  COUNT(DISTINCT client_id) over a path prefix and a period column: exact, never a sum of distinct counts.
- `IndicatorValue`: the stored values every page reads (org unit × period × indicator × disaggregation).
- `StaleMark`: an append-only queue of (source, unit, month) a save has changed, written in the save's own
  transaction and consumed by the worker (`engine.refresh`).
- `Target`: planned value (and baseline) per indicator, unit, period and optionally disaggregation.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .periods import TYPE_LABELS


class Indicator(models.Model):
    class Kind(models.TextChoices):
        PROCESS = "process", _("Process")
        RESULT = "result", _("Result")
        SATISFACTION = "satisfaction", _("Satisfaction")

    class Collection(models.TextChoices):
        MONTH = "M", _("Monthly")
        QUARTER = "Q", _("Quarterly")
        HALF = "H", _("Every six months")
        YEAR = "Y", _("Yearly")

    code = models.CharField(_("code"), max_length=20)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    built_in = models.BooleanField(default=False, editable=False)
    # Custom indicators carry their texts here; built-ins are translated from `definitions.BUILT_INS`.
    name = models.CharField(_("name"), max_length=200, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    outcome = models.TextField(_("outcome it monitors"), blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    direct = models.BooleanField(_("direct indicator"), default=True)
    quantitative = models.BooleanField(_("quantitative"), default=True)
    collected = models.CharField(_("collected for each"), max_length=1, choices=Collection.choices,
                                 default=Collection.MONTH)
    higher_is_better = models.BooleanField(_("a higher value is better"), default=True)
    # {"numerator": [fact spec, ...], "denominator": [fact spec, ...] | None, "reported": fact spec, "percent": bool}
    spec = models.JSONField(default=dict)
    dimensions = models.JSONField(default=list, blank=True)  # some of "sex", "age", "category"
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name=_("replaces"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "version"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicator_code_version"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                                   name="indicator_validity_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        from .definitions import text_of

        return text_of(self, "name")

    @property
    def is_ratio(self) -> bool:
        return bool(self.spec.get("denominator"))

    @property
    def additive(self) -> bool:
        """A unit's value is the sum of its children's (counts and sums); distinct clients and ratios are not."""
        from .facts import DISTINCT_CLIENTS

        return not self.is_ratio and all(spec.get("measure") != DISTINCT_CLIENTS
                                         for spec in self.spec.get("numerator", []))

    def valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Contribution(models.Model):
    NUMERATOR, DENOMINATOR = 0, 1

    # The engine's two tables are derived (rebuilt from the facts, never edited by people): no database foreign key
    # (a rebuild writes hundreds of thousands of rows, each of which would be checked twice at commit; Django still
    # cascades a deletion) and no index of their own (the indexes below lead with them).
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", db_constraint=False,
                                  db_index=False)
    series = models.PositiveSmallIntegerField(default=NUMERATOR)
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", db_constraint=False,
                                 db_index=False)
    month = models.DateField()
    quarter = models.DateField()
    half = models.DateField()
    year = models.DateField()
    client_id = models.BigIntegerField(null=True)  # no foreign key: the leaf table is rebuilt, never edited
    sex = models.CharField(max_length=10, blank=True)
    age = models.CharField(max_length=8, blank=True)
    category_id = models.IntegerField(null=True)
    amount = models.BigIntegerField(default=0)
    newest = models.DateField(null=True)  # the newest fact in the row

    class Meta:
        indexes = [
            models.Index(fields=["indicator", "org_unit", "month"], name="contribution_cell"),
            # A period of any type is a range of months.
            models.Index(fields=["indicator", "month"], name="contribution_month"),
            # A client's other rows (the refresh counts a client's arrival or departure in a subtree and period).
            models.Index(fields=["indicator", "client_id", "month"], name="contribution_client"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.org_unit_id} {self.month} {self.client_id} {self.amount}"


class IndicatorValue(models.Model):
    TOTAL = ""

    # Derived, as the leaf table: no database foreign keys; the unique cell and the unit index lead with them.
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values", db_constraint=False,
                                  db_index=False)
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", db_constraint=False,
                                 db_index=False)
    period_type = models.CharField(max_length=1, choices=list(TYPE_LABELS.items()))
    period_start = models.DateField()
    dimension = models.CharField(max_length=10, blank=True)  # "" for the total, "sex", "age", "category"
    member = models.CharField(max_length=40, blank=True)     # "" for the total, "female", "18-34", a category id
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField(null=True)
    newest_fact = models.DateField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["indicator", "org_unit", "period_type", "period_start", "dimension", "member"],
            name="indicator_value_cell")]
        indexes = [models.Index(fields=["org_unit", "period_type", "period_start"], name="indicator_value_unit")]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.org_unit_id} {self.period_type}{self.period_start} {self.member}"

    @property
    def value(self) -> float | int | None:
        """The number shown: the count, or the ratio (a percentage when the indicator says so)."""
        if self.denominator is None:
            return self.numerator
        if not self.denominator:
            return None
        ratio = self.numerator / self.denominator
        return round(100 * ratio, 1) if self.indicator.spec.get("percent") else round(ratio, 2)


class StaleMark(models.Model):
    source = models.CharField(max_length=20)
    org_unit_id = models.BigIntegerField()  # no foreign key: a mark must never block or fail the save that writes it
    month = models.DateField()
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.source} {self.org_unit_id} {self.month}"


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets",
                                  verbose_name=_("indicator"))
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("organisation unit"))
    period_type = models.CharField(_("period type"), max_length=1, choices=list(TYPE_LABELS.items()))
    period_start = models.DateField(_("period start"))
    dimension = models.CharField(max_length=10, blank=True)
    member = models.CharField(max_length=40, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "period_type", "period_start", "dimension", "member"],
                name="indicator_target_cell"),
            models.CheckConstraint(condition=Q(target__gte=0), name="indicator_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.org_unit_id} {self.period_type}{self.period_start}: {self.target}"
