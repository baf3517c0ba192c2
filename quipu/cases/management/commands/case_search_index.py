from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from quipu.cases.search_index import search_texts_rebuild, search_trigram_indexes_create


class Command(BaseCommand):
    help = (
        "Rebuild the case search index from the cases stored, and on PostgreSQL create its "
        "trigram indexes (once pg_trgm may be created). Safe to run at any time."
    )

    def handle(self, *args, **options):
        indexed = search_texts_rebuild()
        self.stdout.write(_("Case search: %(count)s cases indexed.") % {"count": indexed})
        if connection.vendor == "postgresql":
            if search_trigram_indexes_create():
                self.stdout.write(_("Case search: trigram indexes are in place."))
            else:
                self.stdout.write(
                    _(
                        "Case search: the pg_trgm extension could not be created, so search "
                        "reads its whole table. Ask a database superuser to run "
                        "CREATE EXTENSION pg_trgm; then run this command again."
                    )
                )
