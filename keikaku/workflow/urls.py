"""URLs of the formulation. `staff_urlpatterns` go under /staff/ (namespace "staff")."""

from django.urls import path

from keikaku.workflow.views import dashboard, organisation, schedule, sections

staff_urlpatterns = [
    path("workflow/", dashboard.dashboard, name="workflow_dashboard"),
    path("workflow/comments/", dashboard.comments, name="workflow_comments"),
    path("workflow/inbox/", dashboard.inbox, name="workflow_inbox"),
    path("workflow/inbox/read/", dashboard.inbox_read, name="workflow_inbox_read"),
    path("workflow/sections/", sections.section_list, name="workflow_sections"),
    path("workflow/sections/bulk/", sections.section_bulk, name="workflow_sections_bulk"),
    path("workflow/sections/<int:pk>/", sections.section_detail, name="workflow_section"),
    path(
        "workflow/sections/<int:pk>/transition/",
        sections.section_transition,
        name="workflow_section_transition",
    ),
    path("workflow/sections/<int:pk>/comments/", sections.comment_add, name="workflow_comment_add"),
    path(
        "workflow/sections/<int:pk>/versions/<int:number>/",
        sections.version_detail,
        name="workflow_version",
    ),
    path("workflow/sections/<int:pk>/compare/", sections.version_compare, name="workflow_compare"),
    path(
        "workflow/comments/<int:pk>/reply/", sections.comment_reply, name="workflow_comment_reply"
    ),
    path(
        "workflow/comments/<int:pk>/resolve/",
        sections.comment_resolve,
        name="workflow_comment_resolve",
    ),
    path("workflow/organisation/", organisation.organisation, name="workflow_organisation"),
    path(
        "workflow/formulations/new/",
        organisation.formulation_create,
        name="workflow_formulation_create",
    ),
    path(
        "workflow/formulations/<int:pk>/",
        organisation.formulation_edit,
        name="workflow_formulation_edit",
    ),
    path(
        "workflow/formulations/<int:pk>/sync/",
        organisation.sections_sync,
        name="workflow_sections_sync",
    ),
    path("workflow/bodies/new/", organisation.body_create, name="workflow_body_create"),
    path("workflow/bodies/<int:pk>/", organisation.body_edit, name="workflow_body_edit"),
    path("workflow/bodies/<int:pk>/delete/", organisation.body_delete, name="workflow_body_delete"),
    path(
        "workflow/bodies/<int:pk>/members/",
        organisation.membership_add,
        name="workflow_membership_add",
    ),
    path(
        "workflow/memberships/<int:pk>/delete/",
        organisation.membership_remove,
        name="workflow_membership_remove",
    ),
    path("workflow/schedule/", schedule.schedule, name="workflow_schedule"),
    path("workflow/schedule/phases/new/", schedule.phase_create, name="workflow_phase_create"),
    path("workflow/schedule/phases/<int:pk>/", schedule.phase_edit, name="workflow_phase_edit"),
    path(
        "workflow/schedule/phases/<int:pk>/delete/",
        schedule.phase_delete,
        name="workflow_phase_delete",
    ),
    path("workflow/schedule/tasks/new/", schedule.task_create, name="workflow_task_create"),
    path("workflow/schedule/tasks/<int:pk>/", schedule.task_edit, name="workflow_task_edit"),
    path(
        "workflow/schedule/tasks/<int:pk>/delete/",
        schedule.task_delete,
        name="workflow_task_delete",
    ),
    path(
        "workflow/schedule/tasks/<int:pk>/status/",
        schedule.task_status,
        name="workflow_task_status",
    ),
]
