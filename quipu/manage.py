"""The `quipu` console script: every management command (`quipu migrate`, `quipu demo`...)."""

import os
import sys


def main() -> None:
    # Everything the process creates (the SQLite database, exports, uploads, keys under var/)
    # is for its owner only: 0600 files, 0700 folders (issue 13).
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quipu.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["quipu", *sys.argv[1:]])


if __name__ == "__main__":
    main()
