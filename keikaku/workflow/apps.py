from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "keikaku.workflow"
    label = "workflow"
    verbose_name = "計画の策定"

    def ready(self) -> None:
        from keikaku.accounts.roles import register_role_provider
        from keikaku.plans.rules import register_object_policy
        from keikaku.workflow import rules

        register_object_policy(rules.plan_object_policy)
        register_role_provider(rules.global_role_names)
