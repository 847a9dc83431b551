"""The real elasticsearch-py client, talking to the model instead of a socket.

The model sits behind an elastic-transport node, so everything above the wire is the
library's own: request building, compatibility headers, error classes by status
(`BadRequestError`, `NotFoundError`, `ConflictError`, ...), the product check and the
bulk helpers with their retries.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

from tests.support.es_model.server import ElasticsearchModel
from tests.support.es_model.state import EsError

Handler = Callable[[ElasticsearchModel, dict[str, str], dict[str, str], Any], Any]


def _status(answer: Any) -> tuple[int, Any]:
    return answer if isinstance(answer, tuple) else (200, answer)


ROUTES: list[tuple[str, str, Handler]] = [
    ("HEAD", r"/_alias/(?P<name>[^/]+)", lambda m, p, q, b: m.get_alias(p["name"])),
    ("GET", r"/_alias/(?P<name>[^/]+)", lambda m, p, q, b: m.get_alias(p["name"])),
    ("POST", r"/_aliases", lambda m, p, q, b: m.update_aliases(b["actions"])),
    ("PUT|POST", r"/_bulk", lambda m, p, q, b: m.bulk(None, b, q)),
    ("PUT|POST", r"/(?P<i>[^/_][^/]*)/_bulk", lambda m, p, q, b: m.bulk(p["i"], b, q)),
    ("GET|POST", r"/_search/scroll", lambda m, p, q, b: m.scroll(b)),
    ("DELETE", r"/_search/scroll", lambda m, p, q, b: m.clear_scroll(b)),
    ("GET|POST", r"/(?P<i>[^/]+)/_search", lambda m, p, q, b: m.search(p["i"], b or {}, q)),
    ("GET|POST", r"/(?P<i>[^/]+)/_mget", lambda m, p, q, b: m.mget(p["i"], b)),
    ("POST", r"/(?P<i>[^/]+)/_refresh", lambda m, p, q, b: m.refresh(p["i"])),
    (
        "PUT|POST",
        r"/(?P<i>[^/]+)/_doc/(?P<id>[^/]+)",
        lambda m, p, q, b: m.index_doc(p["i"], p["id"], b, q),
    ),
    ("GET", r"/(?P<i>[^/]+)/_doc/(?P<id>[^/]+)", lambda m, p, q, b: m.get_doc(p["i"], p["id"])),
    ("PUT", r"/(?P<i>[^/_][^/]*)", lambda m, p, q, b: m.create_index(p["i"], b or {})),
    (
        "HEAD|GET",
        r"/(?P<i>[^/_][^/]*)",
        lambda m, p, q, b: m.get_indices(p["i"], q.get("ignore_unavailable") == "true"),
    ),
    (
        "DELETE",
        r"/(?P<i>[^/_][^/]*)",
        lambda m, p, q, b: m.delete_indices(p["i"], q.get("ignore_unavailable") == "true"),
    ),
]


def dispatch(model: ElasticsearchModel, method: str, target: str, raw: bytes | None) -> tuple:
    """(status, body) for one request, served alone under the model's lock."""
    url = urlsplit(target)
    request = f"{method} {url.path}"
    with model.lock:
        model.requests.append(request)
        answer = _serve(model, method, url.path, dict(parse_qsl(url.query, True)), raw)
    model.faults.arrive(request)  # outside the lock, so the others can be served meanwhile
    return answer


def _serve(model: ElasticsearchModel, method: str, path: str, params: dict, raw: Any) -> tuple:
    body = _decode(path, raw)
    for methods, pattern, handler in ROUTES:
        found = re.fullmatch(pattern, path)
        if found and method in methods.split("|"):
            groups = {k: unquote(v) for k, v in found.groupdict().items()}
            try:
                return _status(handler(model, groups, params, body))
            except EsError as error:
                return error.status, error.body()
    raise NotImplementedError(f"{method} {path} is not modelled")


def _decode(path: str, raw: bytes | None) -> Any:
    if not raw:
        return None
    if path.endswith("/_bulk"):  # NDJSON: one action or source per line
        return [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
    return json.loads(raw)


class ModelNode(BaseNode):
    """An elastic-transport node whose server is `model` (set on a subclass per model)."""

    _CLIENT_META_HTTP_CLIENT = ("mo", "1")
    model: ElasticsearchModel

    def perform_request(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: Any = None,
        request_timeout: Any = None,
    ) -> NodeApiResponse:
        started = time.monotonic()
        status, answer = dispatch(self.model, method, target, body)
        headers = HttpHeaders(
            {"x-elastic-product": "Elasticsearch", "content-type": "application/json"}
        )
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=headers,
            duration=time.monotonic() - started,
            node=self.config,
        )
        payload = b"" if method == "HEAD" else json.dumps(answer).encode()
        return NodeApiResponse(meta, payload)


def model_client(model: ElasticsearchModel, **options: Any) -> Elasticsearch:
    """An `Elasticsearch` client whose every request the model serves."""
    node = type("ModelNodeFor", (ModelNode,), {"model": model})
    return Elasticsearch("http://es-model:9200", node_class=node, **options)
