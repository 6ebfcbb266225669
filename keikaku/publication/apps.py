from django.apps import AppConfig


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.publication"
    label = "publication"
    verbose_name = "公開サイト"

    def ready(self) -> None:
        from keikaku.core.signals import public_content_changed
        from keikaku.publication import integrations, tasks

        integrations.load()
        # After a publish, make the plan documents in the background (see tasks.py).
        public_content_changed.connect(
            tasks.plan_documents_request, dispatch_uid="publication.plan_documents_request"
        )
