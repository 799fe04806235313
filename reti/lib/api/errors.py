"""Errors as JSON: 400 names the field or parameter, 401/403/404/409 carry a message.

Bad input always answers `{"detail": [{"field": "tax_code", "message": "..."}]}`; a
message that belongs to no single field has `"field": null`.
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from reti.lib.busy import busy_response, is_database_busy

logger = logging.getLogger("django.request")

# Multi-field constraints answer on the field a user would correct: constraint name -> field.
# Each app names its own with `answer_constraints_on` when its API is imported.
CONSTRAINT_FIELDS: dict[str, str] = {}


def answer_constraints_on(fields: dict[str, str]) -> None:
    """Answer the errors of these constraints (by name) on these fields, not on none."""
    CONSTRAINT_FIELDS.update(fields)


class BadRequest(Exception):
    """Bad input in a query parameter or a body field; answered with 400."""

    def __init__(self, field: str | None, message: str):
        self.errors = [{"field": field, "message": str(message)}]
        super().__init__(f"{field}: {message}")


def _constraint_field(model, error: DjangoValidationError) -> str | None:
    """The field a non-field error of `model` is about, found from the constraint it breaks."""
    message = " ".join(error.messages)
    unique_fields = (error.params or {}).get("unique_check") if error.code else None
    for constraint in model._meta.constraints:
        if unique_fields is not None:
            matches = tuple(getattr(constraint, "fields", ())) == tuple(unique_fields)
        else:
            matches = str(constraint.get_violation_error_message()) == message
        if not matches:
            continue
        if constraint.name.endswith("end_after_start"):
            return "end_date"
        return CONSTRAINT_FIELDS.get(constraint.name)
    return None


def validation_errors(exc: DjangoValidationError, model=None) -> list[dict]:
    """Django's ValidationError as a list of {field, message}; constraint errors get a field."""
    if not hasattr(exc, "error_dict"):
        return [{"field": None, "message": str(m)} for m in exc.messages]
    errors = []
    for field, field_errors in exc.error_dict.items():
        for error in field_errors:
            message = " ".join(error.messages)
            name = field
            if field == NON_FIELD_ERRORS:
                name = _constraint_field(model, error) if model is not None else None
            errors.append({"field": name, "message": message})
    return errors


class RecordValidationError(Exception):
    """A model's ValidationError together with the model, to name constraint fields."""

    def __init__(self, exc: DjangoValidationError, model):
        self.errors = validation_errors(exc, model)
        super().__init__(self.errors)


def _ninja_field(loc) -> str:
    # loc is (source, [param name for bodies,] field, ...): keep the field path.
    parts = list(loc[2:] if loc and loc[0] == "body" else loc[1:])
    return ".".join(str(p) for p in parts) or str(loc[0])


def register_error_handlers(api) -> None:
    """Answer the API's errors as JSON in Reti's format (see docs/api.md)."""

    def bad_request(request, exc):
        return api.create_response(request, {"detail": exc.errors}, status=400)

    def invalid_params(request, exc):
        detail = [
            {"field": _ninja_field(e.get("loc", ())), "message": e["msg"]} for e in exc.errors
        ]
        return api.create_response(request, {"detail": detail}, status=400)

    def invalid_record(request, exc):
        return api.create_response(request, {"detail": validation_errors(exc)}, status=400)

    def forbidden(request, exc):
        message = str(exc) or "You do not have permission to do this."
        return api.create_response(request, {"detail": message}, status=403)

    def not_found(request, exc):
        return api.create_response(request, {"detail": "Not found."}, status=404)

    def still_referenced(request, exc):
        names = sorted({obj._meta.verbose_name_plural for obj in exc.args[1]})
        message = "Other records still refer to this one: " + ", ".join(map(str, names))
        return api.create_response(request, {"detail": message}, status=409)

    def conflict(request, exc):
        return api.create_response(
            request, {"detail": "The change conflicts with another record."}, status=409
        )

    def http_error(request, exc):
        # Ninja's own 400s (a body that is not JSON or not UTF-8) keep the documented list.
        if exc.status_code == 400:
            detail = [{"field": None, "message": str(exc)}]
            return api.create_response(request, {"detail": detail}, status=400)
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    def unreadable_form(request, exc):
        # A multipart body without a boundary, or cut short: the client's fault, not ours.
        detail = [{"field": None, "message": f"Cannot parse the multipart body: {exc}"}]
        return api.create_response(request, {"detail": detail}, status=400)

    def unstorable(request, exc):
        # The last guard: a value the schema let through but the database cannot hold.
        detail = [{"field": None, "message": "A value is out of range or cannot be stored."}]
        return api.create_response(request, {"detail": detail}, status=400)

    def server_error(request, exc):
        # Logged like Django's own 500s (mailed to the admins), but answered in JSON.
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"request": request}
        )
        return api.create_response(request, {"detail": "Server error."}, status=500)

    api.add_exception_handler(Exception, server_error)
    api.add_exception_handler(BadRequest, bad_request)
    api.add_exception_handler(RecordValidationError, bad_request)
    api.add_exception_handler(NinjaValidationError, invalid_params)
    api.add_exception_handler(DjangoValidationError, invalid_record)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ObjectDoesNotExist, not_found)
    api.add_exception_handler(ProtectedError, still_referenced)
    api.add_exception_handler(RestrictedError, still_referenced)

    def busy(request, exc):
        # A lock held by another transaction (an import on SQLite): 503 and Retry-After.
        if is_database_busy(exc):
            return busy_response(request)
        return server_error(request, exc)

    api.add_exception_handler(IntegrityError, conflict)
    api.add_exception_handler(DataError, unstorable)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(MultiPartParserError, unreadable_form)
    api.add_exception_handler(OperationalError, busy)
    api.add_exception_handler(InterfaceError, busy)
