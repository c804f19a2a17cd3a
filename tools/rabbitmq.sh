#!/usr/bin/env bash
# A local RabbitMQ for labkit's multi-process lab (labkit.cluster) and its tests.
#   tools/rabbitmq.sh start   install Debian's rabbitmq-server if missing, start it, wait
#   tools/rabbitmq.sh start --no-install   start it only if it is installed
#   tools/rabbitmq.sh stop    stop it
#   tools/rabbitmq.sh status  exit 0 when a broker answers on 127.0.0.1:5672
# Installing needs root or password-less sudo; without them `start` says what to run.
set -euo pipefail

answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi

case "${1:-start}" in
status)
    answers ;;
stop)
    if command -v rabbitmqctl >/dev/null; then $SUDO rabbitmqctl stop >/dev/null 2>&1 || true; fi ;;
start)
    if answers; then echo "rabbitmq: already running on 127.0.0.1:5672"; exit 0; fi
    if ! command -v rabbitmq-server >/dev/null && [ ! -x /usr/sbin/rabbitmq-server ]; then
        if [ "${2:-}" = "--no-install" ]; then
            echo "rabbitmq: not installed (tools/rabbitmq.sh start installs it)"; exit 1
        fi
        echo "rabbitmq: installing Debian's rabbitmq-server (apt)"
        export DEBIAN_FRONTEND=noninteractive
        if ! { $SUDO apt-get update -qq </dev/null >/dev/null &&
               $SUDO apt-get install -y -qq rabbitmq-server </dev/null >/dev/null; }; then
            echo "rabbitmq: could not install it; run: sudo apt-get install rabbitmq-server" >&2
            exit 1
        fi
    fi
    echo "rabbitmq: starting"
    # Debian's package may not start the service (containers deny it): start it directly.
    if ! $SUDO env PATH="/usr/sbin:$PATH" rabbitmq-server -detached >/dev/null 2>&1; then
        echo "rabbitmq: could not start it; run: sudo rabbitmq-server -detached" >&2
        exit 1
    fi
    for _ in $(seq 1 120); do
        if answers; then
            $SUDO env PATH="/usr/sbin:$PATH" rabbitmqctl await_startup >/dev/null 2>&1 || true
            echo "rabbitmq: running on 127.0.0.1:5672 (user guest)"; exit 0
        fi
        sleep 0.5
    done
    echo "rabbitmq: did not start; see /var/log/rabbitmq/" >&2
    exit 1 ;;
*)
    echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
