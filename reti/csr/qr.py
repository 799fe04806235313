"""The QR code of an attestation's verification address, as an SVG `data:` URL (segno)."""

import base64


def qr_data_uri(url: str) -> str:
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=4, border=2)
    encoded = base64.b64encode(svg.encode()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
