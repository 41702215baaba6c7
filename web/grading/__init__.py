"""Expert review in the workspace (issue 13): experts score their group's teams, the 组长 submits,
the secretariat enters presentation scores from a sheet, grades and approves. An adapter over
pipeline.store.grading, which checks every permission again and writes the audit trail."""
