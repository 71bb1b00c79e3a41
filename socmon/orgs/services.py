"""Every change to the org tree and its people: atomic, by a named user, audited."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from socmon.accounts.access import MANAGE_ORG, ROLE_UNIT_KINDS, in_reach, reach_paths
from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event

from .access import people_whose_password_user_may_reset
from .models import OrgLevel, OrgUnit


def _require_manage(by, unit: OrgUnit) -> None:
    if not in_reach(unit.path, reach_paths(by, MANAGE_ORG)):
        raise PermissionDenied


def _check_level_below(parent: OrgUnit, level: OrgLevel) -> None:
    if level.rank <= parent.level.rank:
        raise ValidationError(
            _("The level “%(level)s” cannot sit under the level “%(parent_level)s”: choose a level below it.")
            % {"level": level.label, "parent_level": parent.level.label},
            code="level_order",
        )


def _lock_tree() -> None:
    """Serialise changes of the tree's shape: a move rewrites a whole subtree's paths in several statements,
    and a unit added meanwhile under that subtree would be left behind. Changes of shape are rare; SQLite
    already serialises writers (IMMEDIATE), PostgreSQL waits here on the root rows."""
    list(OrgUnit.objects.select_for_update().filter(depth=1).order_by("path").values_list("pk", flat=True))


@transaction.atomic
def create_org_unit(*, by: User, parent: OrgUnit, name: str, code: str, level: OrgLevel,
                    ownership: str = "", address: str = "", name_i18n: dict | None = None) -> OrgUnit:
    """Add a unit under `parent`; its level must lie below the parent's."""
    _lock_tree()
    parent.refresh_from_db()
    _require_manage(by, parent)
    _check_level_below(parent, level)
    # Appended as the last child: no sibling's path changes (access is decided on paths).
    unit = OrgUnit.objects.add_child(parent, dict(name=name, code=code, level=level, ownership=ownership,
                                                  address=address, name_i18n=name_i18n or {}))
    record_event(by=by, action=AuditAction.ORG_UNIT_CREATED, target=unit, org_path=unit.path, name=name)
    return unit


@transaction.atomic
def update_org_unit(*, by: User, unit: OrgUnit, name: str, code: str, ownership: str, address: str,
                    is_active: bool, name_i18n: dict | None = None) -> OrgUnit:
    """Change the unit's details; `name_i18n` None keeps its names in other languages."""
    _require_manage(by, unit)
    unit.name, unit.code, unit.ownership, unit.address, unit.is_active = name, code, ownership, address, is_active
    if name_i18n is not None:
        unit.name_i18n = name_i18n
    unit.save(update_fields=["name", "name_i18n", "code", "ownership", "address", "is_active"])
    record_event(by=by, action=AuditAction.ORG_UNIT_UPDATED, target=unit, org_path=unit.path, name=name)
    return unit


def _under_descendant(unit: OrgUnit, new_parent: OrgUnit) -> ValidationError:
    return ValidationError(_("%(unit)s cannot be moved under %(parent)s: %(parent)s is one of its own sub-units.")
                           % {"unit": unit.name, "parent": new_parent.name}, code="move_to_descendant")


