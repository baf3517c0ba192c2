"""Permission-matrix rules for the audit log's checkpoints (see tests/matrix_rules.py).

Checkpoints sign the whole log's head, which carries no country's data, so every focal point
downloads every one; nobody else reaches them. The matrix's checkpoint folder is empty: an
allowed user gets to the file lookup (404), the others are refused before it
(tests/audit/test_checkpoints.py downloads a real one and checks the 403s).
"""

from tests.matrix_rules import Route, roles

ROUTES = {
    "audit:checkpoints": Route(roles("focal_point")),
    "audit:public_key": Route(roles("focal_point")),
    "audit:checkpoint_download": Route(
        roles("focal_point"), kwargs={"name": "audit-checkpoint-000000000001.json"}, ok=(404,)
    ),
}
