"""Reti's URLs plus the bare view: the floor every measured endpoint is compared with."""

from django.http import HttpResponse
from django.urls import path

from reti.urls import urlpatterns as reti_urlpatterns


def bare(request):
    """A fixed response: what the middleware stack and the test client cost on their own."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare, name="bench_bare"), *reti_urlpatterns]
