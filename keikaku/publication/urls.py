"""Public URLs (namespace "public") and the staff pages of the public site
(``staff_urlpatterns``, joined to the "staff" namespace under /staff/)."""

from django.urls import path, re_path

from keikaku.publication import staff, views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("plan/", views.plan, name="plan"),
    path("plan/areas/<int:number>/", views.area, name="area"),
    path("plan/measures/<str:code>/", views.measure, name="measure"),
    path("plan/strategies/<int:number>/", views.strategy, name="strategy"),
    path("plan/documents/", views.documents, name="documents"),
    re_path(
        r"^plan/documents/(?P<name>plan|summary)\.(?P<fmt>pdf|docx)$",
        views.document_file,
        name="document_file",
    ),
    path("take-part/", views.participate, name="participate"),
    path("search/", views.search, name="search"),
    path("open-data/", views.data_catalogue, name="data"),
    re_path(r"^open-data/(?P<key>[a-z0-9-]+)\.csv$", views.dataset_csv, name="dataset_csv"),
    path("accessibility/", views.accessibility, name="accessibility"),
]

staff_urlpatterns = [
    path("publication/", staff.home, name="publication_home"),
    path("publication/furigana/", staff.furigana_list, name="publication_furigana"),
    path(
        "publication/furigana/<int:pk>/delete/",
        staff.furigana_delete,
        name="publication_furigana_delete",
    ),
    path("publication/rebuild/", staff.rebuild, name="publication_rebuild"),
]
