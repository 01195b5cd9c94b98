from django.http import HttpRequest, HttpResponse


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: says nothing about data."""
    return HttpResponse("ok", content_type="text/plain")
