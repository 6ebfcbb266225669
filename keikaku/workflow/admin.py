"""Django admin (superusers only) for the formulation; staff work in /staff/workflow/."""

from django.contrib import admin

from keikaku.workflow.models import (
    Body,
    Formulation,
    Membership,
    Notification,
    Phase,
    ReviewComment,
    Section,
    SectionTransition,
    SectionVersion,
    Task,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "formulation", "order")
    list_filter = ("kind", "formulation")
    inlines = (MembershipInline,)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "state", "version", "state_changed_at")
    list_filter = ("formulation", "kind", "state")
    readonly_fields = ("version",)


@admin.register(SectionTransition)
class SectionTransitionAdmin(admin.ModelAdmin):
    list_display = ("section", "action", "from_state", "to_state", "actor_name", "at")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):  # history is not edited
        return False


admin.site.register(Formulation)
admin.site.register(SectionVersion)
admin.site.register(ReviewComment)
admin.site.register(Notification)
admin.site.register(Phase)
admin.site.register(Task)
