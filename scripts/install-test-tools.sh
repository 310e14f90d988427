#!/usr/bin/env bash
# Installs the package tools the test tiers drive for real: Maven and a JDK (mvn, javac), Debian's twine, the
# AWS CLI when none is on PATH, Debian's AWS CLI v2 at /usr/bin/aws (the emulator's CLI tests run every
# operation with v1 and v2), Debian's ruby and ruby-bundler (gem, bundle) and python3-poetry (poetry). Idempotent:
# returns at once when everything is present.
set -euo pipefail

missing=()
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
[ -x /usr/bin/twine ] || missing+=(twine)
command -v pip >/dev/null 2>&1 || command -v pip3 >/dev/null 2>&1 || missing+=(python3-pip)
# The machine image carries the AWS CLI v1 (pip); PyPI is not reachable here, so Debian's v2 is the fallback.
# Debian's awscli is v2 and installs /usr/bin/aws; the v2 pass of the emulator's CLI tests runs that binary.
if ! command -v aws >/dev/null 2>&1 || [ ! -x /usr/bin/aws ]; then missing+=(awscli); fi
command -v gem >/dev/null 2>&1 || missing+=(ruby)
command -v bundle >/dev/null 2>&1 || missing+=(ruby-bundler)
# Poetry: the emulator's PyPI tests (packages/codeartifact-emulator/test/poetry.test.ts) and the login tests.
[ -x /usr/bin/poetry ] || missing+=(python3-poetry)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "install-test-tools: apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
