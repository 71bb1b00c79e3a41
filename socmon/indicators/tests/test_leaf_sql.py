"""The rebuild's leaf rows computed in SQL (`engine.contribution_sql`) equal the leaf rows computed in Python
(`engine.contribution_rows`, which the refresh uses), exactly, for every built-in and for every fact with every
measure it supports: ages at their boundaries (a birthday on the first of the fact's month, a day after, 75, born
after the fact, born and counted on 29 February), date-times just either side of a local midnight at a month's
end, facts without a client, and a validity that starts and ends within a month."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from socmon.activities.models import Activity
from socmon.cases.models import Case, Referral
from socmon.clients.models import Client
from socmon.feedback import services as feedback_services
from socmon.feedback.models import Feedback
from socmon.indicators import engine
from socmon.indicators.facts import COUNT, DISTINCT_CLIENTS, FACTS, SUM
from socmon.indicators.models import Contribution, Indicator, IndicatorValue
from socmon.surveys.tests.kit import questionnaire_version
from socmon.visits.models import Rating, ServiceDelivery, Visit
from socmon.visits.tests.fieldkit import done_visit, make_client, service_kind

from .kit import activity, client
from .test_sources import _answers, _feedback, _referred

pytestmark = pytest.mark.django_db


def _born(person, day: datetime.date) -> Client:
    Client.objects.filter(pk=person.pk).update(birth_date=day, consent_given_on=max(day, datetime.date(2026, 1, 10)))
    person.refresh_from_db()
    return person


def _local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), timezone.get_current_timezone())


@pytest.fixture
def varied(world):
    people = [
        _born(client(world, world.home_care, first="Amina"), datetime.date(2008, 3, 1)),   # 18 on 1 March 2026
        _born(client(world, world.home_care, first="Boris", sex=Client.Sex.MALE), datetime.date(2008, 3, 2)),  # 17
        _born(client(world, world.family, first="Dana"), datetime.date(1951, 1, 1)),        # 75 on 1 January 2026
        _born(client(world, world.family, first="Erlan", sex=Client.Sex.MALE), datetime.date(1951, 1, 2)),   # 74
        _born(client(world, world.hill_care, first="Farida"), datetime.date(2008, 2, 29)),  # born on 29 February
        _born(client(world, world.home_care, first="Galym", sex=Client.Sex.MALE), datetime.date(2026, 5, 1)),
    ]
    for day in [datetime.date(2026, 3, 15), datetime.date(2026, 1, 1), datetime.date(2024, 2, 29),
                datetime.date(2026, 2, 28), datetime.date(2025, 12, 31)]:
        for unit in (world.home_care, world.family, world.hill_care):
            for kind in (Activity.Kind.GROUP, Activity.Kind.INDIVIDUAL, Activity.Kind.OPEN):
                activity(world, unit, day, kind=kind, clients=people[(day.day + len(kind)) % 3::2], others=day.day % 4)
    # Date-times either side of a local midnight at a month's end (Almaty is UTC+5: 23:59 and 00:01 local).
    feedback = [_feedback(world, person) for person in people[:4]]
    feedback_services.confirm_answer(by=world.alice, feedback_id=feedback[0].pk)
    Feedback.objects.filter(pk=feedback[0].pk).update(confirmed_at=_local(datetime.date(2026, 3, 31), 23, 59))
    Feedback.objects.filter(pk=feedback[1].pk).update(confirmed_at=_local(datetime.date(2026, 4, 1), 0, 1),
                                                      received_on=datetime.date(2026, 2, 28))
    _feedback(world, None, source=Feedback.Source.PUBLIC, unit=world.centre)
    for first, kind in (("Ivan", "housing"), ("Jana", "legal"), ("Kanat", "medical")):
        _referred(world, kind, joined=True, first=first)
    Referral.objects.filter(programme_kind="housing").update(sent_at=_local(datetime.date(2026, 6, 30), 23, 59),
                                                             joined_on=datetime.date(2024, 2, 29))
    Case.objects.filter(pk=Case.objects.order_by("pk").values("pk")[:1]).update(
        opened_at=_local(datetime.date(2026, 1, 1), 0, 1))
    version = questionnaire_version(world)
    _answers(world, version, people[0], datetime.date(2026, 3, 1), {"IR2": True, "IS1": True, "IS2": False})
    _answers(world, version, people[4], datetime.date(2024, 2, 29), {"IR3": True, "IS2": True})
    visited = _born(make_client(world, worker=world.alice, first="Lola"), datetime.date(1951, 3, 1))
    visit = done_visit(world, visited)
    Visit.objects.filter(pk=visit.pk).update(planned_for=datetime.date(2026, 3, 1))
    ServiceDelivery.objects.create(visit=visit, service=service_kind(), minutes=25)
    Rating.objects.create(visit=visit, score=8, channel=Rating.Channel.CARD)
    return people


def _normal(rows) -> list[tuple]:
    found = []
    for row in rows:
        row = list(row)
        for i in (3, 4, 5, 6, 12):
            row[i] = engine._date(row[i])
        row[11] = int(row[11])
        found.append(tuple(row))
    return sorted(found, key=repr)


def _same(indicator: Indicator) -> None:
    sql, params = engine.contribution_sql(indicator)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        computed = cursor.fetchall()
    expected = _normal(engine.contribution_rows(indicator))
    assert expected, indicator.spec
    assert _normal(computed) == expected, indicator.spec


def test_every_built_in(varied):
    for indicator in Indicator.objects.filter(built_in=True):
        _same(indicator)


def _specs():
    for name, fact in FACTS.items():
        yield {"fact": name, "measure": COUNT}
        if fact.client:
            yield {"fact": name, "measure": DISTINCT_CLIENTS}
        for field in fact.sums:
            yield {"fact": name, "measure": SUM, "field": field}


def test_every_fact_and_measure_within_a_validity(varied):
    dimensions = ["sex", "age", "category"]
    for number, spec in enumerate(_specs()):
        for valid_from, valid_to in ((datetime.date(2020, 1, 1), None),
                                     (datetime.date(2026, 2, 28), datetime.date(2026, 3, 1))):
            reported = {"fact": "activities", "measure": COUNT}
            indicator = Indicator(pk=9000 + number, code=f"T{number}", kind="process", dimensions=dimensions,
                                  spec={"numerator": [spec], "reported": reported if number % 2 else spec},
                                  valid_from=valid_from, valid_to=valid_to)
            if valid_to is None:
                _same(indicator)
            else:  # a narrow validity may hold nothing for some facts: equal, possibly empty
                sql, params = engine.contribution_sql(indicator)
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    assert _normal(cursor.fetchall()) == _normal(engine.contribution_rows(indicator)), spec


def test_a_ratio_with_filters(varied):
    spec = {"numerator": [{"fact": "attendance", "measure": DISTINCT_CLIENTS, "filters": {"kind": ["group"]}},
                          {"fact": "other_participants", "measure": SUM, "field": "count"}],
            "denominator": [{"fact": "activities", "measure": COUNT, "filters": {"with_attendance": True}},
                            {"fact": "ratings", "measure": COUNT, "filters": {"score_at_least": 5}}],
            "reported": {"fact": "activities", "measure": COUNT}}
    _same(Indicator(pk=8999, code="R", kind="process", dimensions=["age"], spec=spec,
                    valid_from=datetime.date(2024, 2, 10)))


def _held(indicator: Indicator) -> list[tuple]:
    return _normal(Contribution.objects.filter(indicator=indicator).values_list(*engine.CONTRIBUTION_COLUMNS))


def test_a_rebuild_over_stored_rows_leaves_exactly_the_computed_ones(varied):
    """The nightly audit's path (compared in SQL): a missing row, a row too many, a changed amount, a changed
    newest fact, a row stored twice and a row with no client are each put right."""
    indicators = list(Indicator.objects.filter(code__in=["IP2", "IP5", "IP6"]))
    engine.rebuild(indicators)
    expected = {indicator.pk: _normal(engine.contribution_rows(indicator)) for indicator in indicators}
    assert all(_held(indicator) == expected[indicator.pk] for indicator in indicators)
    ip2, ip5, ip6 = sorted(indicators, key=lambda indicator: indicator.code)
    rows = Contribution.objects.filter(indicator=ip5).order_by("pk")
    rows.filter(pk=rows.filter(client_id__isnull=True, amount__gt=0)[0].pk).update(amount=F("amount") + 1)
    rows.filter(pk=rows.filter(client_id__isnull=False)[0].pk).delete()
    twice = rows.filter(client_id__isnull=False)[0]
    twice.pk = None
    twice.save()
    Contribution.objects.filter(pk=Contribution.objects.filter(indicator=ip2).order_by("pk")[0].pk).update(
        newest=datetime.date(2000, 1, 1))
    Contribution.objects.create(indicator=ip6, org_unit=ip6_unit(ip6), month=datetime.date(2026, 5, 1),
                                quarter=datetime.date(2026, 4, 1), half=datetime.date(2026, 1, 1),
                                year=datetime.date(2026, 1, 1), client_id=None, amount=3)
    engine.rebuild(indicators)
    assert all(_held(indicator) == expected[indicator.pk] for indicator in indicators)


def ip6_unit(indicator: Indicator):
    return Contribution.objects.filter(indicator=indicator).first().org_unit


def test_a_rebuild_over_stored_values_puts_each_wrong_one_right_and_keeps_the_others(varied):
    ip5 = Indicator.objects.get(code="IP5", built_in=True)
    engine.rebuild([ip5], now=timezone.now() - datetime.timedelta(days=1))
    expected = engine.stored(ip5)
    values = IndicatorValue.objects.filter(indicator=ip5).order_by("pk")
    changed, gone, dated = values[0], values[1], values[2]
    IndicatorValue.objects.filter(pk=changed.pk).update(numerator=F("numerator") + 1)
    IndicatorValue.objects.filter(pk=gone.pk).delete()
    IndicatorValue.objects.filter(pk=dated.pk).update(newest_fact=None)
    IndicatorValue.objects.create(indicator=ip5, org_unit=changed.org_unit, period_type="M",
                                  period_start=datetime.date(1999, 1, 1), numerator=4, computed_at=timezone.now())
    kept = values.exclude(pk__in=[changed.pk, dated.pk]).count() - 1
    engine.rebuild([ip5])
    assert engine.stored(ip5) == expected
    assert values.filter(computed_at__lt=timezone.now() - datetime.timedelta(hours=1)).count() == kept
