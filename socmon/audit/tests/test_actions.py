"""The audit trail speaks a closed set of actions and always says who acted: a person, the system or the
holder of a client's code."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.audit.services import PUBLIC, SYSTEM, record_event


def test_an_action_outside_the_set_is_refused_and_nothing_is_stored(world):
    # Even a string spelled like a member: call sites name the member, so a typo cannot slip through.
    for action in ("visit.movd", "visits.visit_moved"):
        with pytest.raises(TypeError):
            record_event(by=world.heidi, action=action, target=world.home_care)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("by", [None, AnonymousUser()])
def test_an_event_without_an_actor_is_refused(world, by):
    with pytest.raises(TypeError):
        record_event(by=by, action=AuditAction.ORG_UNIT_UPDATED, target=world.home_care)
    assert not AuditEvent.objects.exists()


def test_a_job_is_recorded_as_the_system_and_a_rating_as_the_clients_code(world):
    job = record_event(by=SYSTEM, action=AuditAction.VISITS_MARKED_MISSED, target=world.home_care)
    rating = record_event(by=PUBLIC, action=AuditAction.VISIT_RATED, target=world.home_care)
    person = record_event(by=world.heidi, action=AuditAction.ORG_UNIT_UPDATED, target=world.home_care)
    assert (job.actor, job.actor_label) == (None, "system")
    assert (rating.actor, rating.actor_label) == (None, "client's code")
    assert (person.actor, person.actor_kind) == (world.heidi, "user")


def test_the_admin_trail_shows_the_actions_label_and_system_for_a_job(world, login):
    record_event(by=SYSTEM, action=AuditAction.VISITS_MARKED_MISSED, target=world.home_care)
    record_event(by=world.heidi, action=AuditAction.VISIT_MOVED, target=world.home_care)
    html = login(world.root).get("/admin/audit/auditevent/").content.decode()
    assert '<td class="field-action">Visits marked as missed</td>' in html
    assert '<td class="field-action">Visit moved</td>' in html
    assert '<td class="field-who">system</td>' in html


def test_the_migration_renames_the_old_spellings_and_keeps_the_rows(world):
    migration = importlib.import_module("socmon.audit.migrations.0003_rename_old_actions")
    old = AuditEvent.objects.create(actor=world.heidi, action="visit.moved", target_type="visits.visit",
                                    target_id="1")
    migration.rename_and_classify(apps, None)
    old.refresh_from_db()
    assert old.action == AuditAction.VISIT_MOVED
    assert set(migration.RENAMED.values()) <= set(AuditAction.values)
