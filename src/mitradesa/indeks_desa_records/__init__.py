"""Indeks Desa results per village and year, and the imports they came from."""
