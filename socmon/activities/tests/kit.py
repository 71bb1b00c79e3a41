"""Shared set-up for the activity tests: activities recorded through the services, real photos."""

import datetime
import io

from django.utils import timezone

from socmon.activities import services
from socmon.activities.models import Activity, Attendance
from socmon.visits.tests.fieldkit import client_with_card, make_client  # noqa: F401 - re-exported


def activity(world, *, by=None, kind=Activity.Kind.GROUP, unit=None, held_on=None, title="Morning exercise",
             facilitators=None) -> Activity:
    by = by or world.alice
    unit = unit or world.home_care
    return services.record_activity(
        by=by, org_unit=unit, kind=kind, title=title, held_on=held_on or timezone.localdate(),
        starts_at=datetime.time(10, 0), ends_at=datetime.time(11, 30), place="Riverside Centre, hall 2",
        facilitators=facilitators or [by])


def attend(world, act: Activity, client, by=None) -> Attendance:
    return services.add_attendance(by=by or world.alice, activity=act, client=client,
                                   method=Attendance.Method.CODE)


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A real JPEG carrying a GPS position and a camera model in its EXIF."""
    from PIL import Image

    picture = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # Model
    gps = {1: "N", 2: (43.0, 14.0, 24.0), 3: "E", 4: (76.0, 53.0, 22.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def disguised_executable() -> bytes:
    """An ELF header and some code bytes: what a renamed program looks like."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + bytes(range(256)) * 4
