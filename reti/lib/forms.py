"""Form helpers shared by the apps' views."""

from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError) -> None:
    """Show an action's ValidationError on `form`: each message on the field it names when the
    form has that field, the others (and messages naming no field) above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
