#!/bin/sh
# Installs zsh, fish, dash, jq and bash-completion from Debian's packages when missing: the completion tests
# (test/completion/) run the shells, and bash with bash-completion's _command_offset (what `run -- <Tab>`
# hands over to); the export tests read our output with dash and jq (test/export/).
# Idempotent and quiet: when all are present it does nothing and exits at once.
# Needs root (CI runs as root) or sudo; prints one line saying what it installed.
set -eu

missing=
command -v zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v fish >/dev/null 2>&1 || missing="$missing fish"
command -v dash >/dev/null 2>&1 || missing="$missing dash"
command -v jq >/dev/null 2>&1 || missing="$missing jq"
[ -f /usr/share/bash-completion/bash_completion ] || missing="$missing bash-completion"
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-shells: need$missing but apt-get is not available; install them with your package manager" >&2
    exit 1
fi
sudo=
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
        echo "install-shells: need$missing; run as root or install sudo" >&2
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
    echo "install-shells: could not install$missing" >&2
    exit 1
fi
echo "install-shells: installed$missing"
