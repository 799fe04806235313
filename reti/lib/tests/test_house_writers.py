"""Only reti/lib/tabular writes CSV or XLSX: a new writer elsewhere would bring back its own
dialect and forget the formula escaping (issues 22 and 23). Declare a tabular.Table instead."""

import ast
from pathlib import Path

import reti

ROOT = Path(reti.__file__).parent
ALLOWED = ROOT / "lib" / "tabular"
# module -> names that write spreadsheets or CSV
FORBIDDEN = {"csv": {"writer", "DictWriter"}, "openpyxl": {"Workbook"}}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if ALLOWED in path.parents or "tests" in path.relative_to(ROOT).parts:
            continue
        yield path


def writers_in(source: str) -> list[str]:
    """`csv.writer`, `csv.DictWriter`, `openpyxl.Workbook` used or imported in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.attr in FORBIDDEN.get(node.value.id, ()):
                found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            for alias in node.names:
                if alias.name in FORBIDDEN.get(top, ()):
                    found.append(f"from {node.module} import {alias.name} (line {node.lineno})")
    return found


def test_the_check_sees_each_form():
    assert writers_in("import csv\nw = csv.writer(f)")
    assert writers_in("import csv\nw = csv.DictWriter(f, [])")
    assert writers_in("from csv import writer")
    assert writers_in("from openpyxl import Workbook")
    assert writers_in("import openpyxl\nopenpyxl.Workbook()")
    assert writers_in("from openpyxl.workbook import Workbook")
    assert not writers_in("import csv\nr = csv.reader(f)\nfrom openpyxl import load_workbook")


def test_no_csv_or_xlsx_writer_outside_the_tabular_package():
    offenders = {
        str(path.relative_to(ROOT.parent)): found
        for path in _sources()
        if (found := writers_in(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "write tables through reti.lib.tabular (a Table of Columns)"
