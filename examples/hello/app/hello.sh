#!/bin/sh
echo "$GREETING"
cat /opt/greeting/message.txt
