"""The custom-indicator builder's forms. They show the chosen fact's own measures and filters (a plain POST with a
"Choose" button brings them, no script needed) and collect a definition in the shape `services` takes; every
rule about facts, measures, filters, breakdowns and codes is checked there, with one set of messages for these
pages, an import and the API. Errors come back keyed by their place in the definition (`field_for`)."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from socmon.lib.forms import OneTimeFormMixin, show_error
from socmon.visits.forms_planning import date_field

from . import periods
from .dashboard import MAX_INDICATORS
from .definitions import text_of
from .engine import DIMENSION_LABELS
from .facts import COUNT, DISTINCT_CLIENTS, FACTS, MEASURE_LABELS, SUM, Fact, Filter
from .models import Indicator
from .selectors import Member
from .services import QUALITY, Description, dimension_sizes

PREFIXES = {"num": "numerator", "den": "denominator"}
YES, NO = "yes", "no"
BOOLEAN = {YES: True, NO: False}  # a missing answer stays None, and the service asks for it


class OpenChoiceField(forms.ChoiceField):
    """A choice checked by the service against the chosen fact (so the pages and the API say the same thing)."""

    def valid_value(self, value) -> bool:
        return True


class OpenMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value) -> bool:
        return True


def _radios(label, choices, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def measure_choices(fact: Fact) -> list[tuple[str, str]]:
    """Only the measures the fact supports: distinct clients for facts about a client, sums for facts with sums."""
    choices = [(COUNT, capfirst(MEASURE_LABELS[COUNT]))]
    if fact.client:
        choices.append((DISTINCT_CLIENTS, capfirst(MEASURE_LABELS[DISTINCT_CLIENTS])))
    choices += [(f"{SUM}:{name}", _("Sum of %(field)s") % {"field": label}) for name, (_lookup, label) in
                fact.sums.items()]
    return choices


def filter_field(accepted: Filter) -> forms.Field:
    label = capfirst(accepted.label)
    if accepted.kind == "choices":
        return OpenMultipleChoiceField(label=label, choices=accepted.choices(), required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=gettext_lazy("Tick none to count them all."))
    if accepted.kind == "minimum":
        return forms.IntegerField(label=label, required=False, help_text=gettext_lazy("Leave empty to count them all."),
                                  error_messages={"invalid": gettext_lazy("Enter a whole number, for example 8.")},
                                  widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric",
                                                                "spellcheck": "false", "autocomplete": "off"}))
    return forms.BooleanField(label=label, required=False)


def field_for(key: str) -> str:
    """The form field showing a service error keyed by its place in the definition ("numerator.filters.status")."""
    series, _dot, part = key.partition(".")
    prefix = {name: prefix for prefix, name in PREFIXES.items()}.get(series)
    if prefix is None:
        return key
    if part.startswith("filters."):
        return f"{prefix}_f_{part.removeprefix('filters.')}"
    return f"{prefix}_measure" if part in ("measure", "field") else f"{prefix}_fact"


def describe(spec: dict) -> str:
    """A fact spec in words: "Ratings of visits by clients: number of records; score at least: 8"."""
    fact = FACTS.get(spec.get("fact"))
    if fact is None:
        return str(spec.get("fact"))
    measure = dict(measure_choices(fact)).get(
        f"{SUM}:{spec.get('field')}" if spec.get("measure") == SUM else spec.get("measure", COUNT), "")
    parts = [f"{fact.label}: {measure}"]
    for name, value in (spec.get("filters") or {}).items():
        accepted = fact.filters.get(name)
        if accepted is None:
            continue
        if accepted.kind == "choices":
            labels = dict((str(code), label) for code, label in accepted.choices())
            values = value if isinstance(value, list | tuple) else [value]
            value = ", ".join(str(labels.get(str(v), v)) for v in values)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        parts.append(f"{accepted.label}: {value}")
    return "; ".join(parts)


class IndicatorForm(forms.Form):
    """A new indicator, or (with `replacing`) the next version of one, prefilled from it."""

    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=20, required=False,
        help_text=gettext_lazy("Up to 20 letters, numbers and hyphens, for example VR8. The codes of the built-in "
                               "indicators (IP1 to IS2) are taken."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false",
                                      "autocomplete": "off"}))
    name = forms.CharField(label=gettext_lazy("Name of the indicator"), max_length=200, required=False)
    definition = forms.CharField(label=gettext_lazy("Definition"), required=False,
                                 help_text=gettext_lazy("What exactly is counted, in a sentence or two."),
                                 widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=gettext_lazy("Outcome it monitors"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    kind = _radios(gettext_lazy("Kind"), Indicator.Kind.choices, required=False)
    direct = _radios(gettext_lazy("Direct or indirect"), [
        (YES, gettext_lazy("Direct: it measures the outcome itself")),
        (NO, gettext_lazy("Indirect: it measures a sign of the outcome"))], initial=YES, required=False)
    quantitative = _radios(gettext_lazy("Quantitative or qualitative"), [
        (YES, gettext_lazy("Quantitative")), (NO, gettext_lazy("Qualitative"))], initial=YES, required=False)
    collected = _radios(gettext_lazy("Collected for each"), list(periods.TYPE_LABELS.items()), required=False,
                        initial=periods.MONTH)
    data_source = forms.CharField(
        label=gettext_lazy("Data source"), max_length=300, required=False,
        help_text=gettext_lazy("Where the numbers come from, for example the visit records and the clients' "
                               "ratings."))
    higher_is_better = _radios(gettext_lazy("Is a higher value better?"), [
        (YES, gettext_lazy("Yes")), (NO, gettext_lazy("No, a lower value is better"))], initial=YES,
        required=False)
    num_fact = OpenChoiceField(label=gettext_lazy("Kind of record to count"), required=False)
    ratio = forms.BooleanField(label=gettext_lazy("Divide it by another count (a ratio or a share)"), required=False)
    den_fact = OpenChoiceField(label=gettext_lazy("Kind of record to divide by"), required=False)
    percent = forms.BooleanField(label=gettext_lazy("Show the ratio as a percentage"), required=False)
    keep_extra = forms.BooleanField(label=gettext_lazy("Keep these in the new version"), required=False,
                                    initial=True)
    dimensions = OpenMultipleChoiceField(label=gettext_lazy("Breakdowns"), required=False,
                                         choices=list(DIMENSION_LABELS.items()), widget=forms.CheckboxSelectMultiple)
    valid_from = date_field(gettext_lazy("Valid from"), required=False, help_text=gettext_lazy(
        "Values are computed for every month from this day on, including months already past."))
    quality = forms.MultipleChoiceField(
        label=gettext_lazy("Check it against the quality list of the monitoring guide (000)"), required=False,
        choices=[(key, format_lazy("{}: {}", name, prompt)) for key, (name, prompt) in QUALITY.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Prompts, not rules: the indicator is saved whichever you tick, and what you ticked "
                               "is kept with it."))
    replacing = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, data=None, *, initial=None, replacing: Indicator | None = None):
        if replacing is not None and data is None and initial is None:
            initial = self.initial_from(replacing)
        super().__init__(data, initial=initial or {"valid_from": timezone.localdate().replace(day=1)})
        source = self.data if self.is_bound else self.initial
        self.facts = {prefix: FACTS.get(source.get(f"{prefix}_fact") or "") for prefix in PREFIXES}
        choices = [("", _("Choose a kind of record"))] + [(f.name, f.label) for f in FACTS.values()]
        self.fields["num_fact"].choices = choices
        self.fields["den_fact"].choices = [("", _("None: it is not a ratio"))] + choices[1:]
        for prefix, fact in self.facts.items():
            if fact is not None:
                self._add_fact_fields(prefix, fact)
        self.extra = {series: (replacing.spec.get(series) or [])[1:] if replacing else [] for series in SERIES_NAMES}
        del self.fields["code" if replacing is not None else "replacing"]
        if not any(self.extra.values()):
            del self.fields["keep_extra"]
        sizes = dimension_sizes()
        self.fields["dimensions"].help_text = _(
            "Each breakdown is stored on its own, never crossed with another. Sex adds %(sex)s values to the total, "
            "age group %(age)s and client category %(category)s; at most %(limit)s values per unit and period.") % {
            **sizes, "limit": settings.SOCMON_INDICATOR_MAX_CELLS}

    def _add_fact_fields(self, prefix: str, fact: Fact) -> None:
        choices = measure_choices(fact)
        self.fields[f"{prefix}_measure"] = OpenChoiceField(
            label=_("What to count") if prefix == "num" else _("What to count for the denominator"),
            choices=choices, widget=forms.RadioSelect, required=False,
            initial=choices[0][0] if len(choices) == 1 else None)
        for name, accepted in fact.filters.items():
            self.fields[f"{prefix}_f_{name}"] = filter_field(accepted)

    @classmethod
    def carried(cls, data, *, replacing: Indicator | None = None) -> "IndicatorForm":
        """An unbound form showing what was sent (after "Choose"): the chosen fact's own fields, no errors yet."""
        bound = cls(data, replacing=replacing)
        initial = {name: value for name, field in bound.fields.items()
                   if (value := field.widget.value_from_datadict(data, {}, bound.add_prefix(name))) is not None}
        return cls(initial=initial, replacing=replacing)

    @staticmethod
    def initial_from(indicator: Indicator) -> dict:
        """The form as the replaced version would fill it (a built-in's texts in the current language)."""
        spec = indicator.spec
        initial = {field: text_of(indicator, field) for field in ("name", "definition", "outcome", "data_source")}
        initial.update(kind=indicator.kind, collected=indicator.collected, direct=YES if indicator.direct else NO,
                       quantitative=YES if indicator.quantitative else NO,
                       higher_is_better=YES if indicator.higher_is_better else NO,
                       dimensions=list(indicator.dimensions), quality=list(spec.get("quality", [])),
                       percent=bool(spec.get("percent")), ratio=bool(spec.get("denominator")),
                       replacing=indicator.version, valid_from=_next_month(indicator))
        for prefix, series in PREFIXES.items():
            first = (spec.get(series) or [None])[0]
            if first:
                initial.update(_fact_initial(prefix, first))
        return initial

    def _fact_spec(self, prefix: str) -> dict | None:
        data = self.cleaned_data
        name = data.get(f"{prefix}_fact") or ""
        fact = self.facts[prefix]
        if fact is None:
            return {"fact": name} if name else None
        measure = data.get(f"{prefix}_measure") or ""
        spec = {"fact": name, "measure": measure}
        if measure.startswith(f"{SUM}:"):
            spec.update(measure=SUM, field=measure.removeprefix(f"{SUM}:"))
        filters = {}
        for filter_name, accepted in fact.filters.items():
            value = data.get(f"{prefix}_f_{filter_name}")
            if accepted.kind == "choices" and value:
                filters[filter_name] = list(value)
            elif accepted.kind == "minimum" and value is not None:
                filters[filter_name] = value
            elif accepted.kind not in ("choices", "minimum") and value:
                filters[filter_name] = True
        if filters:
            spec["filters"] = filters
        return spec

    def service_fields(self) -> dict:
        """The cleaned form as the services take it (`define_indicator`, `replace_indicator`)."""
        data = self.cleaned_data
        keep = data.get("keep_extra", False)
        numerator = [s for s in [self._fact_spec("num")] if s] + (self.extra["numerator"] if keep else [])
        spec = {"numerator": numerator, "percent": data["percent"], "quality": data["quality"]}
        if data["ratio"] or data["den_fact"]:
            spec["denominator"] = ([s for s in [self._fact_spec("den")] if s]
                                   + (self.extra["denominator"] if keep else []))
        description = Description(
            name=data["name"].strip(), kind=data["kind"], definition=data["definition"].strip(),
            outcome=data["outcome"].strip(), data_source=data["data_source"].strip(),
            direct=BOOLEAN.get(data["direct"]), quantitative=BOOLEAN.get(data["quantitative"]),
            collected=data["collected"],
            higher_is_better=BOOLEAN.get(data["higher_is_better"]))
        found = {"description": description, "spec": spec, "dimensions": list(data["dimensions"]),
                 "valid_from": data["valid_from"]}
        if "code" in self.fields:
            found["code"] = data["code"]
        return found

    def show_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            error = ValidationError({field_for(key): errors for key, errors in error.error_dict.items()})
        show_error(self, error)

    @property
    def filter_fields(self) -> dict[str, list]:
        """The filters the chosen facts bring, as bound fields, for the template: {"num": [...], "den": [...]}."""
        return {prefix: [self[name] for name in self.fields if name.startswith(f"{prefix}_f_")]
                for prefix in PREFIXES}

    @property
    def extra_described(self) -> dict[str, list[str]]:
        """What the replaced version adds beyond the first fact of each series (IP5's other participants), in words."""
        return {series: [describe(spec) for spec in specs] for series, specs in self.extra.items()}


