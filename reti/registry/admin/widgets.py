"""Back-office widgets."""

from django.contrib.admin.widgets import AutocompleteSelect


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option takes its label from rows already read.

    Django's autocomplete looks its selected record up again to label it: one query per
    inline row. The inline's formset hands each row's label over in `labels` instead.
    """

    labels: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not selected or any(pk not in self.labels for pk in selected):
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for index, pk in enumerate(selected, start=len(options)):
            options.append(self.create_option(name, pk, self.labels[pk], True, index))
        return [(None, options, 0)]
