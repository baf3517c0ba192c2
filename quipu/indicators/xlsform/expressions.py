"""XForm expressions evaluated by elementpath (XPath 2.0) against the instance document.

XForms is XPath 1.0 plus a few functions (ODK XForms spec). elementpath gets those functions
as external functions; two spellings that XPath 2.0 reads differently are mapped first, outside
string literals only: `if(c, a, b)` (a keyword in XPath 2.0) and `current()` (a variable here).
Run-time type errors, such as comparing an empty answer with a number, count as false/empty,
which is what XPath 1.0's NaN gives in the cases forms use.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from xml.etree import ElementTree as ET

from elementpath import XPath2Parser, XPathContext
from elementpath.datatypes import AbstractDateTime, Date, DateTime, Duration
from elementpath.exceptions import ElementPathError

# Outside quotes: `if (` -> `xf-if(`; `current()` -> `$current`.
_LITERAL_OR_CODE = re.compile(r"('[^']*'|\"[^\"]*\")|([^'\"]+)")
_IF = re.compile(r"(?<![\w:.-])if\s*\(")
_CURRENT = re.compile(r"(?<![\w:.-])current\s*\(\s*\)")


class ExpressionError(ValueError):
    pass


def _string(value) -> str:
    """XPath 1.0's string(): the first node's text, numbers without a needless '.0'."""
    if isinstance(value, list | tuple):
        return _string(value[0]) if value else ""
    if value is None:
        return ""
    if hasattr(value, "string_value"):
        return value.string_value
    if isinstance(value, ET.Element):
        return "".join(value.itertext())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)


def _number(value) -> float:
    try:
        return float(_string(value))
    except ValueError:
        return float("nan")


def _boolean(value) -> bool:
    if isinstance(value, list | tuple):
        if not value:
            return False
        if len(value) == 1 and not hasattr(value[0], "string_value"):
            return _boolean(value[0])
        return True
    if hasattr(value, "string_value") or isinstance(value, ET.Element):
        return True
    if isinstance(value, str):
        return value != ""
    if isinstance(value, float):
        return value == value and value != 0
    return bool(value)


def _selected(choices, value) -> bool:
    return _string(value) in _string(choices).split()


def _selected_at(choices, index):
    parts = _string(choices).split()
    position = int(_number(index)) if _number(index) == _number(index) else -1
    return parts[position] if 0 <= position < len(parts) else ""


def _count_selected(choices) -> int:
    return len(_string(choices).split())


def _if(condition, when_true, when_false):
    return when_true if _boolean(condition) else when_false


def _regex(value, pattern) -> bool:
    try:
        return re.search(_string(pattern), _string(value)) is not None
    except re.error:
        return False


def _coalesce(first, second):
    return first if _string(first) != "" else second


def _int(value) -> int | float:
    number = _number(value)
    return int(number) if number == number else number


def _boolean_from_string(value) -> bool:
    return _string(value) in ("true", "1")


def _once(value):
    return value


def _today() -> Date:
    return Date.fromstring(date.today().isoformat())


def _now() -> DateTime:
    return DateTime.fromstring(datetime.now().replace(microsecond=0).isoformat())


_FUNCTIONS = {
    "selected": _selected,
    "selected-at": _selected_at,
    "count-selected": _count_selected,
    "xf-if": _if,
    "regex": _regex,
    "coalesce": _coalesce,
    "int": _int,
    "boolean-from-string": _boolean_from_string,
    "once": _once,
    "today": _today,
    "now": _now,
}


@lru_cache(maxsize=1)
def _parser() -> XPath2Parser:
    parser = XPath2Parser(namespaces={"jr": "http://openrosa.org/javarosa"})
    for name, function in _FUNCTIONS.items():
        parser.external_function(function, name=name)
    return parser


def xpath_prepare(expression: str) -> str:
    """The XForm expression in the spelling elementpath's XPath 2.0 parser reads."""
    out = []
    for literal, code in _LITERAL_OR_CODE.findall(expression):
        if literal:
            out.append(literal)
        else:
            out.append(_CURRENT.sub("$current", _IF.sub("xf-if(", code)))
    return "".join(out).strip()


@lru_cache(maxsize=2048)
def _compiled(expression: str):
    try:
        return _parser().parse(xpath_prepare(expression))
    except ElementPathError as error:
        raise ExpressionError(str(error)) from None


def xpath_check(expression: str) -> None:
    """Raise ExpressionError unless the expression parses."""
    _compiled(expression)


def xpath_evaluate(expression: str, document: ET.ElementTree, node: ET.Element | None):
    """The expression's value with `node` as the context item and as current()."""
    token = _compiled(expression)
    context = XPathContext(
        document, item=node, variables={"current": node if node is not None else ""}
    )
    try:
        return token.evaluate(context)
    except (ElementPathError, ArithmeticError, TypeError, ValueError):
        raise ExpressionError(expression) from None


def xpath_true(expression: str, document: ET.ElementTree, node) -> bool:
    """The expression as a condition; one that cannot be evaluated is false."""
    try:
        return _boolean(xpath_evaluate(expression, document, node))
    except ExpressionError:
        return False


def xpath_text(expression: str, document: ET.ElementTree, node) -> str:
    """The expression as the text of a calculated answer; '' if it cannot be evaluated."""
    try:
        value = xpath_evaluate(expression, document, node)
    except ExpressionError:
        return ""
    if isinstance(value, AbstractDateTime | Duration):
        return str(value)
    return _string(value)
