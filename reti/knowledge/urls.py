from django.urls import path

from .views import authoring, catalogue, review, transfers

app_name = "knowledge"
urlpatterns = [
    path("buone-pratiche/", catalogue.practice_list, name="practice_list"),
    path("buone-pratiche/nuova/", authoring.practice_create, name="practice_create"),
    path("buone-pratiche/mie/", authoring.practice_mine, name="practice_mine"),
    path("buone-pratiche/da-validare/", review.review_queue, name="review_queue"),
    path("buone-pratiche/trasferimenti/", catalogue.learning_outcomes, name="outcomes"),
    path("buone-pratiche/<int:pk>/", catalogue.practice_detail, name="practice_detail"),
    path("buone-pratiche/<int:pk>/modifica/", authoring.practice_edit, name="practice_edit"),
    path(
        "buone-pratiche/<int:pk>/risultati-contatti-collegamenti/",
        authoring.practice_parts,
        name="practice_parts",
    ),
    path("buone-pratiche/<int:pk>/invia/", authoring.practice_submit, name="practice_submit"),
    path("buone-pratiche/<int:pk>/valida/", review.practice_validate, name="practice_validate"),
    path("buone-pratiche/<int:pk>/rinvia/", review.practice_send_back, name="practice_send_back"),
    path("buone-pratiche/<int:pk>/pubblica/", review.practice_publish, name="practice_publish"),
    path("buone-pratiche/<int:pk>/archivia/", review.practice_archive, name="practice_archive"),
    path(
        "buone-pratiche/<int:pk>/allegati/", authoring.attachment_upload, name="attachment_upload"
    ),
    path(
        "buone-pratiche/<int:pk>/trasferimenti/nuovo/",
        transfers.transfer_create,
        name="transfer_create",
    ),
    path(
        "buone-pratiche/allegati/<int:pk>/",
        catalogue.attachment_download,
        name="attachment_download",
    ),
    path(
        "buone-pratiche/allegati/<int:pk>/rimuovi/",
        authoring.attachment_remove,
        name="attachment_remove",
    ),
]
