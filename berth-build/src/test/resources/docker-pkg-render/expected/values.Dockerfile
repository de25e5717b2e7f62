FROM registry.example.test/fixtures/setblock:2.3-4
ENV REGISTRY=registry.example.test NS=fixtures PROXY=None APT_PROXY=None
ENV T=True N=None L="['one', 'two']" M="{'k': 'v'}" F=1.5 W=8
ENV UIDS="900" FORCE=False
ENV HAS_PROXY=no
ENV NOTHING_IS_NONE=yes
RUN echo 1-one!
RUN echo 2-two!
ENV VERIFY="/bin/bash -c {path}/test.sh {image}"
RUN echo {{ not a variable }}
ENV CONSTANTS=ok

