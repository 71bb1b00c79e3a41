from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/<int:client_pk>/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/assessment/", views.assessment_edit, name="assessment"),
    path("<int:pk>/assessment/submit/", views.assessment_submit, name="assessment_submit"),
    path("<int:pk>/assessment/decide/", views.decide, {"kind": "assessment"}, name="assessment_decide"),
    path("<int:pk>/plan/", views.plan_edit, name="plan"),
    path("<int:pk>/plan/services/add/", views.plan_service_add, name="plan_service_add"),
    path("<int:pk>/plan/services/<int:item_pk>/remove/", views.plan_service_remove, name="plan_service_remove"),
    path("<int:pk>/plan/submit/", views.plan_submit, name="plan_submit"),
    path("<int:pk>/plan/decide/", views.decide, {"kind": "plan"}, name="plan_decide"),
    path("<int:pk>/reviews/new/", views.review_new, name="review_new"),
    path("<int:pk>/closure/", views.closure_propose, name="closure"),
    path("<int:pk>/closure/decide/", views.decide, {"kind": "closure"}, name="closure_decide"),
    path("<int:pk>/reopen/", views.case_reopen, name="reopen"),
    path("<int:pk>/referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/", views.referral_inbox, name="referrals_inbox"),
    path("referrals/sent/", views.referral_outbox, name="referrals_outbox"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/answer/", views.referral_answer, name="referral_answer"),
    path("referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("referrals/<int:pk>/link/", views.referral_link_issue, name="referral_link_issue"),
]
