from django.contrib import admin
from django.urls import include, path

from socmon.accounts import views as account_views

urlpatterns = [
    path("", include("socmon.dashboards.urls")),
    path("org/", include("socmon.orgs.urls")),
    path("clients/", include("socmon.clients.urls")),
    path("catalogue/", include("socmon.catalogue.urls")),
    path("cases/", include("socmon.cases.urls")),
    path("visits/", include("socmon.visits.urls")),
    path("activities/", include("socmon.activities.urls")),
    path("feedback/", include("socmon.feedback.urls")),
    path("r/feedback/", include("socmon.feedback.urls_public")),  # before r/<code>/
    path("r/", include("socmon.visits.urls_public")),
    path("surveys/", include("socmon.surveys.urls")),
    path("indicators/custom/", include("socmon.indicators.urls_custom")),  # before indicators/<code>/
    path("indicators/", include("socmon.indicators.urls")),
    path("programmes/", include("socmon.programmes.urls")),
    path("survey/", include("socmon.surveys.urls_public")),
    path("referral-link/", include("socmon.cases.urls_public")),
    path("accounts/", include("socmon.accounts.urls")),
    path("language/<str:code>/", account_views.switch_language, name="switch_language"),
    path("text-size/", account_views.text_size, name="text_size"),
    path("accessibility/", account_views.accessibility, name="accessibility"),
    path("admin/", admin.site.urls),
]
