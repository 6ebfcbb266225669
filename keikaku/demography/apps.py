from django.apps import AppConfig


class DemographyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.demography"
    label = "demography"
