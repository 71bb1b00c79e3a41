"""Every action the audit trail knows, as one closed set (`app.noun_verb`).

`record_event` refuses anything else, so a typo fails the first test that reaches it instead of
drifting into a new spelling of an old action. A new service adds its member here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # orgs
    ORG_UNIT_CREATED = "orgs.unit_created", _("Organisational unit created")
    ORG_UNIT_UPDATED = "orgs.unit_updated", _("Organisational unit renamed")
    ORG_UNIT_MOVED = "orgs.unit_moved", _("Organisational unit moved")
    MEMBERSHIP_ADDED = "orgs.membership_added", _("Role given")
    MEMBERSHIP_REMOVED = "orgs.membership_removed", _("Role taken away")
    # accounts
    PASSWORD_RESET = "accounts.password_reset", _("Temporary password set by an administrator")
    PASSWORD_CHANGED = "accounts.password_changed", _("Password changed by its owner")
    # clients
    CLIENT_REGISTERED = "clients.client_registered", _("Client registered")
    CLIENT_UPDATED = "clients.client_updated", _("Client's details changed")
    APPLICATION_REGISTERED = "clients.application_registered", _("Application registered")
    CASELOAD_ASSIGNED = "clients.caseload_assigned", _("Client assigned to a worker")
    # catalogue
    SERVICE_KIND_CREATED = "catalogue.service_kind_created", _("Service added to the catalogue")
    SERVICE_KIND_UPDATED = "catalogue.service_kind_updated", _("Service in the catalogue changed")
    # visits
    CARD_ISSUED = "visits.card_issued", _("Client card issued")
    CARD_REISSUED = "visits.card_reissued", _("Client card reissued")
    DAY_PLANNED = "visits.day_planned", _("Day's visits planned")
    VISIT_ADDED = "visits.visit_added", _("Visit added")
    VISIT_MOVED = "visits.visit_moved", _("Visit moved")
    VISIT_CHECKED_IN = "visits.visit_checked_in", _("Visit checked in")
    VISIT_CHECKED_IN_WITHOUT_CARD = "visits.visit_checked_in_without_card", _("Visit checked in without the card")
    VISIT_SERVICE_RECORDED = "visits.visit_service_recorded", _("Service recorded during a visit")
    VISIT_CHECKED_OUT = "visits.visit_checked_out", _("Visit checked out")
    VISIT_CANCELLED = "visits.visit_cancelled", _("Visit cancelled after a check-in by mistake")
    VISIT_SERVICE_CORRECTED = "visits.visit_service_corrected", _("Minutes of a recorded service corrected")
    VISIT_SERVICE_REMOVED = "visits.visit_service_removed", _("Recorded service removed")
    VISIT_RATED = "visits.visit_rated", _("Visit rated by the client")
    VISITS_MARKED_MISSED = "visits.visits_marked_missed", _("Visits marked as missed")
    # cases: referrals to outside organisations (a staff answer and the organisation's answer by link alike)
    REFERRAL_LINK_ISSUED = "cases.referral_link_issued", _("Referral link issued to an outside organisation")
    REFERRAL_ANSWERED = "cases.referral_answered", _("Referral accepted or declined")
    REFERRAL_OUTCOME_RECORDED = "cases.referral_outcome_recorded", _("Referral outcome recorded")
    VISIT_FLAG_CHECKED = "visits.flag_checked", _("Flag marked as checked by the head")
    # surveys
    QUESTIONNAIRE_VERSION_UPLOADED = "surveys.questionnaire_version_uploaded", _("Questionnaire version uploaded")
    SURVEY_RESPONSE_SUBMITTED = "surveys.response_submitted", _("Survey answers received")
    # activities
    ACTIVITY_RECORDED = "activities.activity_recorded", _("Activity recorded")
    ACTIVITY_ATTENDANCE_ADDED = "activities.attendance_added", _("Client's attendance at an activity recorded")
    ACTIVITY_ATTENDANCE_REMOVED = "activities.attendance_removed", _("Client's attendance at an activity removed")
    ACTIVITY_OTHERS_ADDED = "activities.others_added", _("Other participants of an activity counted")
    ACTIVITY_PHOTO_ADDED = "activities.photo_added", _("Photo of an activity added")
    ACTIVITY_CORRECTED = "activities.activity_corrected", _("Recorded activity corrected")
    ACTIVITY_REMOVED = "activities.activity_removed", _("Recorded activity removed")
    # feedback
    FEEDBACK_RECEIVED = "feedback.feedback_received", _("Feedback received")
    FEEDBACK_ANSWERED = "feedback.feedback_answered", _("Feedback answered")
    FEEDBACK_EXTENDED = "feedback.feedback_extended", _("Feedback deadline extended")
    FEEDBACK_ESCALATED = "feedback.feedback_escalated", _("Feedback escalated to the level above")
    FEEDBACK_CLOSED = "feedback.feedback_closed", _("Feedback closed")
    FEEDBACK_REOPENED = "feedback.feedback_reopened", _("Feedback reopened by its sender")
    FEEDBACK_CONFIRMED = "feedback.feedback_confirmed", _("Client confirmed receiving an answer to feedback")
    # surveys: campaigns, invitations and the yearly random sample
    SURVEY_CAMPAIGN_CREATED = "surveys.campaign_created", _("Survey campaign created")
    SURVEY_CLIENTS_INVITED = "surveys.clients_invited", _("Clients served in the period invited to a survey")
    SURVEY_SAMPLE_DRAWN = "surveys.sample_drawn", _("Random sample of clients drawn for a survey")
    SURVEY_INVITATION_MODE_CHANGED = "surveys.invitation_mode_changed", _("How a client answers a survey changed")
    SURVEY_INVITATION_DECLINED = "surveys.invitation_declined", _("Client declined a survey (replacement invited)")
    SURVEY_CAMPAIGN_CLOSED = "surveys.campaign_closed", _("Survey campaign closed")
    # indicators
    INDICATOR_TARGET_SET = "indicators.target_set", _("Indicator target or baseline set")
    # indicators: definitions are never changed in place (a new version, or a retirement)
    INDICATOR_DEFINED = "indicators.indicator_defined", _("Custom indicator defined")
    INDICATOR_REPLACED = "indicators.indicator_replaced", _("Indicator replaced by a new version")
    INDICATOR_RETIRED = "indicators.indicator_retired", _("Indicator retired")
    # programmes and their M&E plans (versions: started, submitted, approved or returned; evaluations)
    PROGRAMME_CREATED = "programmes.programme_created", _("Programme created")
    PROGRAMME_STAGE_CHANGED = "programmes.stage_changed", _("Programme moved to another stage of its cycle")
    PLAN_VERSION_STARTED = "programmes.plan_version_started", _("New draft version of an M&E plan started")
    PLAN_SUBMITTED = "programmes.plan_submitted", _("M&E plan version submitted for approval")
    PLAN_APPROVED = "programmes.plan_approved", _("M&E plan version approved")
    PLAN_RETURNED = "programmes.plan_returned", _("M&E plan version returned to its author")
    PLAN_EVALUATION_RECORDED = "programmes.evaluation_recorded", _("Evaluation of an M&E plan recorded")
