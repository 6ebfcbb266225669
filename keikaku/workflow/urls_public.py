"""The public progress page at /progress/ (namespace "progress")."""

from django.urls import path

from keikaku.workflow.views import public

app_name = "progress"

urlpatterns = [
    path("", public.progress, name="index"),
]
