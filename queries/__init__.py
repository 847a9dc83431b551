"""The read side's readers: query objects over views, returning the answers the API serves.

Each query takes its view as a protocol declared here (the shape it reads), so queries
never import the projections that write those views; the composition root pairs them.
Results are pydantic models: the one definition of each answer, used as the HTTP
response model too.
"""
