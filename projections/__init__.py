"""The read side's writers: projectors fold events into views kept in SQL, Redis and search stores."""
