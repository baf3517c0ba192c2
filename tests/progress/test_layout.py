"""Progress pages as they read (issue 14, item 8): one way to write each kind of value,
yes/no indicators as answers rather than 0-1 charts, and an overview that fits its columns."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from quipu.indicators.models import Unit
from quipu.progress.charts import bar_chart, trend_chart
from quipu.progress.formatting import unit_value_text, value_writer

pytestmark = pytest.mark.django_db

VALUES = {
    Unit.COUNT: Decimal("1204"),
    Unit.PERCENTAGE: Decimal("99.94"),
    Unit.RATE_100K: Decimal("12"),
    Unit.YES_NO: Decimal("1"),
}


@pytest.mark.parametrize(
    "language, expected",
    [
        ("es", ["1\xa0204", "99,9 %", "12,00", "Sí"]),  # Django's Spanish groups with a space
        ("pt-br", ["1.204", "99,9 %", "12,00", "Sim"]),
        ("en", ["1,204", "99.9 %", "12.00", "Yes"]),
    ],
)
def test_each_kind_of_value_has_one_format_per_language(language, expected):
    with translation.override(language):
        assert [unit_value_text(unit, value) for unit, value in VALUES.items()] == expected


def test_charts_write_values_in_the_indicator_s_unit():
    with translation.override("es"):
        bars = bar_chart(
            title="t",
            unit_label="%",
            bars=[("AR", "Argentina", Decimal("99.9")), ("BO", "Bolivia", Decimal("3"))],
            missing_label="Sin datos",
            value_text=value_writer(Unit.PERCENTAGE),
        )
        trend = trend_chart(
            title="t",
            unit_label="",
            periods=["2024", "2025"],
            series=[("AR", "Argentina", [Decimal("3"), Decimal("12")])],
            value_text=value_writer(Unit.COUNT),
        )
    assert [bar.text for bar in bars.bars] == ["99,9 %", "3,0 %"]  # not "3" beside "99,9"
    assert [row.cells for row in trend.rows] == [["3"], ["12"]]  # not "3" beside "12,0"


def _page(client, name, *args, language="es"):
    with translation.override(language):
        url = reverse(name, args=args)
    response = client.get(url, {"period": "2025"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_yes_no_indicator_is_answers_per_country_not_a_chart(chile, login):
    html = _page(login("secretariat"), "progress:indicator", "PREV-01")
    assert "<svg" not in html  # no map, bars or trend line between 0 and 1
    table = html.split('class="list yes-no-table"', 1)[1].split("</table>", 1)[0]
    assert "answer-yes" in table or "answer-no" in table
    assert re.search(r'<th scope="row">Chile</th>(<td>.*?</td>){2}', table)  # 2024 and 2025
    assert "0,0" not in table and "1,0" not in table


def test_the_axis_page_draws_charts_only_for_measured_indicators(chile, login):
    html = _page(login("secretariat"), "progress:axis", "PROT")
    sections = dict(re.findall(r'id="chart-(PROT-\d+)"(.*?)</section>', html, re.S))
    assert "<svg" not in sections["PROT-07"] and "yes-no-table" in sections["PROT-07"]
    assert "<svg" in sections["PROT-01"] and "yes-no-table" not in sections["PROT-01"]
