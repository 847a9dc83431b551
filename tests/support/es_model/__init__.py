"""A model of an Elasticsearch 9 server for the tests: the APIs the catalog search view
uses, with the semantics the Elasticsearch documentation gives them (each behaviour cites
its page), reached through the real elasticsearch-py client (`model_client`)."""

from tests.support.es_model.node import model_client
from tests.support.es_model.server import ElasticsearchModel

__all__ = ["ElasticsearchModel", "model_client"]
