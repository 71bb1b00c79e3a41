"""Reading the indicator pages as a person does: the cells of a table by its id, the page's text."""

from html.parser import HTMLParser


class _Tables(HTMLParser):
    """Rows of the table with `table_id`: each row a list of its cells' text (headers included)."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.rows, self.cell = table_id, 0, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and (self.depth or dict(attrs).get("id") == self.table_id):
            self.depth += 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth -= 1
        elif self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(response, table_id: str) -> list[list[str]]:
    """The table's rows below its header row; [] when the page has no such table."""
    parser = _Tables(table_id)
    parser.feed(response.content.decode())
    return parser.rows[1:]


def values(response, table_id: str = "indicator-values") -> dict[str, str]:
    """First cell (the unit or member) → the value cell."""
    return {row[0]: row[1] for row in table(response, table_id)}


def column(response, name: str, table_id: str = "indicator-values") -> dict[str, str]:
    """First cell → the cell of the column headed `name`."""
    parser = _Tables(table_id)
    parser.feed(response.content.decode())
    header = parser.rows[0]
    index = next(i for i, title in enumerate(header) if title.startswith(name))
    return {row[0]: row[index] for row in parser.rows[1:]}
