"""Exit 0 when the PostgreSQL server behind a URL answers (its maintenance database is used)."""

import sys

import psycopg


def main(url: str) -> int:
    server = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(server, connect_timeout=3):
            return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
