from django.contrib import admin

from keikaku.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "object_type", "object_repr")
    search_fields = ("object_repr", "actor_name")
    list_filter = ("action", "object_type")

    def has_change_permission(self, request, obj=None):  # the audit log is append-only
        return False

    def has_delete_permission(self, request, obj=None):
        return False
