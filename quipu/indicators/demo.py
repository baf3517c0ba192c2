"""`quipu demo`: the shipped framework, population figures and baseline survey are in place."""

from django.utils.translation import gettext as _

from quipu.indicators.defaults import defaults_load
from quipu.indicators.models import Indicator, Survey


def demo_build(*, stdout) -> None:
    defaults_load()
    stdout.write(
        _("Indicator framework: %(indicators)s indicators; %(surveys)s surveys.")
        % {
            "indicators": Indicator.objects.filter(is_active=True).count(),
            "surveys": Survey.objects.count(),
        }
    )
