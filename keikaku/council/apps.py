from django.apps import AppConfig


class CouncilConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.council"
    label = "council"
