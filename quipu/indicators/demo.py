"""`quipu demo`: the shipped framework, population figures and baseline survey are in place,
and the demo survey rounds (round_demo.py)."""

from django.utils.translation import gettext as _

from quipu.indicators.defaults import defaults_load
from quipu.indicators.models import Indicator, Survey
from quipu.indicators.round_demo import rounds_demo_build


def demo_build(*, stdout) -> None:
    defaults_load()
    stdout.write(
        _("Indicator framework: %(indicators)s indicators; %(surveys)s surveys.")
        % {
            "indicators": Indicator.objects.filter(is_active=True).count(),
            "surveys": Survey.objects.count(),
        }
    )
    rounds, submissions = rounds_demo_build()
    stdout.write(
        _("Survey rounds: %(rounds)s created, with %(submissions)s institution answers.")
        % {"rounds": rounds, "submissions": submissions}
    )
