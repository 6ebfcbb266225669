"""URLs: public site at /, staff back office at /staff/, Django admin at /admin/ (superusers)."""

from django.contrib import admin
from django.urls import include, path

from keikaku.accounts.urls import staff_urlpatterns as accounts_staff
from keikaku.analysis.urls import staff_urlpatterns as analysis_staff
from keikaku.council.urls import assembly_public_urlpatterns as assembly_public
from keikaku.council.urls import council_public_urlpatterns as council_public
from keikaku.council.urls import staff_urlpatterns as council_staff
from keikaku.demography.urls import public_urlpatterns as population_public
from keikaku.demography.urls import staff_urlpatterns as population_staff
from keikaku.evaluation.urls import public_urlpatterns as evaluation_public
from keikaku.evaluation.urls import staff_urlpatterns as evaluation_staff
from keikaku.participation.urls import staff_urlpatterns as participation_staff
from keikaku.plans.urls import staff_urlpatterns as plans_staff
from keikaku.publication.api import api as open_data_api
from keikaku.publication.urls import staff_urlpatterns as publication_staff
from keikaku.reporting.urls import evaluation_public_urlpatterns as evaluation_reports_public
from keikaku.reporting.urls import staff_urlpatterns as reporting_staff
from keikaku.resilience.urls import public_urlpatterns as resilience_public
from keikaku.resilience.urls import sectoral_public_urlpatterns as sectoral_public
from keikaku.resilience.urls import staff_urlpatterns as resilience_staff
from keikaku.surveys.urls import staff_urlpatterns as surveys_staff
from keikaku.workflow.urls import staff_urlpatterns as workflow_staff

staff_patterns = [*accounts_staff, *plans_staff]
staff_patterns += participation_staff
staff_patterns += surveys_staff
staff_patterns += workflow_staff
staff_patterns += population_staff
staff_patterns += resilience_staff
staff_patterns += evaluation_staff
staff_patterns += reporting_staff
staff_patterns += analysis_staff
staff_patterns += publication_staff
staff_patterns += council_staff

urlpatterns = [
    path("staff/", include((staff_patterns, "staff"))),
    path("admin/", admin.site.urls),
    path("api/v1/", open_data_api.urls),
    path("participation/", include("keikaku.participation.urls", namespace="participation")),
    path("survey/", include("keikaku.surveys.urls", namespace="survey")),
    path("population/", include((population_public, "population"))),
    path("evaluation/", include(([*evaluation_public, *evaluation_reports_public], "evaluation"))),
    path("progress/", include("keikaku.workflow.urls_public")),
    path("resilience/", include((resilience_public, "resilience"))),
    path("sectoral-plans/", include((sectoral_public, "sectoral"))),
    path("council/", include((council_public, "council"))),
    path("assembly/", include((assembly_public, "assembly"))),
    path("", include("keikaku.publication.urls")),
]

handler404 = "keikaku.publication.views.page_not_found"
handler500 = "keikaku.publication.views.server_error"
handler403 = "keikaku.publication.views.permission_denied"
handler400 = "keikaku.publication.views.bad_request"
