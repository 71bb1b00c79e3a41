"""Recording activities and their attendance through the front door (issue 9, IP1–IP5)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from socmon.activities.models import Activity, ActivityPhoto, Attendance, OtherParticipants
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.clients.models import name_key
from socmon.visits import tokens

from .kit import activity, attend, client_with_card, disguised_executable, jpeg_with_gps, make_client

pytestmark = pytest.mark.django_db


def _form(**overrides):
    today = timezone.localdate()
    data = {"kind": "group", "title": "Chair yoga", "held_on": today.isoformat(), "starts_at": "10:00",
            "ends_at": "11:00", "place": "Riverside Centre, hall 2"}
    data.update(overrides)
    return data


def test_a_worker_records_a_group_activity_and_clients_attend_by_code_and_by_scanned_card(world, login):
    browser = login(world.alice)
    response = browser.post(reverse("activities:new"), _form(facilitators=[world.alice.pk, world.bob.pk]))
    act = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("activities:detail", args=[act.pk])
    assert (act.org_unit, act.kind, set(act.facilitators.all())) == (world.home_care, "group", {world.alice,
                                                                                                 world.bob})
    by_code = make_client(world, worker=world.alice, first="Aigerim", last="Nurlanova")
    by_card, card = client_with_card(world, worker=world.bob, first="Dana", last="Serikova")

    answer = browser.post(reverse("activities:attend", args=[act.pk]), {"code": by_code.code.lower()})
    assert answer.status_code == 302
    scanned = "http://testserver" + reverse("visits:check_in") + "?code=" + tokens.check_in_token(card)
    answer = browser.post(reverse("activities:attend", args=[act.pk]), {"code": scanned}, follow=True)
    assert f"{by_card.code} is recorded as attending." in answer.content.decode()

    assert {(a.client, a.method) for a in Attendance.objects.all()} == {
        (by_code, Attendance.Method.CODE), (by_card, Attendance.Method.SCANNED)}
    assert AuditEvent.objects.filter(action=AuditAction.ACTIVITY_ATTENDANCE_ADDED).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.ACTIVITY_RECORDED, actor=world.alice).count() == 1
    page = browser.get(reverse("activities:detail", args=[act.pk])).content.decode()
    assert by_code.code in page and by_card.code in page


def test_the_card_typed_short_code_records_the_client_too(world, login):
    act = activity(world)
    person, card = client_with_card(world, worker=world.alice)
    response = login(world.alice).post(reverse("activities:attend", args=[act.pk]),
                                       {"code": tokens.check_in_short(card)})
    assert response.status_code == 302
    assert Attendance.objects.get().client == person


def test_a_client_picked_from_a_search_is_recorded(world, login):
    act = activity(world)
    person = make_client(world, worker=world.alice, first="Gulnara", last="Sadykova")
    person.search_name, person.search_name_last_first = name_key("Gulnara", "Sadykova"), "sadykova gulnara"
    person.save()
    browser = login(world.alice)
    found = browser.get(reverse("activities:detail", args=[act.pk]), {"q": "Sadyk"}).content.decode()
    assert person.code in found
    assert browser.post(reverse("activities:attend_pick", args=[act.pk]), {"client": person.pk}).status_code == 302
    assert Attendance.objects.get().method == Attendance.Method.PICKED


def test_a_client_recorded_twice_at_one_activity_is_refused_with_a_message(world, login):
    act = activity(world)
    person = make_client(world, worker=world.alice)
    browser = login(world.alice)
    browser.post(reverse("activities:attend", args=[act.pk]), {"code": person.code})
    again = browser.post(reverse("activities:attend", args=[act.pk]), {"code": person.code})
    assert again.status_code == 400
    assert f"{person.code} is already recorded at this activity." in again.content.decode()
    assert Attendance.objects.count() == 1


def test_a_client_outside_ones_scope_is_refused_as_not_found_and_nothing_is_stored(world, login):
    act = activity(world)
    hill_client, hill_card = client_with_card(world, worker=world.walt, unit=world.hill_care)
    family_client = make_client(world, worker=world.fiona, unit=world.family)
    browser = login(world.alice)
    for code in (hill_client.code, tokens.check_in_token(hill_card), family_client.code, "C-222222"):
        answer = browser.post(reverse("activities:attend", args=[act.pk]), {"code": code})
        assert answer.status_code == 400, code
        assert "No client with this code can be recorded here." in answer.content.decode()
        assert hill_client.last_name not in answer.content.decode()
    # Picking by id is refused the same way.
    assert browser.post(reverse("activities:attend_pick", args=[act.pk]),
                        {"client": hill_client.pk}).status_code == 400
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ACTIVITY_ATTENDANCE_ADDED).exists()


def test_a_worker_may_record_any_client_of_their_department_not_only_their_own(world, login):
    act = activity(world)
    bobs = make_client(world, worker=world.bob)
    assert login(world.alice).post(reverse("activities:attend", args=[act.pk]),
                                   {"code": bobs.code}).status_code == 302


def test_an_individual_activity_has_exactly_one_client_and_no_others(world, login):
    act = activity(world, kind=Activity.Kind.INDIVIDUAL)
    first, second = make_client(world, worker=world.alice), make_client(world, worker=world.alice, first="Ainur")
    browser = login(world.alice)
    assert browser.post(reverse("activities:attend", args=[act.pk]), {"code": first.code}).status_code == 302
    refused = browser.post(reverse("activities:attend", args=[act.pk]), {"code": second.code})
    assert refused.status_code == 400 and "exactly one client" in refused.content.decode()
    refused = browser.post(reverse("activities:others", args=[act.pk]), {"count": "2"})
    assert refused.status_code == 400
    assert Attendance.objects.count() == 1 and not OtherParticipants.objects.exists()


def test_recording_checks_times_date_and_facilitators(world, login):
    browser = login(world.alice)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = browser.post(reverse("activities:new"), _form(held_on=tomorrow, starts_at="12:00", ends_at="11:00",
                                                             facilitators=[world.alice.pk]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "The date of an activity must be today or in the past." in text
    assert "The end time must be after the start time." in text
    # Fiona works in Family Support: she cannot facilitate a Home Care activity.
    response = browser.post(reverse("activities:new"), _form(facilitators=[world.fiona.pk]))
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_the_head_removes_a_mistaken_attendance(world, login):
    act = activity(world)
    person = make_client(world, worker=world.alice)
    attendance = attend(world, act, person)
    response = login(world.heidi).post(reverse("activities:attendance_remove", args=[act.pk, attendance.pk]))
    assert response.status_code == 302 and not Attendance.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.ACTIVITY_ATTENDANCE_REMOVED, actor=world.heidi).exists()


def test_a_director_reads_activities_but_records_nothing(world, login):
    act = activity(world)
    person = make_client(world, worker=world.alice)
    browser = login(world.dora)
    assert browser.get(reverse("activities:detail", args=[act.pk])).status_code == 200
    assert browser.post(reverse("activities:attend", args=[act.pk]), {"code": person.code}).status_code == 403
    assert browser.get(reverse("activities:new")).status_code == 403
    assert not Attendance.objects.exists()


# --- The monthly summary --------------------------------------------------------------------------------


def _summary(browser, unit, month):
    response = browser.get(reverse("activities:summary"), {"unit": unit.pk, "month": month.strftime("%Y-%m")})
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["summary"]


def test_an_open_activity_with_4_clients_and_6_other_people_has_10_participants(world, login):
    act = activity(world, kind=Activity.Kind.OPEN, title="Open day")
    browser = login(world.alice)
    for n in range(4):
        person = make_client(world, worker=world.alice, first=f"Person{n}")
        assert browser.post(reverse("activities:attend", args=[act.pk]), {"code": person.code}).status_code == 302
    assert browser.post(reverse("activities:others", args=[act.pk]),
                        {"count": "4", "category": "Family members"}).status_code == 302
    assert browser.post(reverse("activities:others", args=[act.pk]), {"count": "2"}).status_code == 302
    summary = _summary(browser, world.home_care, timezone.localdate())
    open_row = summary.row(Activity.Kind.OPEN)
    assert (open_row.activities, open_row.clients, open_row.others, open_row.participants) == (1, 4, 6, 10)
    assert AuditEvent.objects.filter(action=AuditAction.ACTIVITY_OTHERS_ADDED).count() == 2


def test_a_client_at_three_group_activities_in_two_departments_counts_once_at_each_level(world, login):
    today = timezone.localdate()
    person = make_client(world, worker=world.alice)
    other = make_client(world, worker=world.alice, first="Second")
    home = [activity(world, title=f"Group {n}", held_on=today - datetime.timedelta(days=n)) for n in range(2)]
    # Family Support runs the third; the person is recorded there by an account that reaches them (root).
    family = activity(world, by=world.root, unit=world.family, facilitators=[world.fiona], title="Family group")
    for act in home:
        attend(world, act, person)
    attend(world, family, person, by=world.root)
    attend(world, home[0], other)
    last_month = activity(world, held_on=today.replace(day=1) - datetime.timedelta(days=1))
    attend(world, last_month, make_client(world, worker=world.alice, first="Earlier"))

    home_summary = _summary(login(world.heidi), world.home_care, today)
    assert (home_summary.row("group").activities, home_summary.row("group").clients) == (2, 2)
    centre = _summary(login(world.dora), world.centre, today)
    assert (centre.row("group").activities, centre.row("group").clients, centre.clients) == (3, 2, 2)
    north = _summary(login(world.sam), world.north, today)
    assert (north.row("group").activities, north.row("group").clients) == (3, 2)
    assert (north.row("individual").activities, north.row("open").participants) == (0, 0)


def test_the_summary_page_shows_the_figures(world, login):
    act = activity(world)
    attend(world, act, make_client(world, worker=world.alice))
    page = login(world.heidi).get(reverse("activities:summary")).content.decode()
    assert 'id="summary-group"' in page and "1 different client took part" in page


# --- Photos ---------------------------------------------------------------------------------------------


def _upload(browser, act, content: bytes, name="photo.jpg", consent=True, content_type="image/jpeg"):
    data = {"photo": SimpleUploadedFile(name, content, content_type=content_type)}
    if consent:
        data["clients_consented"] = "on"
    return browser.post(reverse("activities:photo_upload", args=[act.pk]), data)


def test_a_photo_is_stored_without_its_gps_exif_and_served_only_through_the_page(world, login):
    from PIL import Image

    act = activity(world)
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo really has a position
    browser = login(world.alice)
    assert _upload(browser, act, original, name="IMG_0001.jpg").status_code == 302
    stored = ActivityPhoto.objects.get()
    assert "IMG_0001" not in stored.image.name
    with stored.image.open("rb") as handle:
        kept = handle.read()
    kept_image = Image.open(io.BytesIO(kept))
    assert kept_image.format == "JPEG" and kept_image.size == (64, 48)
    assert not kept_image.getexif() and b"Exif" not in kept and b"Phone X" not in kept
    served = browser.get(reverse("activities:photo", args=[act.pk, stored.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == kept
    assert "no-store" in served["Cache-Control"]
    assert login(world.walt).get(reverse("activities:photo", args=[act.pk, stored.pk])).status_code == 404
    assert login(world.fiona).get(reverse("activities:photo", args=[act.pk, stored.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.ACTIVITY_PHOTO_ADDED).count() == 1


def test_a_renamed_executable_is_refused_as_not_a_photo(world, login):
    act = activity(world)
    response = _upload(login(world.alice), act, disguised_executable(), name="holiday.jpg")
    assert response.status_code == 400
    assert "This file is not a photo." in response.content.decode()
    assert not ActivityPhoto.objects.exists()


def test_a_png_is_accepted_and_kept_as_a_jpeg(world, login):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 0, 255, 128)).save(out, format="PNG")
    assert _upload(login(world.alice), activity(world), out.getvalue(), name="x.png").status_code == 302
    assert ActivityPhoto.objects.get().width == 20


def test_a_photo_too_large_in_bytes_or_pixels_is_refused(world, login, settings):
    act = activity(world)
    browser = login(world.alice)
    settings.SOCMON_PHOTO_MAX_BYTES = 1024 * 1024
    big = jpeg_with_gps() + b"\x00" * (1024 * 1024)  # a valid JPEG with trailing bytes, over 1 MB
    response = _upload(browser, act, big)
    assert response.status_code == 400 and "The photo is too large" in response.content.decode()
    settings.SOCMON_PHOTO_MAX_PIXELS = 50
    response = _upload(browser, act, jpeg_with_gps((64, 48)))
    assert response.status_code == 400 and "at most 50 pixels" in response.content.decode()
    settings.SOCMON_PHOTO_MAX_BYTES = 10_000  # a body far over twice the limit is refused before it is read
    response = _upload(browser, act, b"\xff" * 200_000)
    assert response.status_code == 413
    assert not ActivityPhoto.objects.exists()


def test_a_photo_of_an_activity_with_clients_needs_their_consent(world, login):
    act = activity(world)
    browser = login(world.alice)
    assert _upload(browser, act, jpeg_with_gps(), consent=False).status_code == 302  # nobody attends yet
    attend(world, act, make_client(world, worker=world.alice))
    refused = _upload(browser, act, jpeg_with_gps(), consent=False)
    assert refused.status_code == 400 and "confirm that the clients in the photo agreed" in refused.content.decode()
    assert _upload(browser, act, jpeg_with_gps(), consent=True).status_code == 302
    assert list(ActivityPhoto.objects.order_by("pk").values_list("clients_consented", flat=True)) == [False, True]


# --- Scope ----------------------------------------------------------------------------------------------


def test_walt_sees_nothing_of_riverside(world, login):
    act = activity(world, title="Riverside knitting circle")
    attend(world, act, make_client(world, worker=world.alice))
    photo_upload = _upload(login(world.alice), act, jpeg_with_gps())
    assert photo_upload.status_code == 302
    photo = ActivityPhoto.objects.get()
    hill = activity(world, by=world.walt, unit=world.hill_care, title="Hilltown choir")
    browser = login(world.walt)
    listing = browser.get(reverse("activities:list")).content.decode()
    assert "Hilltown choir" in listing and "Riverside knitting circle" not in listing
    for name, args in (("activities:detail", [act.pk]), ("activities:photo", [act.pk, photo.pk])):
        assert browser.get(reverse(name, args=args)).status_code == 404
    assert browser.post(reverse("activities:others", args=[act.pk]), {"count": "3"}).status_code == 404
    export = browser.get(reverse("activities:export"))
    assert b"Riverside" not in export.content
    assert browser.get(reverse("activities:summary"), {"unit": world.home_care.pk,
                                                       "month": "2026-01"}).status_code == 400
    assert browser.get(reverse("activities:list"), {"unit": world.home_care.pk}).status_code == 400
    assert hill.pk != act.pk


def test_the_evaluator_and_the_administrator_have_no_activity_pages(world, login):
    for persona in (world.eve, world.adam):
        assert login(persona).get(reverse("activities:list")).status_code == 403


# --- List, filter, export ---------------------------------------------------------------------------------


def test_the_list_filters_by_kind_date_unit_and_service(world, login):
    from socmon.visits.tests.fieldkit import service_kind

    today = timezone.localdate()
    group = activity(world, title="Group walk", held_on=today)
    activity(world, kind=Activity.Kind.OPEN, title="Open door", held_on=today - datetime.timedelta(days=3))
    activity(world, by=world.fiona, unit=world.family, title="Parents club")
    group.service = service_kind("walks")
    group.save()
    browser = login(world.dora)

    def titles(**query):
        response = browser.get(reverse("activities:list"), query)
        assert response.status_code == 200
        return {a.title for a in response.context["page"]}

    assert titles() == {"Group walk", "Open door", "Parents club"}
    assert titles(kind="open") == {"Open door"}
    assert titles(date_from=today.isoformat()) == {"Group walk", "Parents club"}
    assert titles(unit=world.family.pk) == {"Parents club"}
    assert titles(service=group.service.pk) == {"Group walk"}


def test_the_export_escapes_formulas_and_names_clients_by_code_only(world, login):
    from openpyxl import load_workbook

    act = activity(world, title='=HYPERLINK("http://evil.example","Click")')
    person = make_client(world, worker=world.alice, first="Zarina", last="Omarova")
    attend(world, act, person)
    response = login(world.heidi).get(reverse("activities:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    title = next(c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert title.quotePrefix
    values = " ".join(str(c.value) for c in cells)
    assert person.code in values and "Omarova" not in values and "Zarina" not in values
