"""`mitradesa doctor`: what a production server's configuration lacks, and how to fix it."""
