"""Reads for the questionnaire pages: the questions of a version, and what changed between two versions."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .flow import items_of, text_in


def _type_label(kind: str) -> str:
    return {
        "text": _("Text"), "integer": _("Whole number"), "decimal": _("Number"), "date": _("Date"),
        "select_one": _("One choice"), "select_multiple": _("Several choices"), "note": _("Note"),
    }.get(kind, kind)


def question_rows(version) -> list[dict]:
    language = get_language()
    return [{"name": item.name, "type": _type_label(item.type),
             "label": text_in(item.label, language, version.languages),
             "required": item.required, "conditional": bool(item.relevant)} for item in items_of(version)]


def changes_between(old, new) -> list[str]:
    """A readable list: questions added, removed, and changed (label, type, choices, rules), in the new order."""
    language = get_language()
    before = {item.name: item for item in items_of(old)}
    after = {item.name: item for item in items_of(new)}

    def label(item, version):
        return text_in(item.label, language, version.languages) or item.name

    changes: list[str] = []
    for name, item in after.items():
        if name not in before:
            changes.append(_("Added: “%(label)s” (%(name)s).") % {"label": label(item, new), "name": name})
            continue
        was = before[name]
        if was.type != item.type:
            changes.append(_("“%(label)s” (%(name)s): the type changed from %(old)s to %(new)s.") % {
                "label": label(item, new), "name": name, "old": _type_label(was.type), "new": _type_label(item.type)})
        if was.label != item.label:
            changes.append(_("“%(label)s” (%(name)s): the wording changed (it was “%(old)s”).") % {
                "label": label(item, new), "name": name, "old": label(was, old)})
        if was.choices != item.choices:
            old_names = [n for n, _l in was.choices]
            new_names = [n for n, _l in item.choices]
            added = [n for n in new_names if n not in old_names]
            removed = [n for n in old_names if n not in new_names]
            parts = []
            if added:
                parts.append(_("answers added: %(names)s") % {"names": ", ".join(added)})
            if removed:
                parts.append(_("answers removed: %(names)s") % {"names": ", ".join(removed)})
            if not parts:
                parts.append(_("the wording of the answers changed"))
            changes.append(_("“%(label)s” (%(name)s): %(what)s.") % {
                "label": label(item, new), "name": name, "what": "; ".join(parts)})
        if (was.required, was.relevant, was.constraint) != (item.required, item.relevant, item.constraint):
            changes.append(_("“%(label)s” (%(name)s): when it is asked or required, or what it accepts, changed.")
                           % {"label": label(item, new), "name": name})
    for name, item in before.items():
        if name not in after:
            changes.append(_("Removed: “%(label)s” (%(name)s). Answers given to it in earlier versions are kept.")
                           % {"label": label(item, old), "name": name})
    return changes
