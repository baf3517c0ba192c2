"""Permission-matrix rules for the cooperation dashboard: readers of aggregates only."""

from tests.matrix_rules import Route, roles

AGGREGATE_READERS = roles("secretariat", "focal_point", "analyst")

ROUTES = {
    "dashboard:overview": Route(AGGREGATE_READERS),
    "api:cooperation-dashboard": Route(AGGREGATE_READERS),
}
RECORDS: dict = {}
