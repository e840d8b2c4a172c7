# credit-rules serve in a container: the shipped catalogs and rules, the key file mounted at run time.
#
#   docker build -t credit-rules .
#   docker run --rm -p 8000:8000 -v "$PWD/examples/service/keys.yaml:/etc/credit-rules/keys.yaml:ro" \
#       -v credit-rules-register:/var/lib/credit-rules credit-rules
#
# SIGTERM (docker stop) lets requests in flight finish (--graceful-timeout, below docker's 10 s default stop
# timeout unless `docker stop -t` says more); SIGHUP (docker kill -s HUP) reloads the catalogs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY catalogs ./catalogs
COPY rules ./rules
RUN pip install '.[serve]' && rm -rf /src

RUN useradd --system --uid 10001 credit && mkdir -p /var/lib/credit-rules /etc/credit-rules \
    && chown credit /var/lib/credit-rules
USER credit
WORKDIR /var/lib/credit-rules
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health').status != 200)"

# --workers: at most the container's CPU count; 0.0.0.0 because the port is published by the container runtime
CMD ["credit-rules", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "1", "--graceful-timeout", "8", \
     "--keys", "/etc/credit-rules/keys.yaml", "--register", "/var/lib/credit-rules/queries.sqlite"]
