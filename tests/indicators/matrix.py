"""Permission-matrix rules for this app (see tests/matrix_rules.py)."""

ROUTES: dict = {}
RECORDS: dict = {}
