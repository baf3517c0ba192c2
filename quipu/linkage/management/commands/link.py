"""`quipu link <subcommand>`: cross-border linkage tools.

Each subcommand is one entry of SUBCOMMANDS; a new one (`run`) is a module with a
`Subcommand` and one more line in the dict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from quipu.linkage.runs import link_run_full
from quipu.linkage.services import EncodingSummary, encodings_rebuild, encodings_rekey


@dataclass(frozen=True)
class Subcommand:
    help: str
    handle: Callable[[BaseCommand, dict], None]  # (the command, parsed options)
    arguments: Callable[[object], None] = lambda parser: None  # adds options to its parser


def progress_writer(command: BaseCommand) -> Callable[[int, int], None]:
    """A progress line rewritten in place: "Encoded 4000 of 39362 people"."""

    def write(done: int, total: int) -> None:
        line = _("Encoded %(done)s of %(total)s people") % {"done": done, "total": total}
        command.stdout.write(line, ending="\r")
        command.stdout.flush()

    return write


def encode(command: BaseCommand, options: dict) -> None:
    summary = encodings_rebuild(progress=progress_writer(command))
    command.stdout.write("")
    command.stdout.write(command.style.SUCCESS(_summary_line(summary)))


def rekey(command: BaseCommand, options: dict) -> None:
    summary = encodings_rekey(progress=progress_writer(command))
    command.stdout.write("")
    command.stdout.write(
        command.style.SUCCESS(
            _(
                "Re-keyed to key id %(key_id)s: %(stale)s encodings had an old key and were "
                "replaced; none with an old key remain."
            )
            % {"key_id": summary.key_id, "stale": summary.stale_key}
        )
    )
    command.stdout.write(_summary_line(summary))


def run(command: BaseCommand, options: dict) -> None:
    stages = {
        "prepare": _("preparing the encodings"),
        "train": _("training the model"),
        "predict": _("scoring pairs"),
        "done": _("writing notices"),
    }

    def progress(stage: str, done: int, total: int) -> None:
        line = _("Step %(done)s of %(total)s: %(stage)s") % {
            "done": done + 1 if done < total else total,
            "total": total,
            "stage": stages.get(stage, stage),
        }
        command.stdout.write(line)

    result = link_run_full(backend=options["backend"], progress=progress)
    command.stdout.write(
        command.style.SUCCESS(
            _(
                "Matched %(records)s encoded records at threshold %(threshold)s: %(pairs)s "
                "cross-border pairs, %(new)s new notices, %(withdrawn)s withdrawn, %(groups)s "
                "groups."
            )
            % {
                "records": result.records,
                "threshold": result.threshold,
                "pairs": result.pairs,
                "new": result.notices_new,
                "withdrawn": result.notices_withdrawn,
                "groups": result.clusters,
            }
        )
    )


def _run_arguments(parser) -> None:
    parser.add_argument("--backend", choices=("duckdb", "spark"), default="duckdb")


def _summary_line(summary: EncodingSummary) -> str:
    return _(
        "%(people)s people: %(encoded)s encodings and %(tokens)s identifier tokens written, "
        "%(removed)s removed (key id %(key_id)s)."
    ) % {
        "people": summary.people,
        "encoded": summary.encoded,
        "tokens": summary.tokens,
        "removed": summary.removed,
        "key_id": summary.key_id,
    }


SUBCOMMANDS: dict[str, Subcommand] = {
    "encode": Subcommand(
        help="Rebuild every person's encodings and identifier tokens with the current key.",
        handle=encode,
    ),
    "rekey": Subcommand(
        help="After a key rotation: re-encode everything so no old key id remains.",
        handle=rekey,
    ),
    "run": Subcommand(
        help="Match every encoding across borders again and update the match notices.",
        handle=run,
        arguments=_run_arguments,
    ),
}


class Command(BaseCommand):
    help = "Cross-border linkage tools: `quipu link encode`, `quipu link rekey`, `quipu link run`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, subcommand in SUBCOMMANDS.items():
            subcommand.arguments(sub.add_parser(name, help=subcommand.help))

    def handle(self, *args, subcommand: str, **options):
        SUBCOMMANDS[subcommand].handle(self, options)
