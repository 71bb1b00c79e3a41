"""Survey campaigns: the list, a new campaign, inviting or drawing, invitations (mode, decline), slips with QR
codes, results and exports. Access: `surveys.access`; every write: `surveys.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from socmon.accounts.access import CONDUCT_SURVEYS, INDIVIDUAL, has_capability
from socmon.lib.forms import apply_service, once_per_form_key
from socmon.lib.pagination import paginate
from socmon.lib.suppression import small_count_threshold
from socmon.orgs.picker import unit_picker
from socmon.visits.cards import qr_svg

from . import access, results, selectors, services
from .forms import CampaignForm, DeclineForm, ModeForm
from .models import Campaign, Invitation, QuestionnaireVersion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def campaigns(request):
    """Campaigns the reader sees (or reads the results of); the M&E specialist starts one for a chosen unit."""
    visible = access.campaigns_visible_to(request.user)
    listed = access.listed_campaigns(request.user)
    if not listed.exists() and not access.units_for_new_campaigns(request.user).exists() \
            and not has_capability(request.user, CONDUCT_SURVEYS):
        raise PermissionDenied
    page = paginate(request, listed.select_related("org_unit", "version__questionnaire").order_by("-period_start",
                                                                                                   "-pk"))
    seen = set(visible.filter(pk__in=[c.pk for c in page]).values_list("pk", flat=True))
    units = access.units_for_new_campaigns(request.user)
    picker = None
    if units.exists():
        unit = units.filter(pk=request.GET.get("unit")).first() if request.GET.get("unit", "").isdigit() else None
        picker = unit_picker(units, unit or units.order_by("path").first(), request.GET)
    return render(request, "surveys/campaign_list.html", {
        "page": page, "seen": seen, "picker": picker,
        "may_conduct": has_capability(request.user, CONDUCT_SURVEYS)})


@login_required
def mine(request):
    """A worker's clients invited to open campaigns: hand out the slip, interview, or record a decline."""
    if not has_capability(request.user, CONDUCT_SURVEYS):
        raise PermissionDenied
    invitations = (access.own_clients_open_invitations(request.user).select_related("campaign", "client")
                   .order_by("campaign__period_start", "position", "pk"))
    return render(request, "surveys/mine.html", {"page": paginate(request, invitations)})


