"""Marking what a save changed, in the save's own transaction (DESIGN "Indicators").

Every model a fact is read from (`facts.FACTS`) is watched: before a change the row's old (unit, month) is
read, after it the new one, and a `StaleMark` per source, unit and month is appended. Appending never conflicts
with another save (no upsert, no lock), so marking adds one small read and one insert to a save. The worker
(`engine.refresh`) consumes the marks. Code that changes facts with `QuerySet.update()` (which sends no signal)
calls `mark_rows()` itself.
"""

import datetime

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from .facts import FACTS, Fact

_WATCHED: dict[type, list[Fact]] = {}
CHUNK = 500


def _month_of(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def cells_of(model, pks) -> set[tuple[str, int, datetime.date]]:
    """(source, unit id, month) of every fact the rows `pks` of `model` hold now."""
    found = set()
    facts = _WATCHED.get(model) or [f for f in FACTS.values() if apps.get_model(f.model) is model]
    pks = list(pks)
    for start in range(0, len(pks), CHUNK):  # bounded IN lists (SQLite caps query parameters)
        rows = model._default_manager.filter(pk__in=pks[start:start + CHUNK])
        for fact in facts:
            for unit_id, day in rows.values_list(fact.unit, fact.date):
                month = _month_of(day)
                if unit_id is not None and month is not None:
                    found.add((fact.source, unit_id, month))
    return found


def mark(cells) -> None:
    from .models import StaleMark

    if cells:
        StaleMark.objects.bulk_create([StaleMark(source=s, org_unit_id=u, month=m) for s, u, m in cells])


def mark_rows(model, pks) -> None:
    """Mark the facts rows hold now (call before and after changing them with QuerySet.update())."""
    mark(cells_of(model, pks))


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    instance._indicator_cells_before = cells_of(sender, [instance.pk])


def _after_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    mark(cells_of(sender, [instance.pk]) | getattr(instance, "_indicator_cells_before", set()))
    instance._indicator_cells_before = set()


def _before_delete(sender, instance, **kwargs):
    instance._indicator_cells_before = cells_of(sender, [instance.pk])


def _after_delete(sender, instance, **kwargs):
    mark(getattr(instance, "_indicator_cells_before", set()))


DISAGGREGATED_BY = ("sex", "birth_date", "category_id")  # what a client's facts are disaggregated by


def cells_of_client(client_id: int) -> set[tuple[str, int, datetime.date]]:
    """(source, unit id, month) of every fact about one client (a change to their sex, birth date or category
    moves them between disaggregation cells in every period they were counted)."""
    found = set()
    for fact in FACTS.values():
        if fact.client is None:
            continue
        rows = apps.get_model(fact.model)._default_manager.filter(**{f"{fact.client}_id": client_id})
        for unit_id, day in rows.values_list(fact.unit, fact.date).distinct():
            month = _month_of(day)
            if unit_id is not None and month is not None:
                found.add((fact.source, unit_id, month))
    return found


def _client_before_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).values(*DISAGGREGATED_BY).first()
    if old and any(old[name] != getattr(instance, name) for name in DISAGGREGATED_BY):
        mark(cells_of_client(instance.pk))


def connect_signals() -> None:
    pre_save.connect(_client_before_save, sender=apps.get_model("clients.Client"),
                     dispatch_uid="indicators:clients.Client:pre_save")
    for fact in FACTS.values():
        model = apps.get_model(fact.model)
        if model in _WATCHED:
            _WATCHED[model].append(fact)
            continue
        _WATCHED[model] = [fact]
        uid = f"indicators:{fact.model}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}:pre_save")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}:post_save")
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}:pre_delete")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}:post_delete")
