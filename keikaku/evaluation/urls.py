"""URLs: staff pages (namespace "staff", under /staff/evaluation/) and the public results
(namespace "evaluation", /evaluation/). Report files are added by keikaku.reporting.urls."""

from django.urls import path

from keikaku.evaluation import views

staff_urlpatterns = [
    path("evaluation/", views.evaluation_home, name="evaluation_home"),
    path("evaluation/rounds/<int:pk>/", views.evaluation_round, name="evaluation_round"),
    path(
        "evaluation/rounds/<int:pk>/edit/",
        views.evaluation_round_edit,
        name="evaluation_round_edit",
    ),
    path(
        "evaluation/rounds/<int:pk>/sync/",
        views.evaluation_round_sync,
        name="evaluation_round_sync",
    ),
    path(
        "evaluation/rounds/<int:pk>/publish/",
        views.evaluation_round_publish,
        name="evaluation_round_publish",
    ),
    path(
        "evaluation/rounds/<int:pk>/unpublish/",
        views.evaluation_round_unpublish,
        name="evaluation_round_unpublish",
    ),
    path(
        "evaluation/rounds/<int:pk>/measures/<int:sheet_pk>/",
        views.evaluation_measure_sheet,
        name="evaluation_measure_sheet",
    ),
    path(
        "evaluation/rounds/<int:pk>/programmes/<int:sheet_pk>/",
        views.evaluation_programme_sheet,
        name="evaluation_programme_sheet",
    ),
    path(
        "evaluation/rounds/<int:pk>/report-file/",
        views.evaluation_report_file,
        name="evaluation_report_file",
    ),
    path(
        "evaluation/rounds/<int:pk>/report-file/status/",
        views.evaluation_report_file_status,
        name="evaluation_report_file_status",
    ),
    path(
        "evaluation/rounds/<int:pk>/report-file/<int:file_pk>/download/",
        views.evaluation_report_file_download,
        name="evaluation_report_file_download",
    ),
    path("evaluation/rounds/<int:pk>/upload/", views.evaluation_upload, name="evaluation_upload"),
    path(
        "evaluation/rounds/<int:pk>/upload/template.xlsx",
        views.evaluation_upload_template,
        name="evaluation_upload_template",
    ),
    path("evaluation/rounds/<int:pk>/grid/", views.evaluation_grid, name="evaluation_grid"),
    path("evaluation/carry-over/", views.evaluation_carry_over, name="evaluation_carry_over"),
    path(
        "evaluation/editions/<int:edition_pk>/comparison/",
        views.evaluation_comparison,
        name="evaluation_comparison",
    ),
    path(
        "evaluation/editions/<int:edition_pk>/comparison/export.<str:fmt>",
        views.evaluation_comparison_download,
        name="evaluation_comparison_download",
    ),
]

public_urlpatterns = [
    path("", views.public_index, name="index"),
    path("<int:fiscal_year>/", views.public_round, name="round"),
    path("<int:fiscal_year>/measures/<str:code>/", views.public_measure, name="measure"),
    path("<int:fiscal_year>/strategies/<int:number>/", views.public_strategy, name="strategy"),
]
