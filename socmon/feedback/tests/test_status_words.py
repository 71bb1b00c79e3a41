"""The status "Received" is not the date column "Received": catalogues translate the column as "date received",
so the status carries its own context."""

from django.utils import translation
from django.utils.translation import gettext, pgettext

from socmon.feedback.models import FeedbackStep
from socmon.feedback.selectors import STATUS_LABELS


def test_the_received_status_has_its_own_words_not_the_date_columns():
    for language in ["ru", "az", "kk", "ro"]:
        with translation.override(language):
            column = gettext("Received")
            assert str(STATUS_LABELS["received"]) == pgettext("feedback status", "Received")
            assert str(FeedbackStep.Kind.RECEIVED.label) == pgettext("feedback status", "Received")
            assert str(STATUS_LABELS["received"]) != column or column == "Received"
