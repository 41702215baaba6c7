"""After 初选: the expert pool, the seeded draw of expert groups, score sheets, aggregation and grades.

Logic only (like checks/): plain functions over the models in `grading.model`, importing nothing of
banzu but `core`. The store (pipeline/store/grading/), the CLI (commands/grading.py) and the
exports (pipeline/exports/grading.py) are adapters around it.
"""
