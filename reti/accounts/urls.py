from django.urls import path

from . import rights_views, twofactor_views, views

app_name = "accounts"
urlpatterns = [
    path("area-personale/", views.account, name="account"),
    path("area-personale/accedi/", views.SignInView.as_view(), name="login"),
    path("area-personale/esci/", views.SignOutView.as_view(), name="logout"),
    path("area-personale/password/", views.PasswordChange.as_view(), name="password_change"),
    path(
        "area-personale/password/modificata/",
        views.PasswordChangeDone.as_view(),
        name="password_change_done",
    ),
    path("area-personale/password/recupero/", views.PasswordReset.as_view(), name="password_reset"),
    path(
        "area-personale/password/recupero/inviata/",
        views.PasswordResetDone.as_view(),
        name="password_reset_done",
    ),
    path(
        "area-personale/password/nuova/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "area-personale/password/nuova/fatto/",
        views.PasswordResetComplete.as_view(),
        name="password_reset_complete",
    ),
]
urlpatterns += [
    path("area-personale/registrati/", views.sign_up, name="sign_up"),
    path("area-personale/registrati/inviata/", views.sign_up_done, name="sign_up_done"),
    path("area-personale/registrati/nuovo-link/", views.sign_up_resend, name="sign_up_resend"),
    path(
        "area-personale/registrati/conferma/<str:token>/",
        views.sign_up_confirm,
        name="sign_up_confirm",
    ),
    path("area-personale/informativa/", views.privacy, name="privacy"),
    path("area-personale/adesioni/richiedi/", views.join_request, name="join_request"),
    path(
        "area-personale/adesioni/<int:pk>/approva/",
        views.join_request_approve,
        name="join_request_approve",
    ),
    path(
        "area-personale/adesioni/<int:pk>/rifiuta/",
        views.join_request_refuse,
        name="join_request_refuse",
    ),
]
urlpatterns += [
    path("area-personale/sicurezza/", twofactor_views.security, name="security"),
    path(
        "area-personale/sicurezza/verifica/",
        twofactor_views.second_factor,
        name="second_factor",
    ),
    path(
        "area-personale/sicurezza/attiva/",
        twofactor_views.second_factor_enrol,
        name="second_factor_enrol",
    ),
    path(
        "area-personale/sicurezza/codici-di-recupero/",
        twofactor_views.second_factor_recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path(
        "area-personale/sicurezza/disattiva/",
        twofactor_views.second_factor_disable,
        name="second_factor_disable",
    ),
    path("area-personale/i-miei-dati/", rights_views.my_data, name="my_data"),
    path("area-personale/i-miei-dati/dati.json", rights_views.my_data_json, name="my_data_json"),
    path("area-personale/i-miei-dati/dati.zip", rights_views.my_data_zip, name="my_data_zip"),
    path("area-personale/i-miei-dati/cancella/", rights_views.erase, name="erase"),
    path("area-personale/consensi/dai/", rights_views.consent_give, name="consent_give"),
    path(
        "area-personale/consensi/<int:pk>/revoca/",
        rights_views.consent_withdraw,
        name="consent_withdraw",
    ),
]
