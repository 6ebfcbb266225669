from django.urls import path

from keikaku.plans import views

staff_urlpatterns = [
    path("", views.staff_home, name="home"),
    path("plan/<slug:slug>/", views.entity_list, name="entity_list"),
    path("plan/<slug:slug>/new/", views.entity_create, name="entity_create"),
    path("plan/<slug:slug>/<int:pk>/", views.entity_edit, name="entity_edit"),
    path("plan/<slug:slug>/<int:pk>/delete/", views.entity_delete, name="entity_delete"),
    path("plan/<slug:slug>/<int:pk>/history/", views.entity_history, name="entity_history"),
    path("plan/editions/<int:pk>/publish/", views.edition_publish, name="edition_publish"),
    path("plan/editions/<int:pk>/unpublish/", views.edition_unpublish, name="edition_unpublish"),
    path("plan/measures/<int:pk>/publish/", views.measure_publish, name="measure_publish"),
]

from keikaku.plans import views_io  # noqa: E402

staff_urlpatterns += [
    path("data/plan/", views_io.plan_import, name="plan_import"),
    path("data/plan/export.<str:fmt>", views_io.plan_export, name="plan_export"),
    path("audit/", views.audit_log, name="audit_log"),
]
