"""`reti send-reminders`: e-mail follow-up owners before their due dates (run it daily)."""

from datetime import date

from django.core.management.base import BaseCommand

from reti.events.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Invia i promemoria delle attività di follow-up in scadenza (7 giorni, 1 giorno e il "
        "giorno stesso); idempotente: un promemoria già inviato non parte due volte."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=date.fromisoformat, help="Data di riferimento (AAAA-MM-GG)."
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Accoda l'invio come attività in background."
        )

    def handle(self, *args, today=None, enqueue=False, **options):
        if enqueue:
            from reti.events.tasks import send_reminders_task

            result = send_reminders_task.enqueue(today.isoformat() if today else None)
            self.stdout.write(f"accodato: {result.id}")
            return
        sent = send_due_reminders(today)
        self.stdout.write(f"promemoria inviati: {sent}")
