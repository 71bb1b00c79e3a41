# Keep the trail when actions became a closed set: old spellings are renamed, events without a person
# are told apart (a rating from the public page, or a job of the system). Apart from the schema changes
# (0002) and the constraint (0004), so that socmon.test.reseed() can rerun it against 0002's state.

from django.db import migrations

# The spellings used before actions became a closed set (socmon.audit.actions.AuditAction).
RENAMED = {
    "org_unit.created": "orgs.unit_created",
    "org_unit.updated": "orgs.unit_updated",
    "org_unit.moved": "orgs.unit_moved",
    "membership.added": "orgs.membership_added",
    "membership.removed": "orgs.membership_removed",
    "client.registered": "clients.client_registered",
    "client.updated": "clients.client_updated",
    "application.registered": "clients.application_registered",
    "caseload.assigned": "clients.caseload_assigned",
    "service_kind.created": "catalogue.service_kind_created",
    "service_kind.updated": "catalogue.service_kind_updated",
    "visit_card.issued": "visits.card_issued",
    "visit_card.reissued": "visits.card_reissued",
    "visit.added": "visits.visit_added",
    "visit.moved": "visits.visit_moved",
    "visit.checked_in": "visits.visit_checked_in",
    "visit.service_recorded": "visits.visit_service_recorded",
    "visit.checked_out": "visits.visit_checked_out",
    "visit.rated": "visits.visit_rated",
}


def rename_and_classify(apps, schema_editor):
    """Keep the trail: old spellings become the new values; events without a person were ratings
    (the public page) or jobs (the system)."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for old, new in RENAMED.items():
        AuditEvent.objects.filter(action=old).update(action=new)
    nobody = AuditEvent.objects.filter(actor=None)
    nobody.filter(action="visits.visit_rated").update(actor_kind="public")
    nobody.exclude(action="visits.visit_rated").update(actor_kind="system")


def restore_spellings(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for old, new in RENAMED.items():
        AuditEvent.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_actor_kind_and_action_choices'),
    ]

    operations = [
        migrations.RunPython(rename_and_classify, restore_spellings),
    ]
