"""Who sees which units' aggregates, and in how much detail: one rule (`aggregate_scope`) for reports and
indicators alike."""

import pytest

from socmon.accounts.access import AGGREGATE_ONLY, FOLLOW_VISITS, INDIVIDUAL, REPORT_VISITS, aggregate_scope
from socmon.accounts.models import Membership, Role
from socmon.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def detail(user, unit) -> str | None:
    scope = aggregate_scope(user, REPORT_VISITS, individuals=FOLLOW_VISITS)
    unit = OrgUnit.objects.get(pk=unit.pk)
    return scope.detail(unit.path) if scope.covers(unit.path) else None


def test_the_evaluator_sees_every_units_aggregates_and_no_individual(world):
    assert {detail(world.eve, u) for u in (world.country, world.centre, world.home_care, world.hill_care)} == {
        AGGREGATE_ONLY}


def test_staff_see_individuals_within_their_reach_and_nothing_outside(world):
    assert detail(world.heidi, world.home_care) == INDIVIDUAL and detail(world.heidi, world.family) is None
    assert detail(world.dora, world.family) == INDIVIDUAL and detail(world.dora, world.hill_care) is None
    assert detail(world.ann, world.hill_care) == INDIVIDUAL
    assert detail(world.alice, world.home_care) is None  # workers get no reports


def test_an_evaluator_who_heads_a_department_sees_individuals_there_only(world):
    Membership.objects.create(user=world.eve, org_unit=world.home_care, role=Role.HEAD)
    world.eve.refresh_from_db()
    assert detail(world.eve, world.home_care) == INDIVIDUAL
    assert detail(world.eve, world.family) == detail(world.eve, world.centre) == AGGREGATE_ONLY
