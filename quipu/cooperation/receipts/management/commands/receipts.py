"""`quipu receipts verify FILE [--public-key PEMFILE]` and `quipu receipts public-key`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quipu.cooperation.receipts.keys import signing_key
from quipu.cooperation.receipts.verification import public_keys_from_pem, receipt_verify


class Command(BaseCommand):
    help = "Certified receipts: verify a receipt file, or print the platform's public key."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Verify a receipt (JSON file); exit 1 if invalid.")
        verify.add_argument("file", help="The receipt's JSON file.")
        verify.add_argument(
            "--public-key",
            dest="public_key",
            help="A PEM public key to verify with, offline, instead of the platform's key table.",
        )
        public = sub.add_parser(
            "public-key", help="Print the current public key (PEM) and its key id."
        )
        public.add_argument(
            "--all",
            action="store_true",
            help="Every public key ever used (after rotations), to verify old receipts offline.",
        )

    def handle(self, *args, action: str, **options):
        if action == "public-key":
            self._public_keys(every=options["all"])
            return
        document = self._read_json(Path(options["file"]))
        public_keys = None
        if options.get("public_key"):
            try:
                pem = Path(options["public_key"]).read_bytes()
                public_keys = public_keys_from_pem(pem)
            except (OSError, ValueError):
                raise CommandError(_("The public key file is not a readable PEM key.")) from None
        result = receipt_verify(document, public_keys=public_keys)
        # The first word is a stable status for scripts; the rest is in the reader's language.
        if not result.valid:
            raise CommandError(f"invalid ({result.code}): {result.reason}")
        self.stdout.write("valid")
        self.stdout.write(
            self.style.SUCCESS(
                _("Receipt %(receipt)s, signed with key id %(key_id)s.")
                % {"receipt": document["receipt"], "key_id": result.key_id}
            )
        )

    def _public_keys(self, *, every: bool) -> None:
        key = signing_key()
        keys = [(key.key_id, key.public_pem)]
        if every:
            from quipu.cooperation.receipts.models import SigningKey

            rows = SigningKey.objects.exclude(key_id=key.key_id).order_by("-created")
            keys += [(row.key_id, row.public_key) for row in rows]
        for key_id, pem in keys:
            self.stdout.write(_("Key id: %(key_id)s") % {"key_id": key_id})
            self.stdout.write(pem.strip())

    def _read_json(self, path: Path):
        try:
            # utf-8-sig: a receipt saved by an editor that adds a byte-order mark still reads.
            return json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError:
            raise CommandError(_("The receipt file cannot be read.")) from None
        except ValueError:
            raise CommandError(_("The file is not a JSON receipt.")) from None
