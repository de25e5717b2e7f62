FROM registry.example.test/fixtures/bullseye:latest
RUN apt-get update -o Acquire::Retries=3 \
    && DEBIAN_FRONTEND=noninteractive \
    apt-get install -o Acquire::Retries=3 --yes python3 python3-venv --no-install-recommends \
    && apt-get clean && rm -rf /var/lib/apt/lists/* 
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get remove --yes --purge vim \
    && apt-get clean && rm -rf /var/lib/apt/lists/* 
RUN groupadd -o -g 900 -r appuser && useradd -l -o -r -m -d /var/lib/appuser -g appuser -u 900 appuser
USER 65534
USER www-data:root
ENV UPSTREAM=0.1.2 UP2=reg.example/x:1:2
ENV PLAIN=2.3