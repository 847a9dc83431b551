"""Operations plumbing shared by the APIs and the workers: JSON logs and Prometheus metrics.

Nothing here runs at import: the APIs call `api.ops.install_operations(app)`, the workers
call `configure_logging(settings)` and `serve_worker_metrics(...)` once at start.
"""
