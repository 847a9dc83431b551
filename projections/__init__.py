"""The read side's writers: projectors fold events into views in SQL, Redis and search."""
