from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from quipu.notifications.daily import daily_jobs


class Command(BaseCommand):
    help = (
        "Run the once-a-day jobs: due-date reminders, escalation of overdue steps and the "
        "e-mail digest. Schedule it with cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", default=[], help="run only this job")

    def handle(self, *args, only, **options):
        jobs = daily_jobs()
        unknown = set(only) - set(jobs)
        if unknown:
            self.stderr.write(_("Unknown job: %(name)s") % {"name": ", ".join(sorted(unknown))})
            raise SystemExit(2)
        for name, job in jobs.items():
            if only and name not in only:
                continue
            count = job()
            self.stdout.write(_("%(job)s: %(count)s") % {"job": name, "count": count})
