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
    assert response.status_code == 200, response.context["form"].errors
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
    """Issue 9's hand-checked case: one person at two Home Care groups and one Family Support group of Riverside
    Centre in the month is one distinct client for each department, for the institution and for the area."""
    today = timezone.localdate()
    person = make_client(world, worker=world.alice)
    other = make_client(world, worker=world.alice, first="Second")
    home = [activity(world, title=f"Group {n}", held_on=today - datetime.timedelta(days=n)) for n in range(2)]
    # Family Support runs the third. The recording rule lets a department record only its own clients and those
    # its people see (activities.access.attendable_clients), so Fiona cannot record a Home Care client: the
    # person is recorded there through the services by an account that reaches both departments (root). Today
    # that is how a client of one department is recorded at another's activity.
    family = activity(world, by=world.fiona, unit=world.family, title="Family group")
    refused = login(world.fiona).post(reverse("activities:attend", args=[family.pk]), {"code": person.code})
    assert refused.status_code == 400 and not family.attendances.exists()
    for act in home:
        attend(world, act, person)
    attend(world, family, person, by=world.root)
    attend(world, home[0], other)
    last_month = activity(world, held_on=today.replace(day=1) - datetime.timedelta(days=1))
    attend(world, last_month, make_client(world, worker=world.alice, first="Earlier"))

    def figures(summary):
        return summary.row("group").activities, summary.row("group").clients, summary.clients

    assert figures(_summary(login(world.heidi), world.home_care, today)) == (2, 2, 2)
    assert figures(_summary(login(world.fiona), world.family, today)) == (1, 1, 1)
    dora = login(world.dora)  # the director reads each department and the institution over both
    assert figures(_summary(dora, world.home_care, today)) == (2, 2, 2)
    assert figures(_summary(dora, world.family, today)) == (1, 1, 1)
    assert figures(_summary(dora, world.centre, today)) == (3, 2, 2)  # the person once, not twice
    north = _summary(login(world.sam), world.north, today)
    assert figures(north) == (3, 2, 2)
    assert (north.row("individual").activities, north.row("open").participants) == (0, 0)


def test_the_summary_page_shows_the_figures(world, login):
    act = activity(world)
    attend(world, act, make_client(world, worker=world.alice))
    page = login(world.heidi).get(reverse("activities:summary")).content.decode()
    assert 'id="summary-group"' in page and "1 different client took part" in page


# --- Correcting and removing an activity; an individual activity's one client ---------------------------


def _edit(browser, act, **overrides):
    data = {"kind": act.kind, "title": act.title, "held_on": act.held_on.isoformat(),
            "starts_at": act.starts_at.strftime("%H:%M"), "ends_at": act.ends_at.strftime("%H:%M"),
            "place": act.place, "programme": act.programme, "notes": act.notes,
            "facilitators": list(act.facilitators.values_list("pk", flat=True))}
    data.update(overrides)
    return browser.post(reverse("activities:edit", args=[act.pk]), data)


def test_a_worker_corrects_the_date_times_title_place_and_facilitators_and_it_is_audited(world, login):
    act = activity(world)
    browser = login(world.alice)
    page = browser.get(reverse("activities:detail", args=[act.pk])).content.decode()
    assert reverse("activities:edit", args=[act.pk]) in page
    form = browser.get(reverse("activities:edit", args=[act.pk]))
    assert form.status_code == 200 and 'value="Morning exercise"' in form.content.decode()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = _edit(browser, act, title="Evening exercise", held_on=yesterday.isoformat(), starts_at="17:00",
                     ends_at="18:00", place="Park by the river", facilitators=[world.bob.pk],
                     programme="Active ageing", notes="Moved because of rain")
    assert response.status_code == 302 and response["Location"] == reverse("activities:detail", args=[act.pk])
    act.refresh_from_db()
    assert (act.title, act.held_on, act.starts_at, act.place, act.programme) == (
        "Evening exercise", yesterday, datetime.time(17), "Park by the river", "Active ageing")
    assert list(act.facilitators.all()) == [world.bob]
    event = AuditEvent.objects.get(action=AuditAction.ACTIVITY_CORRECTED)
    assert event.actor == world.alice and event.target_id == str(act.pk)
    assert event.detail["changed"]["title"] == ["Morning exercise", "Evening exercise"]
    assert event.detail["changed"]["facilitators"] == [[world.alice.pk], [world.bob.pk]]
    assert set(event.detail["changed"]) == {"title", "held_on", "starts_at", "ends_at", "place", "programme",
                                            "notes", "facilitators"}
    # The head corrects too; saving without a change writes no event.
    act.refresh_from_db()
    assert _edit(login(world.heidi), act, kind="open").status_code == 302
    act.refresh_from_db()
    assert _edit(login(world.heidi), act).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.ACTIVITY_CORRECTED).count() == 2


