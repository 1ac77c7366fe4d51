#!/bin/sh
# Installs, from Debian's packages, the readers the tests run that we did not write, when missing:
# - zsh, fish and bash-completion (its _command_offset is what `run -- <Tab>` hands over to): test/completion/;
# - dash and jq, which read our export output: test/export/;
# - the AWS CLI (awscli, /usr/bin/aws), which reads `scoped refs` output (ECS) and version stages against moto.
# Idempotent and quiet: when all are present it does nothing and exits at once.
# Needs root (CI runs as root) or sudo; prints one line saying what it installed.
set -eu

missing=
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v fish >/dev/null 2>&1 || missing="$missing fish"
command -v dash >/dev/null 2>&1 || missing="$missing dash"
command -v jq >/dev/null 2>&1 || missing="$missing jq"
[ -f /usr/share/bash-completion/bash_completion ] || missing="$missing bash-completion"
[ -x /usr/bin/aws ] || missing="$missing awscli"
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-test-tools: need$missing but apt-get is not available; install them with your package manager" >&2
    exit 1
fi
sudo=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
        echo "install-test-tools: need$missing; run as root or install sudo" >&2
        exit 1
    fi
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # $missing is a list of package names
if ! { $sudo apt-get install -y -qq --no-install-recommends $missing >"$log" 2>&1 ||
       { $sudo apt-get update -qq >>"$log" 2>&1 && $sudo apt-get install -y -qq --no-install-recommends $missing >>"$log" 2>&1; }; }; then
    cat "$log" >&2
    echo "install-test-tools: could not install$missing" >&2
    exit 1
fi
echo "install-test-tools: installed$missing"
