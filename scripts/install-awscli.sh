#!/bin/sh
# Installs the AWS CLI from Debian's package (awscli, /usr/bin/aws) when missing: test/commands/refs/moto.test.ts has ECS read
# scoped refs' output with `aws ecs register-task-definition` against moto, a reader we did not write.
# Idempotent and quiet: when /usr/bin/aws is there it does nothing and exits at once.
# Needs root (CI runs as root) or sudo; prints one line saying what it installed.
set -eu

[ -x /usr/bin/aws ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-awscli: need /usr/bin/aws but apt-get is not available; install the AWS CLI with your package manager" >&2
    exit 1
fi
sudo=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
        echo "install-awscli: need /usr/bin/aws; run as root or install sudo" >&2
        exit 1
    fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get install -y -qq --no-install-recommends awscli >"$log" 2>&1 ||
       { $sudo apt-get update -qq >>"$log" 2>&1 && $sudo apt-get install -y -qq --no-install-recommends awscli >>"$log" 2>&1; }; }; then
    cat "$log" >&2
    echo "install-awscli: could not install awscli" >&2
    exit 1
fi
echo "install-awscli: installed awscli ($(/usr/bin/aws --version 2>&1))"
