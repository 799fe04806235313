from django.urls import path

from .views import committees, evaluation, public

app_name = "grids"
urlpatterns = [
    path("griglie/", public.grid_list, name="grid_list"),
    path("griglie/valutazioni/", evaluation.my_assignments, name="my_assignments"),
    path("griglie/valutazioni/<int:pk>/dichiarazione/", evaluation.declare, name="declare"),
    path("griglie/valutazioni/<int:pk>/", evaluation.score, name="score"),
    path("griglie/schede/<int:pk>/", evaluation.assessment_sheet, name="assessment_sheet"),
    path(
        "griglie/schede/<int:pk>/riapri/",
        evaluation.assessment_reopen,
        name="assessment_reopen",
    ),
    path(
        "griglie/schede/<int:pk>/riproietta/",
        evaluation.assessment_reproject,
        name="assessment_reproject",
    ),
    path("griglie/commissioni/<int:pk>/", committees.committee_detail, name="committee_detail"),
    path(
        "griglie/commissioni/<int:pk>/graduatoria/",
        committees.committee_ranking,
        name="committee_ranking",
    ),
    path(
        "griglie/commissioni/<int:pk>/pubblica/",
        committees.committee_publish,
        name="committee_publish",
    ),
    path(
        "griglie/commissioni/<int:pk>/assegna/",
        committees.committee_assign_balanced,
        name="committee_assign_balanced",
    ),
    path(
        "griglie/commissioni/<int:pk>/soggetti/<int:subject_pk>/assegna/",
        committees.committee_assign,
        name="committee_assign",
    ),
    path(
        "griglie/commissioni/<int:pk>/soggetti/<int:subject_pk>/consenso/",
        committees.committee_consensus,
        name="committee_consensus",
    ),
    path("griglie/<slug:code>/<int:version>/", public.grid_detail, name="grid_detail"),
]
