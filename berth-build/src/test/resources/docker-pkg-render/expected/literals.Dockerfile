FROM registry.example.test/fixtures/bookworm:20240101
RUN echo "first part second part" \
    && echo 'singledoubleagain'
RUN echo a b tab<TAB>here AAé
LABEL quoted="its" unknown_escape="\q"