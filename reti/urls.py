from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from reti.api import api
from reti.identity.urls import saml_patterns
from reti.lib.language import set_language
from reti.opendata.urls import catalog_patterns

urlpatterns = [
    path("api/v1/", api.urls),
    # The IT/EN switch lands on the same page in the other language (reti/lib/language.py).
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The DCAT-AP_IT catalogue, at one address in every language (reti/opendata).
    path("opendata/", include((catalog_patterns, "opendata_catalog"))),
    # SPID and CIE's SAML endpoints, at the addresses published in the metadata (reti/identity).
    path("saml/", include((saml_patterns, "identity_saml"))),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("reti.accounts.urls")),
    path("", include("reti.identity.urls")),
    path("", include("reti.knowledge.urls")),
    path("", include("reti.events.urls")),
    path("", include("reti.communities.urls")),
    path("", include("reti.monitoring.urls")),
    path("", include("reti.grids.urls")),
    path("", include("reti.grants.urls")),
    path("", include("reti.csr.urls")),
    path("", include("reti.opendata.urls")),
    path("", include("reti.portal.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
