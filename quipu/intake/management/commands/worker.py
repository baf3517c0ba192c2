import sys

from django.core.management.base import BaseCommand

from quipu.ops import supervisor


class Command(BaseCommand):
    help = (
        "Run the background worker (imports, exports, matching, e-mails), starting it again "
        "whenever it stops. With --no-supervise, run one worker in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-supervise",
            action="store_false",
            dest="supervise",
            help="run the worker in this process, without restarting it",
        )
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, supervise: bool, interval: float, verbosity: int, **options):
        if supervise:
            command = [sys.executable, "-m", "quipu.manage", "worker", "--no-supervise"]
            command += ["--interval", str(interval), "-v", str(verbosity)]
            sys.exit(supervisor.supervise(command))
        from quipu.ops.worker import worker_run

        worker_run(interval=interval, verbosity=verbosity)
