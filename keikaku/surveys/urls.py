"""URLs of the citizen survey: staff pages (included in config.urls' staff_patterns, namespace
"staff") and the public answering and summary pages under /survey/ (namespace "survey")."""

from django.urls import path

from keikaku.surveys import views_public, views_staff

staff_urlpatterns = [
    path("surveys/", views_staff.wave_list, name="survey_list"),
    path("surveys/new/", views_staff.wave_create, name="survey_create"),
    path("surveys/<int:pk>/", views_staff.wave_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", views_staff.wave_edit, name="survey_edit"),
    path("surveys/<int:pk>/status/", views_staff.wave_status, name="survey_status"),
    path("surveys/<int:pk>/generate/", views_staff.wave_generate, name="survey_generate"),
    path("surveys/<int:pk>/copy/", views_staff.wave_copy, name="survey_copy"),
    path("surveys/<int:pk>/sections/new/", views_staff.section_edit, name="survey_section_create"),
    path(
        "surveys/<int:pk>/sections/<int:section_pk>/",
        views_staff.section_edit,
        name="survey_section_edit",
    ),
    path(
        "surveys/<int:pk>/sections/<int:section_pk>/delete/",
        views_staff.section_delete,
        name="survey_section_delete",
    ),
    path(
        "surveys/<int:pk>/questions/new/", views_staff.question_edit, name="survey_question_create"
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/",
        views_staff.question_edit,
        name="survey_question_edit",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        views_staff.question_delete,
        name="survey_question_delete",
    ),
    path("surveys/<int:pk>/preview/", views_staff.preview, name="survey_preview_start"),
    path("surveys/<int:pk>/preview/<int:number>/", views_staff.preview, name="survey_preview"),
    path("surveys/<int:pk>/codes/", views_staff.codes, name="survey_codes"),
    path("surveys/<int:pk>/codes.csv", views_staff.codes_csv, name="survey_codes_csv"),
    path("surveys/<int:pk>/entry/", views_staff.entry, name="survey_entry"),
    path("surveys/<int:pk>/import/", views_staff.import_responses, name="survey_import"),
    path(
        "surveys/<int:pk>/import/template.csv",
        views_staff.import_template,
        name="survey_import_template",
    ),
    path("surveys/<int:pk>/responses/", views_staff.responses, name="survey_responses"),
    path(
        "surveys/<int:pk>/responses/<int:response_pk>/delete/",
        views_staff.response_delete,
        name="survey_response_delete",
    ),
    path("surveys/<int:pk>/responses.csv", views_staff.responses_csv, name="survey_responses_csv"),
    path("surveys/<int:pk>/results/", views_staff.results, name="survey_results"),
    path("surveys/<int:pk>/report.xlsx", views_staff.report_xlsx, name="survey_report_xlsx"),
    path("surveys/<int:pk>/report.pdf", views_staff.report_pdf, name="survey_report_pdf"),
    path("surveys/<int:pk>/indicators/", views_staff.indicators, name="survey_indicators"),
]

app_name = "survey"

urlpatterns = [
    path("", views_public.code_entry, name="entry"),
    path("answer/<int:number>/", views_public.page, name="page"),
    path("answer/confirm/", views_public.confirm, name="confirm"),
    path("answer/submit/", views_public.submit, name="submit"),
    path("answer/done/", views_public.done, name="done"),
    path("results/", views_public.results_index, name="results_index"),
    path("results/<int:pk>/", views_public.results, name="results"),
]
