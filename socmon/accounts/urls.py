"""The account pages socmon offers, and only those: signing in and out, confirming it is you, changing
one's own password, and the authenticator app with its recovery codes (we have our own templates for each).

allauth's full set also mounts sign-up, e-mail addresses and password reset by e-mail: accounts are made by
administrators and have no e-mail, and a forgotten password is reset by the administrator (Organisation
page), so those pages are not mounted (404) rather than half-working.
"""

from allauth.account import views as account
from django.urls import include, path

urlpatterns = [
    path("login/", account.login, name="account_login"),
    path("logout/", account.logout, name="account_logout"),
    path("reauthenticate/", account.reauthenticate, name="account_reauthenticate"),
    path("password/change/", account.password_change, name="account_change_password"),
    path("2fa/", include("allauth.mfa.urls")),
]
