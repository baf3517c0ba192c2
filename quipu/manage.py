"""The `quipu` console script: every management command (`quipu migrate`, `quipu demo`...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quipu.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["quipu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
