import importlib
import inspect
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Build the demo region: the ten member states, their institutions and one user per role. "
        "Each app may add a `demo.py` with `demo_build(*, stdout)`; they run in app order. "
        "With --cases N the region holds about N synthetic cases instead of 20,000."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            metavar="N",
            help=_("About how many synthetic cases to build (default: 20,000)."),
        )

    def handle(self, *args, cases: int | None = None, **options):
        if cases is not None and cases < 1:
            raise CommandError(_("--cases must be a positive number."))
        for config in apps.get_app_configs():
            if not config.name.startswith("quipu."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            # Only the builders that generate cases take a size (intake's `total`).
            sized = "total" in inspect.signature(module.demo_build).parameters
            started = time.monotonic()
            with transaction.atomic():
                if sized:
                    module.demo_build(stdout=self.stdout, total=cases)
                else:
                    module.demo_build(stdout=self.stdout)
            if cases is not None:  # a large region takes minutes: say where the time goes
                self.stdout.write(f"  {config.label}: {time.monotonic() - started:.1f} s")
        with connection.cursor() as cursor:
            # Fresh planner statistics: after a bulk load they still describe empty tables,
            # and PostgreSQL then picks nested loops over tens of thousands of rows.
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(_("Demo region ready.")))
