"""What the grids app adds to others' pages (reti.lib.extensions)."""

from .models import Assignment


def account_assignments(request, user) -> dict | None:
    """The account page's link to the evaluator's assignments; nothing for non-evaluators."""
    count = Assignment.objects.filter(evaluator=user).count()
    if not count:
        return None
    return {"grid_assignments": count}


def account_published_sheets(request, user) -> dict | None:
    """The account page's links to the published sheets of the user's organisations."""
    from .queries import published_sheets_of

    sheets = published_sheets_of(user)
    return {"grid_published_sheets": sheets} if sheets else None
