"""Who may do what: the permission predicates that routes, services and templates share,
and the signed-in user's loading with their preferences."""
