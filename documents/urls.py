from django.urls import path

from documents.views import attachments, letters

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
]
