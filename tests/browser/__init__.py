"""Browser tests (a package, so that the browser fixtures end with this folder: see conftest.py)."""
