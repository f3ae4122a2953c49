"""The kernel every layer may use: errors, numbers, natural sort, stored-text rules, the
password policy, translation markers, the clock and the field declarations. Nothing here
reads a Flask request, the database session or a form library."""
