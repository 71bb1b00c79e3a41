from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from socmon.lib.i18n import TranslatedNameMixin, translated_name


class OrgLevel(TranslatedNameMixin):
    """A configurable level of the hierarchy: country, region, district, institution, department…

    `rank` orders levels from the top (0 = country); a unit's children sit on deeper levels.
    `kind` tells the rest of socmon what a unit at this level is for (roles and reports rely on it).
    """

    class Kind(models.TextChoices):
        AREA = "area", _("Administrative area")
        INSTITUTION = "institution", _("Institution")
        DEPARTMENT = "department", _("Department")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True, help_text=_("0 is the top level."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AREA)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("organisation level")
        verbose_name_plural = _("organisation levels")


def search_text_of(name: str, name_i18n: dict | None, address: str = "") -> str:
    """What a unit is found by (socmon.orgs.search): its name in every language and its address, case-folded,
    one per line (a searched word never holds a line break)."""
    parts = [name, *(name_i18n or {}).values(), address]
    return "\n".join(" ".join(str(part).casefold().split()) for part in parts if part)


class OrgUnit(MP_Node):
    """A node of the org tree. Every record in socmon belongs to one; access is by subtree (path prefix)."""

    class Ownership(models.TextChoices):
        STATE = "state", _("State body")
        NGO = "ngo", _("Non-governmental organisation")
        BUSINESS = "business", _("Business")
        RELIGIOUS = "religious", _("Religious organisation")
        ACADEMIC = "academic", _("Academic organisation")

    name = models.CharField(_("name"), max_length=200)
    # The name in the five languages where it differs, {"kk": "…"}: the client's card speaks the client's language.
    name_i18n = models.JSONField(_("name in other languages"), default=dict, blank=True)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    level = models.ForeignKey(OrgLevel, on_delete=models.PROTECT, related_name="units", verbose_name=_("level"))
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Kept in step by save() (search_text_of); a trigram index on PostgreSQL (migration 0004).
    search_text = models.TextField(blank=True, default="", db_default="", editable=False)

    # No `node_order_by`: treebeard would renumber the following siblings' paths on every insert, and paths
    # decide access. Children are appended (their paths never change); lists sort by name with in_tree_order.

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_text_of(self.name, self.name_i18n, self.address)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "name_i18n", "address"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def kind(self) -> str:
        return self.level.kind

    @property
    def name_with_parent(self) -> str:
        """"Home Care Department · Talgar Centre": departments of different institutions often share a name.

        Loads the parent; callers listing many units should prefer selectors that fetch parents in bulk."""
        if self.depth <= 1:
            return self.name
        parent = OrgUnit.objects.filter(path=self.path[: -self.steplen]).only("name").first()
        return f"{self.name} · {parent.name}" if parent else self.name

    @property
    def label(self) -> str:
        """The name in the active language, or `name` where none is given for it."""
        return translated_name(self.name, self.name_i18n)

    @property
    def label_with_parent(self) -> str:
        """`name_with_parent` in the active language (loads the parent)."""
        if self.depth <= 1:
            return self.label
        parent = OrgUnit.objects.filter(path=self.path[: -self.steplen]).only("name", "name_i18n").first()
        return f"{self.label} · {parent.label}" if parent else self.label

    def subtree_q(self, prefix: str = "") -> models.Q:
        """A filter for rows whose org unit lies in this unit's subtree (itself included)."""
        return models.Q(**{f"{prefix}path__startswith": self.path})


def in_tree_order(units) -> list[OrgUnit]:
    """`units` depth first, siblings by name: the order to show a tree in (paths keep the order of creation).

    The names of all their ancestors come in one query."""
    units = list(units)

    def prefixes(unit: OrgUnit) -> list[str]:
        return [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]

    wanted = {p for u in units for p in prefixes(u)}
    names = dict(OrgUnit.objects.filter(path__in=wanted).values_list("path", "name")) if wanted else {}
    return sorted(units, key=lambda u: [(names.get(p, "").casefold(), p) for p in prefixes(u)])
