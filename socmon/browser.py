"""Browser-test fixtures: Playwright's Python package driving Debian's Chromium (never a downloaded one)."""
