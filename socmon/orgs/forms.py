from django import forms
from django.utils.translation import gettext_lazy as _

from socmon.accounts.models import Role

from .models import OrgLevel, OrgUnit, in_tree_order

# The unit's name in each language a client may choose; blank: the card shows `name`.
NAME_LANGUAGES = [("en", _("Name in English")), ("ru", _("Name in Russian")), ("az", _("Name in Azerbaijani")),
                  ("kk", _("Name in Kazakh")), ("ro", _("Name in Romanian"))]
NAME_HINT = _("Optional. Clients who chose this language see it on their card. Leave empty to use the name above.")


class OrgUnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=NAME_LANGUAGES[0][1], max_length=200, required=False, help_text=NAME_HINT)
    name_ru = forms.CharField(label=NAME_LANGUAGES[1][1], max_length=200, required=False, help_text=NAME_HINT)
    name_az = forms.CharField(label=NAME_LANGUAGES[2][1], max_length=200, required=False,
                              help_text=_("Optional. In Latin script. Leave empty to use the name above."))
    name_kk = forms.CharField(label=NAME_LANGUAGES[3][1], max_length=200, required=False,
                              help_text=_("Optional. In Cyrillic script. Leave empty to use the name above."))
    name_ro = forms.CharField(label=NAME_LANGUAGES[4][1], max_length=200, required=False, help_text=NAME_HINT)
    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("A short unique code: letters, numbers and hyphens, for example almaty-csc-2."))
    ownership = forms.ChoiceField(label=_("Ownership"), required=False,
                                  choices=[("", _("Not applicable"))] + list(OrgUnit.Ownership.choices))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, instance: OrgUnit | None = None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = OrgUnit.objects.filter(code=code)
        if self.instance:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another unit already uses this code."))
        return code

    @staticmethod
    def initial_from(unit: OrgUnit) -> dict:
        initial = {f: getattr(unit, f) for f in ("name", "code", "ownership", "address", "is_active")}
        return initial | {f"name_{language}": unit.name_i18n.get(language, "") for language, _label in NAME_LANGUAGES}

    def unit_fields(self) -> dict:
        """The cleaned data in the shape the services take: the names in languages folded into `name_i18n`."""
        data = dict(self.cleaned_data)
        names = {language: data.pop(f"name_{language}").strip() for language, _label in NAME_LANGUAGES}
        return data | {"name_i18n": {language: name for language, name in names.items() if name}}


class NewOrgUnitForm(OrgUnitForm):
    level = forms.ModelChoiceField(label=_("Level"), queryset=OrgLevel.objects.none(), empty_label=None)

    field_order = ["level", "name", *(f"name_{language}" for language, _label in NAME_LANGUAGES), "code",
                   "ownership", "address"]

    def __init__(self, *args, parent: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = OrgLevel.objects.filter(rank__gt=parent.level.rank)


class EditOrgUnitForm(OrgUnitForm):
    is_active = forms.BooleanField(label=_("This unit is active"), required=False)


class MoveOrgUnitForm(forms.Form):
    new_parent = forms.ModelChoiceField(label=_("Move under"), queryset=OrgUnit.objects.none(),
                                        help_text=_("The unit moves with all its sub-units and people."))

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        field.queryset = parents
        field.choices = [("", field.empty_label), *((u.pk, str(u)) for u in in_tree_order(parents))]


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    username = forms.RegexField(label=_("Username"), max_length=150, regex=r"^[\w.@+-]+\Z",
                                help_text=_("Letters, digits and . @ + - _ only."),
                                error_messages={"invalid": _("Use only letters, digits and . @ + - _")})
    password = forms.CharField(label=_("First password"), widget=forms.PasswordInput(render_value=False),
                               help_text=_("At least 10 characters. Give it to the person privately; "
                                           "they can change it after signing in."))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a person by name, username or unit"), max_length=100, required=False,
                        strip=True)

    def query(self) -> str:
        return self.cleaned_data["q"] if self.is_valid() else ""


class MembershipForm(forms.Form):
    """`people`: whom the role may go to (checked on the chosen one only); `shown`: (pk, label) of the people
    found by the search, the only ones listed: a region holds thousands of accounts."""

    user = forms.ModelChoiceField(label=_("Person"), queryset=None, widget=forms.RadioSelect,
                                  error_messages={"required": _("Choose a person. Find them by name, username "
                                                                "or unit first."),
                                                  "invalid_choice": _("Choose one of the people found.")})
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, people, shown=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].widget.choices = list(shown)


class PasswordResetForm(forms.Form):
    # The password as the administrator saw it (a fingerprint, never the hash): a reset meanwhile wins.
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)
