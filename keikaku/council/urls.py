"""URLs of the council and the assembly.

- ``council_public_urlpatterns``: /council/ (namespace "council")
- ``assembly_public_urlpatterns``: /assembly/ (namespace "assembly")
- ``staff_urlpatterns``: /staff/council/… and /staff/assembly/… (in the "staff" namespace)
"""

from django.urls import path

from keikaku.council import views_public as pub
from keikaku.council import views_staff as st

council_public_urlpatterns = [
    path("", pub.council_index, name="index"),
    path("meetings/<int:pk>/", pub.meeting, name="meeting"),
    path("meetings/<int:pk>/minutes/", pub.minutes, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", pub.minutes_file, name="minutes_file"),
    path("meetings/<int:pk>/materials/<int:material_id>/", pub.material, name="material"),
    path("documents/<int:pk>/", pub.document, name="document"),
    path("documents/<int:pk>/file.pdf", pub.document_file, name="document_file"),
    path("recruitments/<int:pk>/", pub.recruitment, name="recruitment"),
    path("recruitments/<int:pk>/apply/", pub.apply, name="apply"),
    path("applications/<str:key>/", pub.receipt, name="receipt"),
]

assembly_public_urlpatterns = [
    path("", pub.assembly_index, name="index"),
    path("bills/<int:pk>/", pub.bill, name="bill"),
    path("reports/<int:pk>/", pub.assembly_report, name="report"),
    path("reports/<int:pk>/materials/<int:material_id>/", pub.assembly_material, name="material"),
]

staff_urlpatterns = [
    path("council/", st.home, name="council_home"),
    path("council/settings/", st.council_settings, name="council_settings"),
    path("council/members/", st.member_list, name="council_members"),
    path("council/members/new/", st.member_edit, name="council_member_new"),
    path("council/members/<int:pk>/", st.member_edit, name="council_member"),
    path("council/members/<int:pk>/delete/", st.member_delete, name="council_member_delete"),
    path("council/recruitments/", st.recruitment_list, name="council_recruitments"),
    path("council/recruitments/new/", st.recruitment_edit, name="council_recruitment_new"),
    path("council/recruitments/<int:pk>/", st.recruitment_edit, name="council_recruitment"),
    path(
        "council/recruitments/<int:pk>/applications/",
        st.application_list,
        name="council_applications",
    ),
    path("council/applications/<int:pk>/", st.application_detail, name="council_application"),
    path(
        "council/applications/<int:pk>/personal/",
        st.application_personal,
        name="council_application_personal",
    ),
    path(
        "council/applications/<int:pk>/appoint/",
        st.application_appoint,
        name="council_application_appoint",
    ),
    path("council/meetings/", st.meeting_list, name="council_meetings"),
    path("council/meetings/new/", st.meeting_edit, name="council_meeting_new"),
    path("council/meetings/<int:pk>/", st.meeting_edit, name="council_meeting"),
    path("council/meetings/<int:pk>/delete/", st.meeting_delete, name="council_meeting_delete"),
    path(
        "council/meetings/<int:pk>/materials/",
        st.meeting_material_add,
        name="council_meeting_material_add",
    ),
    path(
        "council/meetings/<int:pk>/materials/<int:material_id>/remove/",
        st.meeting_material_remove,
        name="council_meeting_material_remove",
    ),
    path(
        "council/meetings/<int:pk>/attendance/",
        st.meeting_attendance,
        name="council_meeting_attendance",
    ),
    path("council/meetings/<int:pk>/minutes/", st.minutes_edit, name="council_minutes"),
    path("council/meetings/<int:pk>/minutes/file/", st.minutes_file, name="council_minutes_file"),
    path(
        "council/meetings/<int:pk>/minutes/approve/",
        st.minutes_approve,
        name="council_minutes_approve",
    ),
    path(
        "council/meetings/<int:pk>/minutes/publish/",
        st.minutes_publish,
        name="council_minutes_publish",
    ),
    path("council/documents/", st.document_list, name="council_documents"),
    path("council/documents/new/", st.document_edit, name="council_document_new"),
    path("council/documents/<int:pk>/", st.document_edit, name="council_document"),
    path("council/documents/<int:pk>/file/", st.document_file, name="council_document_file"),
    path("council/documents/<int:pk>/delete/", st.document_delete, name="council_document_delete"),
    path("assembly/reports/", st.assembly_report_list, name="assembly_reports"),
    path("assembly/reports/new/", st.assembly_report_edit, name="assembly_report_new"),
    path("assembly/reports/<int:pk>/", st.assembly_report_edit, name="assembly_report"),
    path(
        "assembly/reports/<int:pk>/delete/",
        st.assembly_report_delete,
        name="assembly_report_delete",
    ),
    path(
        "assembly/reports/<int:pk>/materials/",
        st.assembly_material_add,
        name="assembly_material_add",
    ),
    path(
        "assembly/reports/<int:pk>/materials/<int:material_id>/remove/",
        st.assembly_material_remove,
        name="assembly_material_remove",
    ),
    path("assembly/bills/", st.bill_list, name="assembly_bills"),
    path("assembly/bills/new/", st.bill_edit, name="assembly_bill_new"),
    path("assembly/bills/<int:pk>/", st.bill_edit, name="assembly_bill"),
    path("assembly/bills/<int:pk>/delete/", st.bill_delete, name="assembly_bill_delete"),
]
