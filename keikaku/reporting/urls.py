"""Report download URLs. ``staff_urlpatterns`` join the "staff" namespace (/staff/…);
``evaluation_public_urlpatterns`` join the public "evaluation" namespace (/evaluation/…)."""

from django.urls import re_path

from keikaku.reporting import views

staff_urlpatterns = [
    re_path(
        r"^evaluation/rounds/(?P<pk>\d+)/report\.(?P<fmt>pdf|xlsx)$",
        views.staff_report,
        name="evaluation_report",
    ),
    re_path(
        r"^evaluation/editions/(?P<edition_pk>\d+)/comparison\.(?P<fmt>xlsx|csv)$",
        views.staff_comparison,
        name="evaluation_comparison_export",
    ),
]

evaluation_public_urlpatterns = [
    re_path(
        r"^(?P<fiscal_year>\d{4})/report\.(?P<fmt>pdf|xlsx)$",
        views.public_report,
        name="report",
    ),
]

__all__ = ["evaluation_public_urlpatterns", "staff_urlpatterns"]
