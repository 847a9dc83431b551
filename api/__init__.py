"""HTTP entry points: the command API, the query API and the embedded all-in-one server."""
