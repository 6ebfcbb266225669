"""Staff URLs of the opinion analysis (namespace "staff", under /staff/analysis/)."""

from django.urls import path

from keikaku.analysis import views

staff_urlpatterns = [
    path("analysis/", views.analysis_home, name="analysis_home"),
    path("analysis/runs/new/", views.run_new, name="analysis_run_new"),
    path("analysis/runs/<int:pk>/", views.run_detail, name="analysis_run"),
    path("analysis/runs/<int:pk>/status/", views.run_status, name="analysis_run_status"),
    path("analysis/runs/<int:pk>/rerun/", views.run_rerun, name="analysis_run_rerun"),
    path("analysis/runs/<int:pk>/delete/", views.run_delete, name="analysis_run_delete"),
    path(
        "analysis/runs/<int:pk>/measures/<str:code>/",
        views.measure_opinions,
        name="analysis_measure",
    ),
    path(
        "analysis/runs/<int:pk>/opinions/<int:opinion_pk>/decide/",
        views.opinion_decide,
        name="analysis_decide",
    ),
    path(
        "analysis/runs/<int:pk>/keywords-of/<int:measure_pk>/",
        views.measure_keywords,
        name="analysis_measure_keywords",
    ),
    path("analysis/runs/<int:pk>/topics/", views.topics, name="analysis_topics"),
    path("analysis/runs/<int:pk>/network/", views.network, name="analysis_network"),
    path("analysis/runs/<int:pk>/keywords/", views.keywords, name="analysis_keywords"),
    path("analysis/runs/<int:pk>/groups/", views.groups, name="analysis_groups"),
    path("analysis/runs/<int:pk>/groups/decide/", views.group_decide, name="analysis_group_decide"),
    path("analysis/runs/<int:pk>/export.xlsx", views.export_xlsx, name="analysis_export"),
    path("analysis/runs/<int:pk>/result.json", views.export_json, name="analysis_result_json"),
    path("analysis/lexicon/<str:kind>/", views.lexicon, name="analysis_lexicon"),
    path(
        "analysis/lexicon/<str:kind>/<int:entry_pk>/delete/",
        views.lexicon_delete,
        name="analysis_lexicon_delete",
    ),
]