def _versions_for(unit):
    ancestors = [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    return (QuestionnaireVersion.objects.filter(Q(questionnaire__org_unit=None)
                                                | Q(questionnaire__org_unit__path__in=ancestors))
            .select_related("questionnaire").order_by("questionnaire__title", "-number"))


@login_required
@once_per_form_key
def campaign_new(request, unit_pk: int):
    unit = access.get_unit_for_new_campaign(request.user, unit_pk)
    form = CampaignForm(request.POST or None, versions=_versions_for(unit),
                        initial={"kind": Campaign.Kind.SIX_MONTHLY, "sample_size": 10})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            campaign = apply_service(form, services.create_campaign, by=request.user, unit=unit,
                                     version=data["version"], kind=data["kind"], title=data["title"],
                                     period_start=data["period_start"], period_end=data["period_end"],
                                     sample_size=data.get("sample_size"))
            if campaign:
                messages.success(request, _("The campaign was created. Now invite its clients."))
                return redirect("surveys:campaign", pk=campaign.pk)
        return render(request, "surveys/campaign_new.html", {"form": form, "unit": unit}, status=400)
    return render(request, "surveys/campaign_new.html", {"form": form, "unit": unit})


@login_required
def campaign(request, pk: int):
    campaign = access.get_campaign_for_user(request.user, pk)
    invitations = selectors.invitations_of(campaign, access.invitations_visible_to(request.user))
    return render(request, "surveys/campaign_detail.html", {
        "campaign": campaign, "page": paginate(request, invitations), "counts": selectors.status_counts(campaign),
        "may_manage": access.may_manage_campaigns(request.user, campaign.org_unit),
        "may_read_results": access.may_read_results(request.user),
        "frame_size": len(campaign.sample_frame or [])})


@login_required
@require_POST
def campaign_invite(request, pk: int):
    """Invite the served clients (6-monthly) or draw the random sample: once, by one of two at the same time."""
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    try:
        if campaign.kind == Campaign.Kind.YEARLY_SAMPLE:
            drawn = services.draw_sample(by=request.user, campaign=campaign)
            messages.success(request, ngettext("%(count)s client was drawn and invited.",
                                               "%(count)s clients were drawn and invited.", len(drawn))
                             % {"count": len(drawn)})
        else:
            count = services.invite_served_clients(by=request.user, campaign=campaign)
            messages.success(request, ngettext("%(count)s client was invited.", "%(count)s clients were invited.",
                                               count) % {"count": count})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("surveys:campaign", pk=campaign.pk)


@login_required
def campaign_close(request, pk: int):
    """Close the campaign (the M&E specialist who runs it): asked first, then done once; never reopened."""
    campaign = access.get_campaign_for_user(request.user, pk, manage=True)
    if request.method == "POST":
        try:
            services.close_campaign(by=request.user, campaign=campaign)
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(request, _("The campaign is closed. Its answer pages now say that the survey has "
                                        "ended."))
        return redirect("surveys:campaign", pk=campaign.pk)
    if not campaign.is_open:
        return redirect("surveys:campaign", pk=campaign.pk)
    return render(request, "surveys/campaign_close.html", {"campaign": campaign,
                                                           "counts": selectors.status_counts(campaign)})


def answer_url(request, invitation: Invitation) -> str:
    """The client's own answer page (`survey:answer`)."""
    return request.build_absolute_uri(reverse("survey:answer", args=[invitation.nonce]))


@login_required
def slips(request, pk: int):
    """Printable slips for clients who answer themselves: the link and its QR code, one per client."""
    campaign = access.get_campaign_for_user(request.user, pk)
    invitations = (selectors.invitations_of(campaign, access.invitations_visible_to(request.user))
                   .filter(mode=Invitation.Mode.SELF, status=Invitation.Status.INVITED))
    return _slips(request, campaign, invitations)


def _slips(request, campaign, invitations):
    items = []
    for invitation in invitations[:500]:
        url = answer_url(request, invitation)
        items.append({"invitation": invitation, "url": url,
                      "svg": qr_svg(url, _("QR code to answer the survey")) if url else None})
    return render(request, "surveys/slips.html", {"campaign": campaign, "items": items})


@login_required
def invitation(request, pk: int):
    invitation = access.get_invitation_for_user(request.user, pk)
    may_conduct = access.may_conduct(request.user, invitation)
    url = answer_url(request, invitation) if may_conduct else ""
    return render(request, "surveys/invitation.html", {
        "invitation": invitation, "may_conduct": may_conduct,
        "may_interview": may_conduct and access.may_interview(request.user, invitation),
        "campaign_visible": access.campaigns_visible_to(request.user).filter(pk=invitation.campaign_id).exists(),
        "mode_form": ModeForm(initial={"mode": invitation.mode}), "decline_form": DeclineForm(),
        "url": url, "svg": qr_svg(url, _("QR code to answer the survey")) if url else None})


@login_required
@require_POST
def invitation_mode(request, pk: int):
    invitation = access.get_invitation_for_user(request.user, pk, conduct=True)
    form = ModeForm(request.POST)
    if form.is_valid() and apply_service(form, services.change_mode, by=request.user, invitation=invitation,
                                         mode=form.cleaned_data["mode"]):
        messages.success(request, _("Saved how the client answers."))
        return redirect("surveys:invitation", pk=invitation.pk)
    return render(request, "surveys/invitation.html", {
        "invitation": invitation, "may_conduct": True, "mode_form": form, "decline_form": DeclineForm()},
        status=400)


@login_required
@once_per_form_key
def invitation_decline(request, pk: int):
    invitation = access.get_invitation_for_user(request.user, pk, conduct=True)
    form = DeclineForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            replacement = apply_service(form, services.record_decline, by=request.user, invitation=invitation,
                                        reason=form.cleaned_data["reason"])
            if replacement:
                if isinstance(replacement, Invitation):
                    messages.success(request, _("The decline was recorded. %(code)s was drawn next and is invited "
                                                "instead.") % {"code": replacement.client.code})
                else:
                    messages.success(request, _("The decline was recorded."))
                return redirect("surveys:invitation", pk=invitation.pk)
        return render(request, "surveys/invitation_decline.html", {"invitation": invitation, "form": form},
                      status=400)
    return render(request, "surveys/invitation_decline.html", {"invitation": invitation, "form": form})


@login_required
def campaign_results(request, pk: int):
    campaign, scope = access.get_campaign_for_results(request.user, pk)
    protected = scope.detail(campaign.org_unit.path) != INDIVIDUAL
    figures = results.campaign_results(campaign, protected=protected)
    may_export = not protected and access.campaigns_visible_to(request.user).filter(pk=campaign.pk).exists()
    return render(request, "surveys/results.html", {"results": figures, "campaign": campaign,
                                                    "may_export": may_export, "threshold": small_count_threshold()})


def _exportable(request, pk: int) -> Campaign:
    campaign = access.get_campaign_for_user(request.user, pk)
    if access.results_scope(request.user).detail(campaign.org_unit.path) != INDIVIDUAL:
        raise PermissionDenied
    return campaign


@login_required
def export_xlsx(request, pk: int):
    campaign = _exportable(request, pk)
    response = HttpResponse(results.export_xlsx(campaign), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{campaign.pk}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
def export_csv(request, pk: int):
    campaign = _exportable(request, pk)
    response = HttpResponse(results.export_csv(campaign), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{campaign.pk}-{timezone.localdate():%Y%m%d}.csv"'
    return response


def answer_placeholder(request, nonce: str):
    """Stands in for the public answer page until it is merged (the slips link here)."""
    raise Http404
