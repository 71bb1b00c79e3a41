"""One way to page a list: `paginate(request, queryset)` and the `_pagination.html` fragment.

The total is counted on at most `cap + 1` rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`), so a list of the
whole country costs what a list of ten thousand does; beyond the cap the page says "more than 10,000" and
numbers stop at the cap's last page.
"""

from dataclasses import dataclass, field

from django.http import QueryDict

PER_PAGE = 50
COUNT_CAP = 10_000


@dataclass
class PageLink:
    number: int | None  # None: an ellipsis
    url: str = ""
    current: bool = False


@dataclass
class Page:
    object_list: list
    number: int
    per_page: int
    total: int
    capped: bool  # the true total is more than `total`
    query: QueryDict = field(repr=False)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    @property
    def last_shown(self) -> int:
        return (self.number - 1) * self.per_page + len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def url(self, number: int) -> str:
        query = self.query.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1)

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1)

    @property
    def links(self) -> list[PageLink]:
        """First, last, and the pages around the current one; ellipses between (the GOV.UK pattern)."""
        wanted = sorted({1, self.num_pages, self.number - 1, self.number, self.number + 1} & set(
            range(1, self.num_pages + 1)))
        links, previous = [], 0
        for number in wanted:
            if number > previous + 1:
                links.append(PageLink(None))
            links.append(PageLink(number, self.url(number), number == self.number))
            previous = number
        return links


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def paginate(request, queryset, *, per_page: int = PER_PAGE, cap: int = COUNT_CAP, param: str = "page",
             count=None) -> Page:
    """The requested page of `queryset` (an ordered queryset or a list). A page past the end shows the last.
    `count`: a cheaper queryset with the same rows, to count instead."""
    if isinstance(queryset, list):
        total = len(queryset)
    else:
        # Only the ids: the rows' annotations (subqueries per row) and joins would otherwise run for every
        # row counted.
        total = (queryset if count is None else count).order_by().values("pk")[: cap + 1].count()
    capped = total > cap
    total = min(total, cap)
    last = max(1, -(-total // per_page))
    number = min(_page_number(request.GET.get(param)), last)
    start = (number - 1) * per_page
    rows = list(queryset[start:min(start + per_page, total)])  # never past the cap
    query = request.GET.copy()
    query.pop(param, None)
    return Page(rows, number, per_page, total, capped, query)
