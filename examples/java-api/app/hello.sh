#!/bin/sh
echo "hello from berth's Java API example: $(jq --version)"
