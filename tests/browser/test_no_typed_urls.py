"""Browser tests reach pages by clicking from home, as users do; a typed address would hide a
page no menu or link leads to (issue 14, item 1: "New case" was unreachable for a caseworker
while its test opened /cases/new/ by URL). Plain pytest: reads the test files, no browser."""

import ast
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parent
# The one typed address: the sign-in page, opened by conftest.sign_in.
ALLOWED = {("conftest.py", "sign_in")}
TYPING = {"goto"}  # Page.goto, Frame.goto


def _typed_addresses(path: Path) -> list[tuple[int, str | None]]:
    """(line, enclosing function) of every call that types an address into the browser."""
    found: list[tuple[int, str | None]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call):
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else None
            if isinstance(called, ast.Call) and getattr(called.func, "id", "") == "getattr":
                name = next(
                    (arg.value for arg in called.args[1:2] if isinstance(arg, ast.Constant)), None
                )
            if name in TYPING:
                found.append((node.lineno, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def test_browser_tests_type_no_address_but_the_sign_in_page():
    offenders = [
        f"{path.name}:{line} in {function or 'module'}"
        for path in sorted(BROWSER_TESTS.glob("*.py"))
        for line, function in _typed_addresses(path)
        if (path.name, function) not in ALLOWED
    ]
    assert not offenders, (
        "Reach these pages by clicking from home (menu_follow, links, buttons), not by "
        "page.goto: " + ", ".join(offenders)
    )


def test_the_scan_finds_a_typed_address(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def test_x(page):\n    page.goto(page.base_url + '/cases/new/')\n"
        "    getattr(page, 'goto')('/x/')\n",
        encoding="utf-8",
    )
    assert _typed_addresses(sample) == [(2, "test_x"), (3, "test_x")]


def test_sign_in_is_where_the_one_typed_address_is():
    assert [fn for _line, fn in _typed_addresses(BROWSER_TESTS / "conftest.py")] == ["sign_in"]
