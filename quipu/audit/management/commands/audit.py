from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.audit.chain import chain_verify
from quipu.audit.checkpoints import (
    ChainBroken,
    CheckpointInvalid,
    checkpoint_file_read,
    checkpoints_stored,
)
from quipu.audit.keys import audit_keyring, public_key_pem
from quipu.audit.services import audit_checkpoint_issue, audit_pending_chain


class Command(BaseCommand):
    help = (
        "Audit log tools. `quipu audit verify` re-walks the keyed chain and holds it against "
        "the signed checkpoints; `quipu audit checkpoint` signs the head now."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help="Re-walk the chain with the audit key and against every checkpoint; "
            "exit 1 at the first broken row.",
        )
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="also hold the chain against this checkpoint (e.g. a focal point's copy)",
        )
        sub.add_parser(
            "checkpoint",
            help="Sign the head into a checkpoint file now and notify the focal points "
            "(the daily job does this once a day).",
        )
        sub.add_parser("public-key", help="Print the public key that signs checkpoints (PEM).")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            self._verify([Path(name) for name in options["checkpoint"]])
        elif action == "checkpoint":
            self._checkpoint()
        else:
            self.stdout.write(public_key_pem(audit_keyring().current.public_key), ending="")

    def _verify(self, extra: list[Path]) -> None:
        keyring = audit_keyring()
        try:
            checkpoints = checkpoints_stored(keyring=keyring) + [
                checkpoint_file_read(path, keyring=keyring) for path in extra
            ]
        except CheckpointInvalid as invalid:
            raise CommandError(str(invalid.message)) from None
        audit_pending_chain()  # rows waiting to be chained are verified too, once chained
        report = chain_verify(checkpoints)
        if not report.intact:
            raise CommandError(
                _("Audit log broken at entry #%(seq)s: %(reason)s (%(checked)s entries intact)")
                % {"seq": report.broken_seq, "reason": report.reason, "checked": report.checked}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Audit log intact: %(count)s entries, %(checkpoints)s signed checkpoints.")
                % {"count": report.checked, "checkpoints": len(checkpoints)}
            )
        )

    def _checkpoint(self) -> None:
        try:
            written = audit_checkpoint_issue(raise_if_broken=True)
        except ChainBroken as broken:
            report = broken.report
            raise CommandError(
                _("Audit log broken at entry #%(seq)s: %(reason)s. No checkpoint was signed.")
                % {"seq": report.broken_seq, "reason": report.reason}
            ) from None
        if written:
            self.stdout.write(
                self.style.SUCCESS(_("Checkpoint signed: %(file)s") % {"file": written})
            )
        else:
            self.stdout.write(_("The log has not moved since the last checkpoint."))
