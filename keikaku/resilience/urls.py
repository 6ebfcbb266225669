"""URLs: staff pages (namespace "staff", under /staff/resilience/) and the public pages
(/resilience/ in namespace "resilience", /sectoral-plans/ in namespace "sectoral")."""

from django.urls import path

from keikaku.resilience import views_public as public
from keikaku.resilience import views_staff as staff

staff_urlpatterns = [
    path("resilience/", staff.home, name="resilience_home"),
    path("resilience/catalogues/", staff.catalogue_list, name="resilience_catalogues"),
    path("resilience/catalogues/<int:pk>/", staff.catalogue_detail, name="resilience_catalogue"),
    path("resilience/plans/new/", staff.regional_plan_edit, name="resilience_plan_new"),
    path("resilience/plans/<int:pk>/", staff.regional_plan_edit, name="resilience_plan"),
    path(
        "resilience/plans/<int:plan_pk>/scenarios/new/",
        staff.scenario_edit,
        name="resilience_scenario_new",
    ),
    path(
        "resilience/plans/<int:plan_pk>/scenarios/<int:pk>/",
        staff.scenario_edit,
        name="resilience_scenario",
    ),
    path("resilience/kpis/<int:pk>/delete/", staff.kpi_delete, name="resilience_kpi_delete"),
    path(
        "resilience/plans/<int:plan_pk>/action-plans/new/",
        staff.action_plan_create,
        name="resilience_action_plan_new",
    ),
    path(
        "resilience/action-plans/<int:pk>/",
        staff.action_plan_detail,
        name="resilience_action_plan",
    ),
    path(
        "resilience/action-plans/<int:plan_pk>/entries/new/",
        staff.entry_edit,
        name="resilience_entry_new",
    ),
    path(
        "resilience/action-plans/<int:plan_pk>/entries/<int:pk>/",
        staff.entry_edit,
        name="resilience_entry",
    ),
    path(
        "resilience/action-plans/<int:plan_pk>/entries/<int:pk>/delete/",
        staff.entry_delete,
        name="resilience_entry_delete",
    ),
    path(
        "resilience/action-plans/<int:pk>/copy/",
        staff.action_plan_copy,
        name="resilience_action_plan_copy",
    ),
    path("resilience/action-plans/<int:pk>/budget/", staff.budget_view, name="resilience_budget"),
    path(
        "resilience/action-plans/<int:pk>/export.<str:fmt>",
        staff.action_plan_export,
        name="resilience_action_plan_export",
    ),
    path(
        "resilience/action-plans/<int:pk>/publish/",
        staff.action_plan_publish,
        name="resilience_action_plan_publish",
    ),
    path("resilience/action-plans/<int:pk>/map/", staff.site_map, name="resilience_map"),
    path(
        "resilience/action-plans/<int:pk>/sites.geojson",
        staff.sites_geojson,
        name="resilience_sites_geojson",
    ),
    path("resilience/sites/<int:pk>/", staff.site_edit, name="resilience_site"),
    path("resilience/frameworks/", staff.framework_list, name="resilience_frameworks"),
    path("resilience/local-strategy/", staff.local_strategy, name="resilience_local_strategy"),
    path(
        "resilience/local-strategy/export.<str:fmt>",
        staff.local_strategy_export,
        name="resilience_local_strategy_export",
    ),
    path("sectoral-plans/", staff.sectoral_list, name="resilience_sectoral"),
    path("sectoral-plans/new/", staff.sectoral_edit, name="resilience_sectoral_new"),
    path("sectoral-plans/<int:pk>/", staff.sectoral_edit, name="resilience_sectoral_edit"),
    path("sectoral-plans/publish/", staff.sectoral_publish, name="resilience_sectoral_publish"),
    path("sectoral-plans/consistency/", staff.consistency, name="resilience_consistency"),
]

public_urlpatterns = [
    path("", public.site_map, name="map"),
    path("sites.geojson", public.sites_geojson, name="sites_geojson"),
]

sectoral_public_urlpatterns = [
    path("", public.sectoral_plans, name="list"),
]
