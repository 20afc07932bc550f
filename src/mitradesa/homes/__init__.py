"""What each role's home page gathers: a partner's portfolio (mitra), a village's tasks
(operator_desa), a pendamping's villages, and a kecamatan's villages with their status.

Each module holds small functions over the services of the other packages; the pages in
`web/pages/homes.py` only show what they return."""
