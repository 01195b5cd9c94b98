import csv
import io

import pytest

from signpost.insights.csvfiles import csv_response, csv_text, neutralise


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"],
)
def test_formula_cells_are_neutralised(text: str) -> None:
    assert neutralise(text) == "'" + text


def test_numbers_and_plain_text_are_unchanged() -> None:
    assert neutralise(-5) == -5
    assert neutralise(3.5) == 3.5
    assert neutralise("Birmingham") == "Birmingham"
    assert neutralise(None) == ""


def test_every_cell_of_a_file_is_neutralised() -> None:
    text = csv_text(["=Area", "Count"], [["=cmd|' /C calc'!A0", 4], ["Coventry", -1]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["'=Area", "Count"]
    assert rows[1][0].startswith("'=")
    assert rows[2] == ["Coventry", "-1"]


def test_response_is_an_attachment() -> None:
    response = csv_response("figures.csv", ["A"], [[1]])
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'
    assert response["Content-Type"].startswith("text/csv")
