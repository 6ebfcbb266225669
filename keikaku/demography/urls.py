"""URLs: staff pages (namespace "staff", under /staff/population/) and the public page
(namespace "population", /population/)."""

from django.urls import path

from keikaku.demography import views

staff_urlpatterns = [
    path("population/", views.population_home, name="population_home"),
    path("population/import/census/", views.census_import, name="population_census_import"),
    path(
        "population/import/assumptions/",
        views.assumption_import,
        name="population_assumption_import",
    ),
    path("population/census/<int:pk>/", views.census_detail, name="population_census"),
    path(
        "population/assumptions/<int:pk>/", views.assumption_detail, name="population_assumptions"
    ),
    path("population/scenarios/new/", views.scenario_edit, name="population_scenario_new"),
    path("population/scenarios/<int:pk>/", views.scenario_edit, name="population_scenario"),
    path(
        "population/scenarios/<int:pk>/delete/",
        views.scenario_delete,
        name="population_scenario_delete",
    ),
    path("population/runs/new/", views.run_create, name="population_run_new"),
    path("population/runs/<int:pk>/", views.run_detail, name="population_run"),
    path("population/runs/<int:pk>/pyramid/", views.run_pyramid, name="population_run_pyramid"),
    path("population/runs/<int:pk>/export.xlsx", views.run_export, name="population_run_export"),
    path("population/outlook/", views.outlook_edit, name="population_outlook"),
    path("population/outlook/publish/", views.outlook_publish, name="population_outlook_publish"),
    path(
        "population/outlook/unpublish/",
        views.outlook_unpublish,
        name="population_outlook_unpublish",
    ),
]

public_urlpatterns = [
    path("", views.public_outlook, name="outlook"),
]
