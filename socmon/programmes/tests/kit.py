"""Building programmes and plans for tests, through the services."""

from django.utils import timezone

from socmon.programmes import services
from socmon.programmes.models import Programme


def programme(world, *, unit=None, by=None, stage=Programme.Stage.DESIGN, name="Home care for older people"):
    return services.create_programme(by=by or world.sam, org_unit=unit or world.centre, name=name,
                                     basis=Programme.Basis.STATE_ORDER, basis_number="SO-17", stage=stage,
                                     today=timezone.localdate())


def complete_draft(world, programme, *, by=None, code="IP2"):
    """A draft with one goal, one outcome and one indicator (enough to submit)."""
    by = by or world.sam
    version = services.start_version(by=by, programme=programme)
    goal = services.add_goal(by=by, version=version, text="Older people keep living at home")
    outcome = services.add_outcome(by=by, version=version, goal=goal, text="Clients take part in group activities")
    services.add_plan_indicator(by=by, version=version, outcome=outcome, code=code, method="Monthly report",
                                frequency="month", responsible="Department head", key=True,
                                today=timezone.localdate())
    return version


def approved_plan(world, programme, *, approver=None):
    version = complete_draft(world, programme)
    services.submit_version(by=world.sam, version=version)
    return services.approve_version(by=approver or world.dora, version=version)
