"""Cross-app tests. The access matrix reports how many requests it made (summed over xdist workers)."""

MATRIX_REQUESTS = "access_matrix_requests"


def pytest_terminal_summary(terminalreporter):
    reports = [r for outcome in ("passed", "failed") for r in terminalreporter.stats.get(outcome, [])]
    counts = [value for r in reports for key, value in getattr(r, "user_properties", []) if key == MATRIX_REQUESTS]
    if counts:
        terminalreporter.write_line(f"access matrix: {sum(counts)} requests over {len(counts)} URL patterns")
