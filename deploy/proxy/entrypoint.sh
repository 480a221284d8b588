#!/bin/sh
# Start nginx with the container's own DNS server as resolver, so that the API replicas are found
# by service name on every engine (Docker answers on 127.0.0.11, podman on its network's gateway)
# and looked up again as replicas come and go.
set -eu
resolver=$(awk '/^nameserver/ { print $2; exit }' /etc/resolv.conf)
case "$resolver" in *:*) resolver="[$resolver]" ;; esac
sed -e "s|@RESOLVER@|$resolver|" -e "s|@UPSTREAM@|${KG_UPSTREAM:-api:8000}|" \
  /etc/nginx/kg.conf.in > /tmp/nginx.conf
exec nginx -c /tmp/nginx.conf -g "daemon off;"