SERIES_NAMES = tuple(PREFIXES.values())


def _fact_initial(prefix: str, spec: dict) -> dict:
    measure = spec.get("measure", COUNT)
    initial = {f"{prefix}_fact": spec["fact"],
               f"{prefix}_measure": f"{SUM}:{spec.get('field')}" if measure == SUM else measure}
    fact = FACTS.get(spec["fact"])
    for name, value in (spec.get("filters") or {}).items():
        accepted = fact.filters.get(name) if fact else None
        if accepted is not None and accepted.kind == "choices":
            value = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        initial[f"{prefix}_f_{name}"] = value
    return initial


def _next_month(indicator: Indicator) -> datetime.date:
    """A replacement starts on the first of next month by default (never on or before the replaced one's start)."""
    start = periods.add_months(timezone.localdate(), 1)
    return max(start, indicator.valid_from + datetime.timedelta(days=1))


class RetireForm(forms.Form):
    valid_to = date_field(gettext_lazy("Last day it is valid"), help_text=gettext_lazy(
        "Values for periods after this day are no longer computed. Values already stored stay as they are."))
    version = forms.IntegerField(widget=forms.HiddenInput)


PERIOD_HINT = gettext_lazy(
    "For example 2026-11 (a month), 2026-Q4 (a quarter), 2026-H2 (a half-year) or 2026 (a year).")


