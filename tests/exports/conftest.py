"""The exports work on the same realistic run results as the reports tests."""

from tests.reports.conftest import (  # noqa: F401
    archive,
    completeness,
    flags,
    run_dir,
    screenshot_dir,
    statistics,
    summary,
)
