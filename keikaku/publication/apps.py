from django.apps import AppConfig


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.publication"
    label = "publication"
    verbose_name = "公開サイト"

    def ready(self) -> None:
        from keikaku.publication import integrations

        integrations.load()
