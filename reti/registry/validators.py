"""Field validators for Italian tax identifiers, on python-stdnum's checksums."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale, iva


def validate_codice_fiscale(value: str) -> None:
    """A codice fiscale: 16 characters for a person, 11 digits for an entity."""
    try:
        codicefiscale.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Codice fiscale non valido: %(value)s (lunghezza o carattere di controllo errati)"),
            code="invalid_codice_fiscale",
            params={"value": value},
        ) from None


def validate_partita_iva(value: str) -> None:
    """A partita IVA: 11 digits with a Luhn check digit."""
    try:
        iva.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Partita IVA non valida: %(value)s (11 cifre con cifra di controllo)"),
            code="invalid_partita_iva",
            params={"value": value},
        ) from None


def compact_tax_code(value: str | None) -> str | None:
    """Upper-case, without spaces or separators; None for blank."""
    if not value:
        return None
    return codicefiscale.compact(value) or None
