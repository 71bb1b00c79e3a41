"""The eleven built-in indicators of 000 (../shared/seeds/000: "Prosesin ölçülməsi", "Nəticənin ölçülməsi",
"Məmnuniyyətin ölçülməsi"), their texts in the five languages, and how each is computed from facts.

How each is computed is stored with the definition (`Indicator.spec`, written by migration 0002): the
numerator adds its fact specs (IP5: distinct clients at open activities plus other participants counted), and
"reported" names the fact whose presence in a unit and month makes the value a true zero rather than no data.

Counting rules that are our reading of 000, stated in each help text: IP2 and IP4 count distinct clients, at
every level and over every period; IP5 counts distinct clients plus other people as counted; IP6 counts clients
(not the public) who confirm their feedback was answered; IR1 counts clients who joined a programme after a
referral, by default only programmes for basic needs (the `programme_kind` filter of its spec).
"""

from django.utils.translation import gettext_lazy as _

SURVEY_SOURCE = _("Six-monthly provider reports with the clients' survey results; a yearly survey of 10 "
                  "randomly chosen participants")

BUILT_INS: dict[str, dict] = {
    "IP1": dict(
        name=_("Group activities"),
        definition=_("Number of group activities held."),
        outcome=_("Group activities"),
        data_source=_("The provider's monthly report"),
        help=_("Every group activity recorded in the month counts once.")),
    "IP2": dict(
        name=_("Clients in group activities"),
        definition=_("Number of clients who took part in group activities."),
        outcome=_("Group activities"),
        data_source=_("The provider's monthly report; monitoring visits"),
        help=_("Distinct clients: a client at several group activities, in one department or in several, counts "
               "once at every level and over any period (our reading of 000).")),
    "IP3": dict(
        name=_("Individual activities"),
        definition=_("Number of individual activities held."),
        outcome=_("Individual activities"),
        data_source=_("The provider's monthly report"),
        help=_("An individual activity counts once its client is recorded; one without its client is left out.")),
    "IP4": dict(
        name=_("Clients in individual activities"),
        definition=_("Number of clients who took part in individual activities."),
        outcome=_("Individual activities"),
        data_source=_("The provider's monthly report; monitoring visits"),
        help=_("Distinct clients, at every level and over any period (our reading of 000).")),
    "IP5": dict(
        name=_("Participants in open activities"),
        definition=_("Number of people who took part in open activities: clients and other visitors."),
        outcome=_("Open activities (family members and the public take part too)"),
        data_source=_("The provider's monthly report with photos and attendance records"),
        help=_("Distinct clients (by client code) plus the other participants as counted at each activity.")),
    "IP6": dict(
        name=_("Clients whose feedback was answered"),
        definition=_("Number of service users who say their feedback was answered."),
        outcome=_("Feedback and the response to it"),
        data_source=_("The provider's monthly report on feedback and the response to it"),
        help=_("Distinct clients who confirmed, in the period, that they received the answer to their feedback. "
               "Feedback from the public is answered but not counted.")),
    "IR1": dict(
        name=_("Clients who joined a programme after a referral"),
        definition=_("Number of clients who joined a programme meeting basic needs as a result of a referral."),
        outcome=_("Access to central and local programmes meeting basic needs (housing, clothing and footwear, "
                  "medicines and medical services) has increased"),
        data_source=_("The referral record: client code, programme, joined or not"),
        help=_("Distinct clients who joined, by the day they joined, counted for the unit that referred them. "
               "By default only programmes for housing, clothing and footwear, and medicines and medical "
               "services count (000).")),
    "IR2": dict(
        name=_("Clients whose psycho-emotional state improved"),
        definition=_("Number of clients who say their psycho-emotional state has improved and name at least one "
                     "concrete area or example."),
        outcome=_("The psycho-social state of the programme's clients has improved"),
        data_source=SURVEY_SOURCE,
        help=_("Only answers naming a concrete example count; a placeholder such as \"-\" does not.")),
    "IR3": dict(
        name=_("Clients who feel important"),
        definition=_("Number of clients who say they feel important."),
        outcome=_("Clients' sense of their own role and importance has grown"),
        data_source=SURVEY_SOURCE,
        help=_("Distinct clients whose survey answer says so.")),
    "IS1": dict(
        name=_("Clients satisfied with the service"),
        definition=_("Number of clients who say they are satisfied with the service overall."),
        outcome=_("The client is satisfied with the service overall"),
        data_source=SURVEY_SOURCE,
        help=_("Distinct clients whose survey answer says so.")),
    "IS2": dict(
        name=_("Clients satisfied with their situation"),
        definition=_("Number of clients who say they are satisfied with their situation and the results achieved."),
        outcome=_("The client is satisfied with the results achieved"),
        data_source=SURVEY_SOURCE,
        help=_("Distinct clients whose survey answer says so.")),
}

DEFAULT_DIMENSIONS = ["sex", "age", "category"]


def text_of(indicator, field: str) -> str:
    """A text of an indicator in the current language: a built-in's from the catalogue, a custom one's as entered."""
    if indicator.built_in and indicator.code in BUILT_INS:
        return str(BUILT_INS[indicator.code].get(field, ""))
    return getattr(indicator, field, "") if field != "help" else ""