@transaction.atomic
def move_org_unit(*, by: User, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Move `unit` with its whole subtree under `new_parent`; never under itself or its own descendant.
    One move at a time, decided on the paths as they are once the tree is locked."""
    _lock_tree()
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    _require_manage(by, unit)
    _require_manage(by, new_parent)
    if new_parent.pk == unit.pk:
        raise ValidationError(_("A unit cannot be moved under itself."), code="move_to_itself")
    if new_parent.path.startswith(unit.path):
        raise _under_descendant(unit, new_parent)
    _check_level_below(new_parent, unit.level)
    old_parent = OrgUnit.objects.get_parent(unit)
    try:
        OrgUnit.objects.move(unit, new_parent, pos="last-child")
    except InvalidMoveToDescendant:  # pragma: no cover - guarded above; kept as the tree's own word
        raise _under_descendant(unit, new_parent) from None
    unit.refresh_from_db()
    record_event(by=by, action=AuditAction.ORG_UNIT_MOVED, target=unit, org_path=unit.path,
                 old_parent=old_parent.pk if old_parent else None, new_parent=new_parent.pk)
    return unit


def _check_role_fits_unit(role: str, unit: OrgUnit) -> None:
    if unit.level.kind not in ROLE_UNIT_KINDS[role]:
        raise ValidationError(
            _("The role “%(role)s” cannot be given at the level “%(level)s”.")
            % {"role": Role(role).label, "level": unit.level.label},
            code="role_unit_kind",
        )


@transaction.atomic
def add_membership(*, by: User, user: User, org_unit: OrgUnit, role: str) -> Membership:
    """Give `user` a role at `org_unit`."""
    _require_manage(by, org_unit)
    _check_role_fits_unit(role, org_unit)
    if Membership.objects.filter(user=user, org_unit=org_unit, role=role).exists():
        raise ValidationError(_("This person already has that role here."), code="duplicate")
    membership = Membership.objects.create(user=user, org_unit=org_unit, role=role)
    record_event(by=by, action=AuditAction.MEMBERSHIP_ADDED, target=membership, org_path=org_unit.path,
                 user=user.pk, role=role)
    return membership


@transaction.atomic
def remove_membership(*, by: User, membership: Membership) -> None:
    _require_manage(by, membership.org_unit)
    record_event(by=by, action=AuditAction.MEMBERSHIP_REMOVED, target=membership, org_path=membership.org_unit.path,
                 user=membership.user_id, role=membership.role)
    membership.delete()


@transaction.atomic
def create_person(*, by: User, username: str, first_name: str, last_name: str, password: str,
                  org_unit: OrgUnit, role: str) -> User:
    """Create a staff account with its first membership; both or neither are stored."""
    _require_manage(by, org_unit)
    _check_role_fits_unit(role, org_unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("That username is already taken."), code="username_taken")
    user = User(username=username, first_name=first_name, last_name=last_name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    add_membership(by=by, user=user, org_unit=org_unit, role=role)
    return user


# Lower-case letters and digits without look-alikes (no i, l, o, 0, 1): read aloud or copied from a screen.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _temporary_password() -> str:
    """Four groups of four (about 79 bits of randomness), e.g. "kq7m-x3hp-9vta-w2rc"."""
    return "-".join("".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4))


def password_version(person: User) -> str:
    """A fingerprint of the stored password (not the hash itself, which never leaves the server): it changes
    whenever the password does."""
    return salted_hmac("socmon.orgs.password_version", person.password).hexdigest()[:24]


@transaction.atomic
def reset_password(*, by: User, person: User, seen: str) -> str:
    """Give `person` a new temporary password, made here and returned once for the administrator to pass on.

    Only its hash is stored. In the same write the person is marked to change it at their next sign-in;
    their other sessions end, as Django ties each session to the password's hash. `seen` is the
    `password_version` the administrator's page showed: decided on the locked account, so of two
    administrators resetting at once the first wins and the other is told (else one would hand out a
    password that no longer works).
    """
    locked = User.objects.select_for_update().filter(pk=person.pk).first()
    if locked is None or not people_whose_password_user_may_reset(by).filter(pk=locked.pk).exists():
        raise PermissionDenied
    if not constant_time_compare(password_version(locked), seen):
        raise ValidationError(_("The password of %(name)s was changed a moment ago, by another administrator "
                                "or by the person. Check with them; open this page again if a new temporary "
                                "password is still needed.") % {"name": locked}, code="changed_meanwhile")
    password = _temporary_password()
    locked.set_password(password)
    locked.must_change_password = True
    locked.save(update_fields=["password", "must_change_password"])
    unit = Membership.objects.filter(user=locked).select_related("org_unit").order_by("org_unit__path").first()
    record_event(by=by, action=AuditAction.PASSWORD_RESET, target=locked,
                 org_path=unit.org_unit.path if unit else "", user=locked.pk)
    return password
