from django.urls import path

from documents.views import attachments, letters, personal_data

app_name = "documents"
urlpatterns = [
    # Letters: choose a template, preview, issue, download; batches for an incident.
    path("cases/<int:case_pk>/letters/", letters.letter_list, name="letter_list"),
    path("cases/<int:case_pk>/letters/new/", letters.letter_create, name="letter_create"),
    path("letters/<int:pk>/pdf/", letters.letter_pdf, name="letter_pdf"),
    path("letters/<int:pk>/correct/", letters.letter_correct, name="letter_correct"),
    path("letters/<int:pk>/dispatch/", letters.letter_dispatch, name="letter_dispatch"),
    path("incidents/<int:incident_pk>/letters/", letters.batch_create, name="batch_create"),
    path(
        "incidents/<int:incident_pk>/letters/cases/<int:case_pk>/fix/",
        letters.batch_fix,
        name="batch_fix",
    ),
    path("batches/<str:batch_id>/", letters.batch_detail, name="batch_detail"),
    path("batches/<str:batch_id>/pdf/", letters.batch_pdf, name="batch_pdf"),
    # Attachments: upload to a client or a case, list, download through an access check.
    path(
        "clients/<int:client_pk>/attachments/",
        attachments.client_attachments,
        name="client_attachments",
    ),
    path("cases/<int:case_pk>/attachments/", attachments.case_attachments, name="case_attachments"),
    path(
        "attachments/<int:pk>/download/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    # A person's data on request: export, erasure, and the review of closed cases.
    path(
        "clients/<int:client_pk>/export.pdf",
        personal_data.client_export_pdf,
        name="client_export_pdf",
    ),
    path(
        "clients/<int:client_pk>/export.zip",
        personal_data.client_export_zip,
        name="client_export_zip",
    ),
    path("clients/<int:client_pk>/erase/", personal_data.client_erase, name="client_erase"),
    path("clients/retention/", personal_data.retention_review, name="retention_review"),
]
