"""Template helpers of the grids pages: texts of the engine's it/en mappings, scales."""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html

from ..forms import text

register = template.Library()


@register.filter
def tr(mapping, default: str = "") -> str:
    """The current language's text of an it/en mapping (Italian when missing)."""
    return text(mapping, default)


@register.simple_tag
def scale_of(parsed, node):
    """The engine Scale a node is answered on (None for a gate without one)."""
    return parsed.scales.get(node.scale) if node.scale else None


@register.simple_tag
def option_input(choice):
    """The <input> of one radio or checkbox option (a BoundWidget): what `{{ choice.tag }}`
    writes through Django's widget templates (attributes in another order), without two
    template renderings per option; they were a third of the scoring form's time (85
    options on the small-grant grid)."""
    data = choice.data
    value = data["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        data["type"],
        data["name"],
        format_html(' value="{}"', value) if value is not None else "",
        flatatt(data["attrs"]),
    )


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def outcome(code: str) -> str:
    """A result's outcome code (admissible, below_threshold, not_admissible) in words."""
    from ..messages import outcome_label

    return str(outcome_label(code or ""))
