"""Intake, the client list with search across scripts, and the client page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clients.access import (
    get_client_for,
    get_client_to_add_to,
    get_document_for,
    get_permit_for,
    get_registration_for,
)
from clients.editing import form_response, save_or_conflict
from clients.forms import (
    ClientForm,
    IdentityDocumentForm,
    IntakeForm,
    RegistrationForm,
    ResidencePermitForm,
)
from clients.models import (
    Client,
    Country,
    IdentityDocument,
    Registration,
    ResidencePermit,
    name_matches,
)
from clients.services import record_document, save_document, save_permit
from clients.sorting import Sorting

PAGE_SIZE = 25
# By name the list walks the client_name_order index and stops after one page.
CLIENT_COLUMNS = {
    "name": ("last_name", "first_name"),
    "registered": ("created_at",),
}


def client_sorting() -> Sorting:
    """Citizenship sorts by the country's name as the user reads it."""
    country = "nationality__name_en" if get_language() == "en" else "nationality__name_ru"
    return Sorting(
        CLIENT_COLUMNS | {"citizenship": (country, "last_name", "first_name")},
        default="name",
        nullable=frozenset({country}),
    )


def unindexed(ordering) -> list:
    """The same order by name, written so that PostgreSQL cannot walk client_name_order for
    it. With a search, walking the names in order and filtering each row looks cheap to the
    planner (it expects a match every few rows under LIMIT) and reads the whole index when
    the name is rare; the matches, found by the trigram index and then sorted, are few."""
    result = []
    for item in ordering:
        name = item.lstrip("-") if isinstance(item, str) else None
        if name in ("last_name", "first_name"):
            result.append(Lower(name).desc() if item.startswith("-") else Lower(name).asc())
        else:
            result.append(item)
    return result


def search_clients(queryset: QuerySet, q: str) -> QuerySet:
    """Any spelling in either script: every folded query token must occur in the folded key
    (a trigram index answers that on PostgreSQL). Names have no digits, document numbers do:
    a query with a digit looks for the document number instead."""
    q = q.strip()
    ordering = unindexed(queryset.query.order_by or Client._meta.ordering)
    if any(char.isdigit() for char in q):
        documents = IdentityDocument.objects.filter(client=OuterRef("pk"), number__iexact=q)
        return queryset.filter(Exists(documents)).order_by(*ordering)
    return queryset.filter(name_matches(q)).order_by(*ordering)


@require_GET
@permission_required("clients.view_client", raise_exception=True)
def client_list(request: HttpRequest) -> HttpResponse:
    clients = (
        Client.objects.visible_to(request.user).active().select_related("nationality", "office")
    )
    q = request.GET.get("q", "").strip()
    clients = search_clients(clients, q)
    nationality = request.GET.get("nationality", "")
    if nationality:
        clients = clients.filter(nationality__code=nationality)
    office = request.GET.get("office", "")
    if office.isdigit():
        clients = clients.filter(office_id=int(office))
    permit_status = request.GET.get("permit_status", "")
    if permit_status in ResidencePermit.Status.values:
        clients = clients.filter(
            Exists(
                ResidencePermit.objects.active().filter(client=OuterRef("pk"), status=permit_status)
            )
        )
    open_case = request.GET.get("open_case", "")
    if open_case in ("yes", "no"):
        has_open = Q(cases__status="open", cases__archived_at__isnull=True)
        with_open = Client.objects.filter(has_open).values("pk")
        clients = (
            clients.filter(pk__in=with_open)
            if open_case == "yes"
            else clients.exclude(pk__in=with_open)
        )
    sort = client_sorting().choose(request.GET.get("sort"))
    ordering = unindexed(sort.ordering) if q else sort.ordering
    page = Paginator(clients.order_by(*ordering), PAGE_SIZE).get_page(request.GET.get("page"))
    # Offices are casework's; reach the model through the relation, not an import.
    office_model = Client._meta.get_field("office").related_model
    can_see_all = request.user.has_perm("clients.view_all_clients")
    context = {
        "page": page,
        "sort": sort,
        "q": q,
        "nationality": nationality,
        "office": office,
        "permit_status": permit_status,
        "open_case": open_case,
        "countries": Country.objects.filter(is_active=True).only("code", "name_ru", "name_en"),
        "offices": office_model.objects.filter(is_active=True).only("pk", "name")
        if can_see_all
        else [],
        "permit_statuses": ResidencePermit.Status.choices,
    }
    return render(request, "clients/client_list.html", context)


