"""`reti opencoesione export [FILE]` writes Reti's projects in OpenCoesione's layout;
`reti opencoesione import FILE --programme X --theme Y` reads one programme's projects on one
theme from an OpenCoesione extract (docs/opencoesione.md)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from reti.opencoesione import exporting, importing


class Command(BaseCommand):
    help = (
        "export: Reti's projects in OpenCoesione's project layout (';', decimal comma, "
        "dates YYYYMMDD) to FILE or standard output. import: the projects of one programme "
        "on one theme from an OpenCoesione extract; all or nothing, a report of every bad "
        "cell by line and column; a second run of the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("verb", choices=["export", "import"])
        parser.add_argument("file", nargs="?", default="-")
        parser.add_argument("--programme", help="OC_CODICE_PROGRAMMA of the projects to import")
        parser.add_argument("--theme", help="OC_COD_TEMA_SINTETICO (01-11) of those projects")
        parser.add_argument("--encoding", default="utf-8-sig", help="of the file (import)")
        parser.add_argument(
            "--synthetic", action="store_true", help="mark what is created as synthetic"
        )

    def handle(self, *args, verb, file, **options):
        if verb == "export":
            self._export(file)
        else:
            self._import(file, **options)

    def _export(self, file):
        out = sys.stdout.buffer if file == "-" else open(file, "wb")  # noqa: SIM115
        try:
            for chunk in exporting.chunks():
                out.write(chunk)
        finally:
            if file != "-":
                out.close()

    def _import(self, file, *, programme, theme, encoding, synthetic, **_options):
        if file == "-" or not programme or not theme:
            raise CommandError("import needs FILE, --programme and --theme")
        try:
            report = importing.read(file, programme, theme, encoding=encoding, synthetic=synthetic)
        except importing.ImportRefused as refused:
            report = refused.report
            for problem in report.problems:
                self.stderr.write(str(problem))
            more = report.problem_count - len(report.problems)
            if more:
                self.stderr.write(f"... e altri {more} problemi")
            raise CommandError(
                f"{report.problem_count} problemi: nessuna modifica al registro."
            ) from None
        except OSError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{report.rows_read} righe lette, {report.selected} del programma e del tema: "
            f"{report.created} progetti creati, {report.updated} aggiornati, "
            f"{report.unchanged} invariati; {report.organisations_created} organizzazioni create."
        )
