from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.audit.chain import chain_verify


class Command(BaseCommand):
    help = "Audit log tools. `quipu audit verify` re-walks the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Re-walk the hash chain; exit 1 at the first broken row.")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            report = chain_verify()
            if not report.intact:
                raise CommandError(
                    _("Audit log broken at entry #%(seq)s: %(reason)s (%(checked)s entries intact)")
                    % {"seq": report.broken_seq, "reason": report.reason, "checked": report.checked}
                )
            self.stdout.write(
                self.style.SUCCESS(
                    _("Audit log intact: %(count)s entries.") % {"count": report.checked}
                )
            )
