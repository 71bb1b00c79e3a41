"""Programmes and M&E plans: versions, freezing, approval by another person, evaluations (the services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from socmon.accounts.models import Role
from socmon.audit.models import AuditEvent
from socmon.indicators.models import Indicator
from socmon.programmes import selectors, services
from socmon.programmes.models import Evaluation, PlanIndicator, PlanVersion, Programme, ResourceItem
from socmon.test import _person

from .kit import approved_plan, complete_draft, programme

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)


def test_the_first_draft_holds_the_resource_checklist_of_000(world):
    version = services.start_version(by=world.sam, programme=programme(world))
    kinds = set(version.resources.values_list("kind", flat=True))
    assert kinds == set(ResourceItem.Kind.values)
    assert version.resources.filter(status=ResourceItem.Status.UNCHECKED).count() == version.resources.count() == 13
    assert AuditEvent.objects.filter(action="programmes.plan_version_started").count() == 1


def test_a_plan_is_drawn_up_from_the_design_stage_on(world):
    early = programme(world, stage=Programme.Stage.NEEDS)
    with pytest.raises(ValidationError, match="design stage first"):
        services.start_version(by=world.sam, programme=early)
    assert not PlanVersion.objects.exists()


def test_submitting_freezes_the_version_and_moves_the_programme_to_approval(world):
    prog = programme(world)
    version = services.submit_version(by=world.sam, version=complete_draft(world, prog))
    prog.refresh_from_db()
    assert version.status == "submitted" and prog.stage == Programme.Stage.APPROVAL
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.add_goal(by=world.sam, version=version, text="Late goal")
    assert version.goals.count() == 1


def test_an_incomplete_plan_is_not_submitted(world):
    version = services.start_version(by=world.sam, programme=programme(world))
    with pytest.raises(ValidationError, match="one goal, one outcome, one indicator"):
        services.submit_version(by=world.sam, version=version)
    version.refresh_from_db()
    assert version.status == "draft"


def test_the_author_cannot_approve_their_own_version(world):
    """sam wrote it; a second specialist of North submitted it: neither may approve it, the director may."""
    mira = _person("mira", "Mira", "Mukanova", world.north, Role.SPECIALIST)
    prog = programme(world)
    version = complete_draft(world, prog)
    services.submit_version(by=mira, version=version)
    for author in (world.sam, mira):
        with pytest.raises(ValidationError, match="someone else must approve it"):
            services.approve_version(by=author, version=version)
    version.refresh_from_db()
    assert version.status == "submitted" and version.approved_by is None
    approved = services.approve_version(by=world.dora, version=version)
    assert approved.status == "approved" and approved.approved_by == world.dora
    assert AuditEvent.objects.filter(action="programmes.plan_approved", actor=world.dora).count() == 1


def test_the_database_refuses_a_self_approval_that_got_past_the_service(world):
    version = complete_draft(world, programme(world))
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(status="approved", approved_by=world.sam,
                                                         approved_at=timezone.now())


def test_only_approvers_of_the_owning_tree_approve(world):
    version = complete_draft(world, programme(world))
    services.submit_version(by=world.sam, version=version)
    for outsider in (world.heidi, world.ann, world.eve, world.walt):
        with pytest.raises(PermissionDenied):
            services.approve_version(by=outsider, version=version)


def test_an_approved_version_is_frozen_and_a_change_is_a_new_draft_copied_from_it(world):
    prog = programme(world)
    first = approved_plan(world, prog)
    prog.refresh_from_db()
    assert prog.stage == Programme.Stage.IMPLEMENTATION
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.add_role(by=world.sam, version=first, role="Head", responsibilities="Reports")
    second = services.start_version(by=world.sam, programme=prog)
    assert second.number == 2 and second.based_on == first and second.status == "draft"
    assert [g.text for g in second.goals.all()] == [g.text for g in first.goals.all()]
    assert PlanIndicator.objects.filter(outcome__goal__version=second, key=True).count() == 1
    assert second.resources.count() == first.resources.count()
    with pytest.raises(ValidationError, match="already has a version of its plan in progress"):
        services.start_version(by=world.sam, programme=prog)


def test_the_history_tells_what_changed_between_versions(world):
    prog = programme(world)
    first = approved_plan(world, prog)
    second = services.start_version(by=world.sam, programme=prog)
    outcome = selectors.structure(second).outcomes[0]
    services.add_plan_indicator(by=world.sam, version=second, outcome=outcome, code="IP1", method="Register",
                                frequency="quarter", responsible="Head", today=TODAY)
    item = second.resources.get(item="Transport")
    services.update_resource(by=world.sam, version=second, resource=item, status="missing", notes="No car")
    changes = selectors.changes_between(first, second)
    assert [(c.what, c.section) for c in changes if c.what == "added"] == [("added", "Indicators")]
    assert any(c.what == "changed" and "Not checked yet" in c.text and "Missing" in c.text for c in changes)
    assert selectors.changes_between(first, first) == []


def test_an_unknown_or_retired_indicator_is_refused_in_words(world):
    version = complete_draft(world, programme(world))
    outcome = selectors.structure(version).outcomes[0]
    add = {"by": world.sam, "version": version, "outcome": outcome, "method": "x", "frequency": "month",
           "responsible": "Head", "today": TODAY}
    with pytest.raises(ValidationError, match="no indicator with the code ZZ9"):
        services.add_plan_indicator(code="ZZ9", **add)
    Indicator.objects.filter(code="IP6").update(valid_to=datetime.date(2026, 6, 30))
    with pytest.raises(ValidationError, match="IP6 is retired"):
        services.add_plan_indicator(code="IP6", **add)
    with pytest.raises(ValidationError, match="already monitors this outcome"):
        services.add_plan_indicator(code="IP2", **add)
    assert PlanIndicator.objects.filter(outcome=outcome).count() == 1


def test_a_returned_version_goes_back_to_its_author_as_a_draft(world):
    prog = programme(world)
    version = complete_draft(world, prog)
    services.submit_version(by=world.sam, version=version)
    with pytest.raises(ValidationError, match="Say what should change"):
        services.return_version(by=world.dora, version=version, reason=" ")
    returned = services.return_version(by=world.dora, version=version, reason="Add the resources")
    prog.refresh_from_db()
    assert returned.status == "draft" and returned.returned_note == "Add the resources"
    assert prog.stage == Programme.Stage.DESIGN


def test_implementation_needs_an_approved_plan(world):
    prog = programme(world)
    with pytest.raises(ValidationError, match="no approved M&E plan"):
        services.set_stage(by=world.sam, programme=prog, stage=Programme.Stage.IMPLEMENTATION)
    approved_plan(world, prog)
    services.set_stage(by=world.sam, programme=prog, stage=Programme.Stage.EVALUATION)
    prog.refresh_from_db()
    assert prog.stage == Programme.Stage.EVALUATION


def test_evaluations_are_recorded_against_an_approved_version_with_their_cost(world):
    prog = programme(world)
    version = approved_plan(world, prog)
    record = {"by": world.sam, "version": version, "findings": "On track", "today": TODAY}
    with pytest.raises(ValidationError) as error:
        services.record_evaluation(kind="interim", held_on=TODAY + datetime.timedelta(days=1), cost=Decimal("10"),
                                   currency="", **record)
    assert set(error.value.error_dict) == {"held_on", "currency"}
    services.record_evaluation(kind="final", held_on=TODAY, unplanned_results="More volunteers",
                               cost=Decimal("1250000.50"), currency="kzt", **record)
    with pytest.raises(ValidationError, match="already has its final evaluation"):
        services.record_evaluation(kind="final", held_on=TODAY, **record)
    evaluation = Evaluation.objects.get()
    assert evaluation.currency == "KZT" and evaluation.cost == Decimal("1250000.50")
    assert AuditEvent.objects.filter(action="programmes.evaluation_recorded").count() == 1
    draft = complete_draft(world, programme(world, name="Second"))
    with pytest.raises(ValidationError, match="approved version"):
        services.record_evaluation(kind="interim", held_on=TODAY, by=world.sam, version=draft, findings="x",
                                   today=TODAY)


def test_a_programme_is_created_only_in_the_specialists_reach(world):
    with pytest.raises(PermissionDenied):
        programme(world, unit=world.hill_centre)
    with pytest.raises(PermissionDenied):
        programme(world, by=world.dora)
    assert not Programme.objects.exists()
