"""Imports in the browser: the kinds of table, staged uploads, a dry run that previews what
an import would do, and the import itself as a background job. The importing is done by the
same use cases as the command line (`idm_records`, `indeks_desa_records`, `partnerships`,
`mentoring`); this package only stages, previews and runs them for a user."""
