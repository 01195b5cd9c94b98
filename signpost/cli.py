"""The `signpost` command: Django's management commands under Signpost's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "signpost.settings")
    from django.core.management import execute_from_command_line

    argv = ["signpost", *sys.argv[1:]]
    if len(argv) > 1 and not argv[1].startswith("-"):
        # `signpost rotate-keys` runs the rotate_keys command.
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
