"""Response headers that settings alone cannot express."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
