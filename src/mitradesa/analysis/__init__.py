"""Analysis: targeting, inequality, contribution, planning and robustness.

The numeric modules take and return arrays and import nothing of the database or the web
(a test checks), so they are usable from a notebook.
"""
