"""banzu's bottom layer: the document and result models, settings, reference data and problem codes.

It imports nothing of banzu's own; `extractors/` and `checks/` import only it.
"""
