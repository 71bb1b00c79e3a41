"""The eleven built-in indicators of 000, version 1 (texts are translated from socmon.indicators.definitions)."""

import datetime

from django.db import migrations

COMMON = {"dimensions": ["sex", "age", "category"], "valid_from": datetime.date(2020, 1, 1), "built_in": True}
ACTIVITIES = {"fact": "activities", "measure": "count"}


def answers(code):
    return {"numerator": [{"fact": "survey_answers", "measure": "distinct_clients",
                           "filters": {"indicator": code, "counts": True}}],
            "reported": {"fact": "survey_answers", "measure": "count", "filters": {"indicator": code}}}


BUILT_INS = [
    ("IP1", "process", "M", {"numerator": [{"fact": "activities", "measure": "count", "filters": {"kind": "group"}}],
                             "reported": ACTIVITIES}),
    ("IP2", "process", "M", {"numerator": [{"fact": "attendance", "measure": "distinct_clients",
                                            "filters": {"kind": "group"}}], "reported": ACTIVITIES}),
    ("IP3", "process", "M", {"numerator": [{"fact": "activities", "measure": "count",
                                            "filters": {"kind": "individual", "with_attendance": True}}],
                             "reported": ACTIVITIES}),
    ("IP4", "process", "M", {"numerator": [{"fact": "attendance", "measure": "distinct_clients",
                                            "filters": {"kind": "individual"}}], "reported": ACTIVITIES}),
    ("IP5", "process", "M", {"numerator": [{"fact": "attendance", "measure": "distinct_clients",
                                            "filters": {"kind": "open"}},
                                           {"fact": "other_participants", "measure": "sum", "field": "count",
                                            "filters": {"kind": "open"}}], "reported": ACTIVITIES}),
    ("IP6", "process", "M", {"numerator": [{"fact": "feedback_confirmed", "measure": "distinct_clients"}],
                             "reported": {"fact": "feedback", "measure": "count"}}),
    ("IR1", "result", "M", {"numerator": [{"fact": "referrals_joined", "measure": "distinct_clients",
                                           "filters": {"programme_kind": ["housing", "clothing_footwear", "medical"]}}],
                            "reported": {"fact": "referrals", "measure": "count"}}),
    ("IR2", "result", "H", answers("IR2")),
    ("IR3", "result", "H", answers("IR3")),
    ("IS1", "satisfaction", "H", answers("IS1")),
    ("IS2", "satisfaction", "H", answers("IS2")),
]


def install(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, kind, collected, spec in BUILT_INS:
        Indicator.objects.get_or_create(code=code, version=1,
                                        defaults=dict(kind=kind, collected=collected, spec=spec, **COMMON))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_engine")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
