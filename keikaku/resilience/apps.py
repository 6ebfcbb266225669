from django.apps import AppConfig


class ResilienceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.resilience"
    label = "resilience"
