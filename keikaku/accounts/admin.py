from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from keikaku.accounts.models import Department, User


def _superusers_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


# The Django admin is for superusers only; staff work in /staff/.
admin.site.has_permission = _superusers_only  # type: ignore[method-assign]
admin.site.site_header = _("Keikaku 管理（システム管理者用）")
admin.site.site_title = _("Keikaku 管理")

admin.site.register(User, UserAdmin)
admin.site.register(Department)
