"""Response headers that settings alone cannot express."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

REDIRECTS = {301, 302, 303, 307, 308}


class NoStoreMiddleware:
    """Pages shown to a signed-in user carry personal data: no browser or proxy may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class HtmxRedirectMiddleware:
    """A redirect answered to an htmx request becomes a whole-page navigation.

    htmx follows a redirect inside its request and swaps the page it lands on into the
    element that sent the form: a saved record's page drawn inside its form, the address bar
    still on the form, and reloading it opening the empty form again. Every view that saves
    and redirects gets the browser's own navigation instead, with the address bar on the new
    page, and so does a sign-in redirect when a session ended under an open form. A view that
    wants an in-place update answers with its fragment, not a redirect."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true" and response.status_code in REDIRECTS:
            navigation = HttpResponse(status=200)
            navigation["HX-Redirect"] = response["Location"]
            navigation.cookies = response.cookies
            return navigation
        return response


class NulQueryMiddleware:
    """A query string carrying a NUL character (`?q=12%00`) is answered 400 with a page
    that says so and links to the same address without it. PostgreSQL refuses NUL in text,
    so such a value reaching a query was a server error; forms already refuse it with a
    field message (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        cleaned = QueryDict(mutable=True)
        for key, values in request.GET.lists():
            cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
        query = cleaned.urlencode()
        context = {"retry_url": f"{request.path}?{query}" if query else request.path}
        return render(request, "bad_request.html", context, status=400)


class SecurityHeadersMiddleware:
    """Headers Django's settings do not cover: which browser features pages may use (none
    of the camera, microphone, location...) and that no other site may embed our responses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


def refuse_upload(request: HttpRequest, template: str, context: dict, status: int) -> HttpResponse:
    """A page saying why an upload was refused; over htmx only its `message` partial, shown
    in the form's message place, so the rest of the form stays as it was."""
    if request.headers.get("HX-Request") == "true":
        response = render(request, f"{template}#message", context, status=status)
        response["HX-Retarget"] = ".upload-message"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, template, context, status=status)


class UploadLimitMiddleware:
    """A file upload larger than allowed is refused from its Content-Length, before its body
    is read (Django would otherwise stream it to a temporary file first): 413, with a page
    that gives the limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and self.too_large(request):
            limit = settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)
            context = {"limit": limit, "back_url": request.path}
            return refuse_upload(request, "upload_too_large.html", context, status=413)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest) -> bool:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return length > settings.UPLOAD_REQUEST_MAX_BYTES


# Pages a signed-in user who still has to add a second factor may open: adding one, signing
# out, the language switch.
ENROLMENT_PAGES = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_generate_recovery_codes",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "account_logout",
    "logout",
    "set_language",
    "healthz",
}
SECOND_FACTOR_CHECKED = "casework_second_factor_checked"


class SecondFactorRequiredMiddleware:
    """A signed-in member of a role that must use a second factor (Administration →
    Security policy; superusers always) and has none is sent to add one: nothing else
    opens until then. Checked once per session, so a policy change applies from each
    person's next sign-in and other pages spend no query on it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not settings.SECOND_FACTOR_ENFORCED
            or not user.is_authenticated
            or request.session.get(SECOND_FACTOR_CHECKED) == user.pk
        ):
            return self.get_response(request)
        from casework.models import SecurityPolicy
        from casework.signin import has_second_factor

        if has_second_factor(user) or not SecurityPolicy.current().requires_second_factor(user):
            request.session[SECOND_FACTOR_CHECKED] = user.pk
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in ENROLMENT_PAGES:
            request.second_factor_required = True  # the enrolment page says why
            return self.get_response(request)
        return redirect("mfa_index")
