"""HTTP contract tests of the command and query APIs, mirroring api/routers."""