@require_http_methods(["GET", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    """Intake. Before a new person is saved, people with a similar name in either script or
    the same document number are shown, and the user confirms this is someone else."""
    if not request.user.has_perm("clients.add_client"):
        raise PermissionDenied
    if request.user.office_id is None:
        messages.error(request, _("You have no office; ask an administrator to assign one."))
        return redirect("home")
    form = IntakeForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            Client.objects.visible_to(request.user)
            .active()
            .similar_to(
                last_name=data["last_name"],
                first_name=data["first_name"],
                last_name_latin=data["last_name_latin"],
                first_name_latin=data["first_name_latin"],
                document_number=data["passport_number"],
            )
            .select_related("nationality", "office")[:10]
        )
        if not duplicates or data["not_a_duplicate"]:
            client = form.save(commit=False)
            client.office_id = request.user.office_id
            client.created_by = request.user
            client.save()
            if data["passport_number"] and data["nationality"]:
                record_document(
                    client=client,
                    number=data["passport_number"],
                    issuing_country=data["nationality"],
                )
            messages.success(request, _("Client %(name)s registered.") % {"name": client.full_name})
            return redirect(client)
    if request.method == "GET":
        status = 200
    else:  # invalid input, or possible duplicates to confirm
        status = 409 if duplicates else 400
    return render(
        request, "clients/client_form.html", {"form": form, "duplicates": duplicates}, status=status
    )


@require_GET
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_client_for(request.user, pk)
    context = {
        "client": client,
        "documents": IdentityDocument.objects.active()
        .filter(client=client)
        .select_related("issuing_country", "held_by"),
        "permits": ResidencePermit.objects.active()
        .filter(client=client)
        .select_related("kind", "issued_by"),
        "registrations": Registration.objects.active()
        .filter(client=client)
        .select_related("country"),
    }
    return render(request, "clients/client_detail.html", context)


def _edit(
    request: HttpRequest, *, client: Client, form, title: str, section: str, save=None
) -> HttpResponse:
    cancel_url = f"{client.get_absolute_url()}#{section}"
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(request, form, title=title, cancel_url=cancel_url, save=save)
        if conflict:
            return conflict
        messages.success(request, _("Saved."))
        return redirect(cancel_url)
    status = 400 if request.method == "POST" else 200
    return form_response(request, form=form, title=title, cancel_url=cancel_url, status=status)


@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_client_for(request.user, pk, write=True)
    form = ClientForm(request.POST or None, instance=client)
    return _edit(request, client=client, form=form, title=_("Edit client"), section="person")


@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_client_to_add_to(request.user, pk, IdentityDocument)
    form = IdentityDocumentForm(request.POST or None, instance=IdentityDocument(client=client))
    return _edit(
        request,
        client=client,
        form=form,
        title=_("New identity document"),
        section="documents",
        save=save_document,
    )


@require_http_methods(["GET", "POST"])
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for(request.user, pk, write=True)
    form = IdentityDocumentForm(request.POST or None, instance=document)
    return _edit(
        request,
        client=document.client,
        form=form,
        title=_("Edit identity document"),
        section="documents",
        save=save_document,
    )


@require_http_methods(["GET", "POST"])
def permit_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_client_to_add_to(request.user, pk, ResidencePermit)
    form = ResidencePermitForm(request.POST or None, instance=ResidencePermit(client=client))
    return _edit(
        request,
        client=client,
        form=form,
        title=_("New permit"),
        section="permits",
        save=save_permit,
    )


@require_http_methods(["GET", "POST"])
def permit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    permit = get_permit_for(request.user, pk, write=True)
    form = ResidencePermitForm(request.POST or None, instance=permit)
    return _edit(
        request,
        client=permit.client,
        form=form,
        title=_("Edit permit"),
        section="permits",
        save=save_permit,
    )


@require_http_methods(["GET", "POST"])
def registration_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_client_to_add_to(request.user, pk, Registration)
    form = RegistrationForm(request.POST or None, instance=Registration(client=client))
    return _edit(
        request, client=client, form=form, title=_("New registration"), section="registrations"
    )


@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_registration_for(request.user, pk, write=True)
    form = RegistrationForm(request.POST or None, instance=registration)
    return _edit(
        request,
        client=registration.client,
        form=form,
        title=_("Edit registration"),
        section="registrations",
    )
