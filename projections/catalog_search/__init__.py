"""Catalog search: full text, filters, facets, sorts and paging over listed products."""
