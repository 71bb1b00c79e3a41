from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", views.questionnaire_new, name="questionnaire_new"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:pk>/upload/", views.version_upload, name="version_upload"),
    path("questionnaires/<int:pk>/changes/", views.questionnaire_changes, name="questionnaire_changes"),
    path("invitations/<int:pk>/interview/", views.interview, name="interview"),
]
