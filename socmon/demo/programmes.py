"""A demo programme (issue 11), through socmon.programmes.services: the Almaty Region's M&E specialist draws up the
M&E plan of Talgar centre's home-care programme (a state social order), the centre's director approves it, and an
interim evaluation is recorded, so `make run` shows a programme in implementation with its plan in force.
Does nothing without the demo centre, specialist or director, or when a programme exists."""

import datetime
from decimal import Decimal

from django.utils import timezone

from socmon.accounts.models import User
from socmon.orgs.models import OrgUnit
from socmon.programmes import services
from socmon.programmes.models import Programme, ResourceItem

CENTRE = "talgar-csc"


def build() -> None:
    centre = OrgUnit.objects.filter(code=CENTRE).first()
    specialist = User.objects.filter(username="specialist").first()
    director = User.objects.filter(username="director").first()
    if centre is None or specialist is None or director is None or Programme.objects.exists():
        return
    today = timezone.localdate()
    programme = services.create_programme(
        by=specialist, org_unit=centre, name="Staying at home: care for older people and people with disabilities",
        basis=Programme.Basis.STATE_ORDER, basis_number="SO-17/2026", basis_date=datetime.date(today.year, 1, 15),
        basis_party="Talgar district akimat", stage=Programme.Stage.DESIGN, today=today,
        description="Home care and group activities so that people keep living at home, among their neighbours.")
    version = services.start_version(by=specialist, programme=programme)
    _fill(specialist, version, today)
    services.submit_version(by=specialist, version=version)
    version = services.approve_version(by=director, version=version)
    services.record_evaluation(
        by=specialist, version=version, kind="interim", held_on=today, today=today,
        findings="Home visits run as planned; fewer people than planned take part in group activities.",
        unplanned_results="Neighbours volunteered to accompany people to the group activities.",
        cost=Decimal("450000"), currency="KZT")


def _fill(by, version, today) -> None:
    goal = services.add_goal(by=by, version=version, text="Older people and people with disabilities keep living "
                                                          "at home, safely and among their neighbours")
    outcome = services.add_outcome(by=by, version=version, goal=goal,
                                   text="People served take part in the community's life")
    for code, method, frequency, key in (
            ("IP2", "The provider's monthly report (attendance registers)", "month", True),
            ("IS1", "Six-monthly provider reports; a yearly survey of 10 randomly chosen participants", "half", True),
            ("IR1", "Referral records, at each referral", "event", False)):
        services.add_plan_indicator(by=by, version=version, outcome=outcome, code=code, method=method,
                                    frequency=frequency, responsible="Head of the Home Care Department", key=key,
                                    baseline=Decimal(28) if code == "IP2" else None, today=today)
    services.add_role(by=by, version=version, role="M&E specialist, Almaty Region",
                      responsibilities="Keeps the plan, checks the reports, organises the evaluations")
    services.add_role(by=by, version=version, role="Head of the Home Care Department",
                      responsibilities="Collects the monthly figures and the survey answers")
    for item in version.resources.all():
        transport = item.kind == ResourceItem.Kind.TRANSPORT
        status = ResourceItem.Status.PARTLY if transport else ResourceItem.Status.IN_PLACE
        services.update_resource(by=by, version=version, resource=item, status=status,
                                 notes="One car for three social workers" if status == "partly" else "")
