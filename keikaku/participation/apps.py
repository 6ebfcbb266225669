from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.participation"
    label = "participation"
