"""A campaign's results: response rate, answers per question, the four indicator answers; and the export.

Readers who may see the people of the campaign's unit get exact figures. Aggregate-only readers (external
evaluators) get the same page with small counts hidden (`socmon.lib.suppression`): a count from 1 to
threshold − 1 reads "fewer than 5", and complementary cells are hidden so that none can be worked out from
what the page publishes: invitations by status add up to those invited; each select-one question's choices
add up to those who answered it, and those who answered plus those who skipped add up to the responses; a
select-multiple choice and those who did not choose it add up to those who answered; each indicator's
"counts" and "does not count" add up to the responses that answered it. A number question's average is shown
only next to a shown count (min and max are never shown to aggregate readers: one extreme is one person).
Written answers are never shown on the page: they are in the export, for those who see the campaign.

The export (XLSX or CSV) has one row per response and no names: the client's code, the version, the mode, the
language, the day, then one column per question of every version of the questionnaire (the newest version's
order first, then questions only older versions asked); text is formula-escaped (`socmon.lib.exports`).
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.lib.exports import append_row, csv_bytes, workbook_bytes
from socmon.lib.suppression import Relation, suppress

from . import selectors
from .models import Campaign, IndicatorAnswer, Invitation
from .questions import SELECT_ONE, Question, chosen


@dataclass(frozen=True)
class Hidden:
    text: str
    hidden: bool = True

    def __str__(self) -> str:
        return self.text


@dataclass
class ChoiceRow:
    label: str
    count: object


@dataclass
class QuestionResult:
    question: Question
    answered: object
    choices: list[ChoiceRow] = field(default_factory=list)
    average: object = None
    minimum: object = None
    maximum: object = None


@dataclass
class IndicatorRow:
    indicator: str
    counts: object
    answered: object


@dataclass
class CampaignResults:
    campaign: Campaign
    protected: bool
    invited: object
    answered: object
    declined: object
    waiting: object
    rate: object  # a percentage, or None
    questions: list[QuestionResult]
    indicators: list[IndicatorRow]


def _number(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number


def campaign_results(campaign: Campaign, *, protected: bool) -> CampaignResults:
    statuses = selectors.status_counts(campaign)
    responses = list(campaign.responses.order_by().values_list("answers", flat=True))
    cells: dict = {
        "invited": sum(statuses.values()), "answered": statuses[Invitation.Status.ANSWERED],
        "declined": statuses[Invitation.Status.DECLINED], "waiting": statuses[Invitation.Status.INVITED],
        "responses": len(responses),
    }
    relations = [Relation("invited", ("answered", "declined", "waiting"), breakdown=True)]
    numbers: dict[str, list[float]] = {}
    qs = selectors.all_questions(campaign)
    for q in qs:
        given = [a.get(q.name) for a in responses if a.get(q.name) not in (None, "", [])]
        cells[(q.name, "answered")] = len(given)
        cells[(q.name, "skipped")] = len(responses) - len(given)
        relations.append(Relation("responses", ((q.name, "answered"), (q.name, "skipped"))))
        if q.is_select:
            parts = []
            for choice, _label in q.choices:
                n = sum(1 for value in given if choice in chosen(value))
                cells[(q.name, "choice", choice)] = n
                parts.append((q.name, "choice", choice))
                if q.type != SELECT_ONE:
                    cells[(q.name, "not", choice)] = len(given) - n
                    relations.append(Relation((q.name, "answered"),
                                              ((q.name, "choice", choice), (q.name, "not", choice))))
            if q.type == SELECT_ONE and parts:
                relations.append(Relation((q.name, "answered"), tuple(parts), breakdown=True))
        elif q.is_number:
            numbers[q.name] = [n for n in (_number(v) for v in given) if n is not None]
    answers = IndicatorAnswer.objects.filter(response__campaign=campaign).order_by()
    for indicator in IndicatorAnswer.Indicator.values:
        yes = answers.filter(indicator=indicator, counts=True).count()
        no = answers.filter(indicator=indicator, counts=False).count()
        cells[(indicator, "yes")], cells[(indicator, "no")], cells[(indicator, "all")] = yes, no, yes + no
        relations.append(Relation((indicator, "all"), ((indicator, "yes"), (indicator, "no")), breakdown=True))

    suppression = suppress(cells, relations) if protected else None

    def shown(key):
        if suppression is None or not suppression.is_hidden(key):
            return cells.get(key, 0)
        if suppression.is_small(key):
            return Hidden(_("fewer than %(threshold)s") % {"threshold": suppression.threshold})
        return Hidden(_("not shown"))

    results = []
    for q in qs:
        row = QuestionResult(question=q, answered=shown((q.name, "answered")))
        if q.is_select:
            row.choices = [ChoiceRow(q.choice_text(c), shown((q.name, "choice", c))) for c, _label in q.choices]
        elif q.is_number and numbers[q.name] and not isinstance(row.answered, Hidden):
            values = numbers[q.name]
            row.average = round(sum(values) / len(values), 1)
            if not protected:
                row.minimum, row.maximum = min(values), max(values)
        results.append(row)
    invited, answered = shown("invited"), shown("answered")
    rate = None
    if isinstance(invited, int) and isinstance(answered, int) and invited:
        rate = round(100 * answered / invited)
    return CampaignResults(
        campaign=campaign, protected=protected, invited=invited, answered=answered, declined=shown("declined"),
        waiting=shown("waiting"), rate=rate, questions=results,
        indicators=[IndicatorRow(i, shown((i, "yes")), shown((i, "all"))) for i in IndicatorAnswer.Indicator.values])


# --- Export ------------------------------------------------------------------------------------------------------


def _cell(value):
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return str(value)
    return value


def export_rows(campaign: Campaign) -> tuple[list[str], list[list]]:
    qs = selectors.all_questions(campaign)
    header = [_("Client code"), _("Version"), _("Mode"), _("Language"), _("Submitted")] + [q.name for q in qs]
    rows = []
    for response in selectors.responses_of(campaign):
        answers = response.answers or {}
        rows.append([response.client.code if response.client else "", response.version.number,
                     response.get_mode_display(), response.language,
                     timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")]
                    + [_cell(answers.get(q.name, "")) for q in qs])
    return header, rows


def export_xlsx(campaign: Campaign) -> bytes:
    from openpyxl import Workbook

    header, rows = export_rows(campaign)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Responses")[:31]
    append_row(sheet, header)
    for row in rows:
        append_row(sheet, row)
    return workbook_bytes(book)


def export_csv(campaign: Campaign) -> bytes:
    header, rows = export_rows(campaign)
    return csv_bytes([header, *rows])
