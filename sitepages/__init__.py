"""The service's own pages every UK public-sector service publishes: the accessibility
statement and the privacy notice. Their text is kept in the database (seeded with the
real default text by a data migration) and edited by global administrators."""
