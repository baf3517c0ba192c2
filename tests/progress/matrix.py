"""Permission-matrix rules for progress (see tests/matrix_rules.py): readers of aggregates see
every page; only a country's own focal point sets its targets."""

from tests.matrix_rules import Route, roles

AGGREGATE_READERS = roles("secretariat", "focal_point", "analyst")

ROUTES = {
    "progress:overview": Route(AGGREGATE_READERS),
    "progress:harmonisation": Route(AGGREGATE_READERS),
    # Another country's page is its regional view: readable, so no record of a country here.
    "progress:country": Route(AGGREGATE_READERS, kwargs={"code": "CO"}),
    "progress:targets": Route(roles("focal_point"), obj="country"),
    "progress:axis": Route(AGGREGATE_READERS, kwargs={"code": "PROT"}),
    "progress:indicator": Route(AGGREGATE_READERS, kwargs={"code": "PROT-02"}),
    "progress:download": Route(AGGREGATE_READERS, kwargs={"format": "csv"}),
    "api:progress": Route(AGGREGATE_READERS),
}
RECORDS: dict = {}
