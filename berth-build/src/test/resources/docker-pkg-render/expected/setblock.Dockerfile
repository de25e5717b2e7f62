FROM registry.example.test/fixtures/literals:1.0-1
RUN apt-get update -o Acquire::Retries=3 \
    && DEBIAN_FRONTEND=noninteractive \
    apt-get install -o Acquire::Retries=3 --yes curl   jq wget --no-install-recommends \
    && apt-get clean && rm -rf /var/lib/apt/lists/* 

RUN echo "line one
line two"

ENV JOINED=x,y,z