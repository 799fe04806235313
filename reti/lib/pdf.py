"""Reti's one PDF renderer: a Django template rendered to HTML, then to PDF by WeasyPrint.

Reports (a network's dossier, a region's indicator report, a call's ranking) and documents
(receipts, agreements, CSR attestations) all come through `render_pdf`, so they share:

- no network at render time: the URL fetcher serves `/static/...` from the collected static
  files (or the finders in development) and `data:` URLs, and refuses anything else, so a
  template cannot make the server fetch an outside address;
- tagged PDF (PDF/UA-1, which WeasyPrint supports); `reti/pdf/base.html` sets the document's
  language from the active language and its title, so screen readers read it right;
- fonts embedded (WeasyPrint embeds the subset it uses), images from the same fetcher;
- the page layout of `reti/pdf/base.html` (A4, margins, running header, page numbers), which
  every PDF template extends (blocks `title`, `header`, `content`; `extra_style` for more CSS).

Charts are rendered server-side beforehand (e.g. Vega-Lite through `vl-convert-python` to SVG)
and put in the template as `data:` URLs or inline SVG.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string

PDF_VARIANT = "pdf/ua-1"


class FetchRefused(ValueError):
    """A PDF template asked for something outside the static files."""


def _static_path(name: str) -> Path | None:
    root = Path(settings.STATIC_ROOT)
    candidate = (root / name).resolve()
    if candidate.is_relative_to(root.resolve()) and candidate.is_file():
        return candidate
    found = finders.find(name)
    return Path(found) if found else None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """Static files and `data:` URLs only, never the network (a refusal is logged by
        WeasyPrint and the resource left out)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            for prefix in ("file://" + settings.STATIC_URL, settings.STATIC_URL):
                if url.startswith(prefix):
                    path = _static_path(url[len(prefix) :].split("?", 1)[0])
                    if path is None:
                        break
                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, path.read_bytes(), headers={"Content-Type": mime}
                    )
            raise FetchRefused(f"PDF resources come from the static files only: {url!r}")

    return StaticOnly(allowed_protocols=("data", "file"))


def fetch(url: str):
    """Fetch one resource as a PDF template may (the renderer's own rule)."""
    return _fetcher().fetch(url)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render `template_name` with `context` and return the PDF's bytes."""
    return html_to_pdf(render_to_string(template_name, context, request=request))


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document (rendered from a template that extends the base)."""
    from weasyprint import HTML

    return HTML(string=html, base_url="/", url_fetcher=_fetcher()).write_pdf(
        pdf_variant=PDF_VARIANT, custom_metadata=True
    )


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """An HTTP response carrying `pdf`, downloaded (or shown inline) as `filename`."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Content-Length"] = str(len(pdf))
    return response
