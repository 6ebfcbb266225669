from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.core"
    label = "core"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from keikaku.core.domain import i18n

        i18n.install(gettext)