def test_a_correction_keeps_the_recording_rules_and_changes_nothing_when_refused(world, login):
    act = activity(world, kind=Activity.Kind.GROUP)
    attend(world, act, make_client(world, worker=world.alice))
    attend(world, act, make_client(world, worker=world.alice, first="Ainur"))
    browser = login(world.alice)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    refused = _edit(browser, act, held_on=tomorrow, starts_at="12:00", ends_at="11:00")
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "The date of an activity must be today or in the past." in text
    assert "The end time must be after the start time." in text
    refused = _edit(browser, act, kind="individual", title="Talk")
    assert refused.status_code == 400 and "An individual activity has exactly one client" in refused.content.decode()
    act.refresh_from_db()
    assert (act.kind, act.title) == ("group", "Morning exercise")
    assert not AuditEvent.objects.filter(action=AuditAction.ACTIVITY_CORRECTED).exists()


def test_only_the_departments_recorders_correct_or_remove_an_activity(world, login):
    act = activity(world)
    assert login(world.dora).get(reverse("activities:edit", args=[act.pk])).status_code == 403
    assert _edit(login(world.dora), act, title="Director's title").status_code == 403
    assert login(world.dora).post(reverse("activities:remove", args=[act.pk])).status_code == 403
    for stranger in (world.fiona, world.walt):
        assert login(stranger).get(reverse("activities:edit", args=[act.pk])).status_code == 404
        assert login(stranger).post(reverse("activities:remove", args=[act.pk])).status_code == 404
    act.refresh_from_db()
    assert act.title == "Morning exercise"


def test_an_activity_is_removed_only_while_no_client_attends_and_no_photo_is_attached(world, login):
    act = activity(world)
    attendance = attend(world, act, make_client(world, worker=world.alice))
    browser = login(world.alice)
    refused = browser.post(reverse("activities:remove", args=[act.pk]), follow=True)
    assert "remove their attendance first" in refused.content.decode()
    assert Activity.objects.filter(pk=act.pk).exists()
    browser.post(reverse("activities:attendance_remove", args=[act.pk, attendance.pk]))
    assert _upload(browser, act, jpeg_with_gps()).status_code == 302
    page = browser.get(reverse("activities:edit", args=[act.pk])).content.decode()
    assert 'id="remove-refused"' in page and 'id="activity-remove"' not in page
    browser.post(reverse("activities:remove", args=[act.pk]))
    assert Activity.objects.filter(pk=act.pk).exists()

    mistaken = activity(world, title="Recorded twice")
    browser.post(reverse("activities:others", args=[mistaken.pk]), {"count": "3"})
    assert 'id="activity-remove"' in browser.get(reverse("activities:edit", args=[mistaken.pk])).content.decode()
    removed = browser.post(reverse("activities:remove", args=[mistaken.pk]), follow=True)
    assert "was removed" in removed.content.decode()
    assert not Activity.objects.filter(pk=mistaken.pk).exists() and not OtherParticipants.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.ACTIVITY_REMOVED)
    assert (event.actor, event.target_id, event.detail["title"], event.detail["others"]) == (
        world.alice, str(mistaken.pk), "Recorded twice", 3)


def test_an_individual_activity_without_its_client_is_incomplete_and_not_counted(world, login):
    act = activity(world, kind=Activity.Kind.INDIVIDUAL, title="Talk with a neighbour")
    browser = login(world.alice)
    page = browser.get(reverse("activities:detail", args=[act.pk])).content.decode()
    assert 'id="individual-incomplete"' in page and "Add the person who took part." in page
    assert "Incomplete: no client" in browser.get(reverse("activities:list")).content.decode()
    summary = _summary(browser, world.home_care, timezone.localdate())
    assert (summary.row("individual").activities, summary.incomplete) == (0, 1)
    shown = browser.get(reverse("activities:summary")).content.decode()
    assert 'id="summary-incomplete"' in shown and "1 individual activity has no client recorded" in shown

    attend(world, act, make_client(world, worker=world.alice))
    assert 'id="individual-incomplete"' not in browser.get(reverse("activities:detail", args=[act.pk])).content.decode()
    summary = _summary(browser, world.home_care, timezone.localdate())
    assert (summary.row("individual").activities, summary.row("individual").clients, summary.incomplete) == (1, 1, 0)
    assert "Incomplete: no client" not in browser.get(reverse("activities:list")).content.decode()


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