class PeriodField(forms.CharField):
    """A period's key (`periods.parse`): a key that names no period is an error in words, never a 500."""

    def __init__(self, **kwargs):
        super().__init__(label=gettext_lazy("Period"), help_text=PERIOD_HINT, max_length=10, strip=True,
                         error_messages={"required": gettext_lazy("Enter a period."),
                                         "max_length": gettext_lazy("Enter a period such as 2026-11 or 2026-Q4.")},
                         **kwargs)
        self.widget.attrs.update({"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"})

    def clean(self, value):
        key = super().clean(value)
        if not key:
            return None
        try:
            return periods.parse(key)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="period") from None


class ValuesForm(forms.Form):
    """The period and the breakdown of the values table (the unit comes from the unit picker)."""

    period = PeriodField(required=False)
    by = forms.ChoiceField(label=gettext_lazy("Break down by"), required=False,
                           error_messages={"invalid_choice": gettext_lazy("Choose a breakdown from the list.")})

    def __init__(self, *args, dimensions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = [("", gettext_lazy("No breakdown")), *dimensions]


def member_choices(members: list[Member]) -> list:
    """"All (total)", then each dimension's members in a group of their own."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for m in members:
        groups.setdefault(m.dimension, []).append((f"{m.dimension}:{m.member}", m.label))
    return [("", gettext_lazy("All (total)")), *[(str(DIMENSION_LABELS[d]), choices) for d, choices in groups.items()]]


class TargetForm(OneTimeFormMixin, forms.Form):
    org_unit = forms.ModelChoiceField(
        label=gettext_lazy("Organisation unit"), queryset=None, widget=forms.HiddenInput,
        error_messages={"invalid_choice": gettext_lazy("You may set targets only for units in your reach."),
                        "required": gettext_lazy("Choose a unit above.")})
    period = PeriodField()
    member = forms.ChoiceField(label=gettext_lazy("For"), required=False,
                               help_text=gettext_lazy("The whole unit, or one group of people only (women, for "
                                                      "example)."),
                               error_messages={"invalid_choice": gettext_lazy("Choose from the list.")})
    target = forms.DecimalField(
        label=gettext_lazy("Target"), max_digits=14, decimal_places=2, widget=forms.TextInput,
        error_messages={"required": gettext_lazy("Enter the target."),
                        "invalid": gettext_lazy("Enter a number, for example 120 or 12.5."),
                        "max_digits": gettext_lazy("Enter a number from 0 to 999,999,999,999."),
                        "max_whole_digits": gettext_lazy("Enter a number from 0 to 999,999,999,999."),
                        "max_decimal_places": gettext_lazy("Enter at most 2 decimal places.")})
    baseline = forms.DecimalField(
        label=gettext_lazy("Baseline (optional)"), required=False, max_digits=14, decimal_places=2,
        widget=forms.TextInput,
        help_text=gettext_lazy("The value at the start, to measure the change from."),
        error_messages={"invalid": gettext_lazy("Enter a number, for example 120 or 12.5."),
                        "max_digits": gettext_lazy("Enter a number from 0 to 999,999,999,999."),
                        "max_whole_digits": gettext_lazy("Enter a number from 0 to 999,999,999,999."),
                        "max_decimal_places": gettext_lazy("Enter at most 2 decimal places.")})
    split = forms.BooleanField(
        label=gettext_lazy("Also split this annual target evenly into its four quarters"), required=False)

    def __init__(self, *args, units, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        self.fields["member"].choices = member_choices(members)
        for name in ("target", "baseline"):
            self.fields[name].widget.attrs.update({"class": "govuk-input--width-10", "inputmode": "decimal"})

    def clean_member(self) -> tuple[str, str]:
        value = self.cleaned_data.get("member") or ""
        dimension, _sep, member = value.partition(":")
        return (dimension, member) if value else ("", "")


class DashboardForm(forms.Form):
    """What a dashboard shows: the period, a few indicators, the one whose units are compared, and their order.
    The unit comes from the unit picker; `choices` are the indicators offered (code, label)."""

    period = PeriodField(required=False)
    indicator = forms.MultipleChoiceField(
        label=gettext_lazy("Indicators"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=format_lazy(gettext_lazy("Choose up to {count}."), count=MAX_INDICATORS),
        error_messages={"invalid_choice": gettext_lazy("Choose indicators from the list.")})
    compare = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=gettext_lazy("Order the units"), required=False,
        choices=[("name", gettext_lazy("By name")), ("high", gettext_lazy("Highest value first")),
                 ("low", gettext_lazy("Lowest value first"))],
        error_messages={"invalid_choice": gettext_lazy("Choose an order from the list.")})

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = choices

    def clean_indicator(self) -> list[str]:
        chosen = self.cleaned_data["indicator"]
        if len(chosen) > MAX_INDICATORS:
            raise forms.ValidationError(_("Choose at most %(count)s indicators at a time.")
                                        % {"count": MAX_INDICATORS})
        return chosen
