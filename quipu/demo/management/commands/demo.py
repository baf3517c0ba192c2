import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "Build the demo region: the ten member states, their institutions and one user per role. "
        "Each app may add a `demo.py` with `demo_build(*, stdout)`; they run in app order."
    )

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("quipu."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.demo_build(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(_("Demo region ready.")))
