from django.urls import path

from . import views, views_campaigns

app_name = "surveys"
urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_new, name="questionnaire_new"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/upload/", views.version_upload, name="version_upload"),
    path("questionnaires/<int:pk>/changes/", views.questionnaire_changes, name="questionnaire_changes"),
    path("invitations/<int:pk>/interview/", views.interview, name="interview"),
    path("", views_campaigns.campaigns, name="campaigns"),
    path("mine/", views_campaigns.mine, name="mine"),
    path("units/<int:unit_pk>/new/", views_campaigns.campaign_new, name="campaign_new"),
    path("<int:pk>/", views_campaigns.campaign, name="campaign"),
    path("<int:pk>/invite/", views_campaigns.campaign_invite, name="campaign_invite"),
    path("<int:pk>/close/", views_campaigns.campaign_close, name="campaign_close"),
    path("<int:pk>/slips/", views_campaigns.slips, name="slips"),
    path("<int:pk>/results/", views_campaigns.campaign_results, name="results"),
    path("<int:pk>/responses.xlsx", views_campaigns.export_xlsx, name="export_xlsx"),
    path("<int:pk>/responses.csv", views_campaigns.export_csv, name="export_csv"),
    path("invitations/<int:pk>/", views_campaigns.invitation, name="invitation"),
    path("invitations/<int:pk>/mode/", views_campaigns.invitation_mode, name="invitation_mode"),
    path("invitations/<int:pk>/decline/", views_campaigns.invitation_decline, name="invitation_decline"),
]
