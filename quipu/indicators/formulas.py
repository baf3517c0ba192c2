"""DHIS2-style formula indicators: (numerator / denominator) x factor over other indicators.

Expressions hold indicator codes as `#{CODE}` (and `#{POPULATION}` for the country's total
population), numbers, + - * / and parentheses. They are parsed with Python's own `ast` and only
arithmetic nodes are accepted, so nothing but arithmetic can ever run.
"""

import ast
import re
from decimal import Decimal, InvalidOperation

POPULATION = "POPULATION"
REFERENCE = re.compile(r"#\{([A-Za-z0-9_-]+)\}")
_ALLOWED = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
    ast.UAdd,
)


class FormulaError(ValueError):
    pass


def formula_references(expression: str) -> list[str]:
    """The codes an expression names, in order, without repeats."""
    return list(dict.fromkeys(REFERENCE.findall(expression or "")))


def _tree(expression: str) -> ast.Expression:
    names = {}

    def as_name(match: re.Match) -> str:
        name = f"ref_{len(names)}"
        names[name] = match.group(1)
        return name

    python = REFERENCE.sub(as_name, expression)
    try:
        tree = ast.parse(python, mode="eval")
    except SyntaxError:
        raise FormulaError(expression) from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise FormulaError(expression)
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError(expression)
        if isinstance(node, ast.Name) and node.id not in names:
            raise FormulaError(expression)
    tree.quipu_names = names  # type: ignore[attr-defined]
    return tree


def formula_check(expression: str) -> list[str]:
    """Raise FormulaError unless `expression` is arithmetic over #{CODE}s; return the codes."""
    _tree(expression)
    return formula_references(expression)


def formula_evaluate(expression: str, values: dict[str, Decimal | None]) -> Decimal | None:
    """The expression's value, or None when a value it needs is missing or it divides by 0."""
    tree = _tree(expression)
    names: dict[str, str] = tree.quipu_names  # type: ignore[attr-defined]

    def walk(node) -> Decimal:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            value = values.get(names[node.id])
            if value is None:
                raise LookupError(names[node.id])
            return Decimal(value)
        if isinstance(node, ast.UnaryOp):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        left, right = walk(node.left), walk(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right

    try:
        return walk(tree)
    except (LookupError, ZeroDivisionError, InvalidOperation):
        return None


def indicator_formula_value(
    *, numerator: str, denominator: str, factor: int | None, values: dict[str, Decimal | None]
) -> Decimal | None:
    """DHIS2's indicator value: numerator / denominator x factor (denominator 1 if blank)."""
    top = formula_evaluate(numerator, values)
    bottom = formula_evaluate(denominator, values) if denominator else Decimal(1)
    if top is None or bottom is None or bottom == 0:
        return None
    return top / bottom * (factor or 1)
