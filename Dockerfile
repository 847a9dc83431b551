# One image for every role of the shop: the command API, the query API and the workers.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 SHOP_DATA_DIR=/data
WORKDIR /app

COPY pyproject.toml README.md requirements.lock ./
COPY domain domain
COPY config config
COPY eventstore eventstore
COPY commands commands
COPY projections projections
COPY queries queries
COPY telemetry telemetry
COPY adapters adapters
COPY api api
COPY app app
COPY simulators simulators
COPY cli cli
COPY bench bench
# The locked versions the test suite passed with, then the project itself.
RUN pip install -r requirements.lock && pip install --no-deps . && useradd --create-home --uid 10001 shop && mkdir -p /data && chown shop /data

USER shop
EXPOSE 8000
CMD ["shop", "serve", "all", "--host", "0.0.0.0", "--port", "8000"]
