"""`reti grids load` loads the shipped grids; `reti grids verify` replays stored results."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reti.grids import actions
from reti.grids.models import Assessment


class Command(BaseCommand):
    help = (
        "load: store the grids shipped in reti/grids/catalogue (idempotent). "
        "verify: recompute every submitted assessment with the engine and report any "
        "difference from the stored result (exit status 1 if one differs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["load", "verify"])

    def handle(self, *args, verb, **options):
        if verb == "load":
            self._load()
        else:
            self._verify()

    def _load(self):
        try:
            loaded = actions.load_catalogue()
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        for template, changed in loaded:
            state = "loaded" if changed else "unchanged"
            self.stdout.write(f"{template.code} v{template.version}: {state} ({template.status})")

    def _verify(self):
        checked = Assessment.objects.filter(state=Assessment.State.SUBMITTED).count()
        differing = 0
        for assessment, differences in actions.verify():
            differing += 1
            self.stdout.write(
                f"assessment {assessment.pk} ({assessment.template.code} "
                f"v{assessment.template.version}): {', '.join(differences)} differ"
            )
        self.stdout.write(f"{checked} submitted assessments checked, {differing} differ.")
        if differing:
            raise CommandError(f"{differing} stored results differ from the engine's.")
