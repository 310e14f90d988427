#!/usr/bin/env bash
# Installs what the integration tests need to run real VS Code offline: Debian packages (native build
# deps, ripgrep, Chromium) and code-server 4.100.3 in .vscode-test/code-server/. Idempotent: when
# everything is present it returns at once. See /work/shared/real-vscode-offline.md for the why.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.100.3
RG_PKG_VERSION=1.15.11         # @vscode/ripgrep version pulled in by code-server 4.100.3
RG_RELEASE=v13.0.0-10          # the rg release that @vscode/ripgrep 1.15.11 downloads
DEST=.vscode-test/code-server
MARKER="$DEST/.installed-$CODE_SERVER_VERSION"
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium)

log() { echo "install-code-server: $*" >&2; }

missing_apt=()
for p in "${APT_PACKAGES[@]}"; do
  # dpkg-query is fast (no lock, no network); "install ok installed" means fully configured.
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
    missing_apt+=("$p")
  fi
done

if [ ${#missing_apt[@]} -eq 0 ] && [ -f "$MARKER" ] && [ -x "$DEST/node_modules/.bin/code-server" ]; then
  exit 0
fi

started=$(date +%s)

if [ ${#missing_apt[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=(sudo); else
      log "need root (or sudo) to install: ${missing_apt[*]}"; exit 1
    fi
  fi
  log "apt-get install ${missing_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt run (a parallel job, unattended-upgrades) may hold the lock: wait for it, bounded.
  lock=(-o DPkg::Lock::Timeout=600)
  "${SUDO[@]}" apt-get "${lock[@]}" update -qq
  "${SUDO[@]}" apt-get "${lock[@]}" install -y -qq --no-install-recommends "${missing_apt[@]}" >/dev/null
fi

if ! [ -f "$MARKER" ] || ! [ -x "$DEST/node_modules/.bin/code-server" ]; then
  log "npm install code-server@$CODE_SERVER_VERSION into $DEST"
  mkdir -p "$DEST"
  # @vscode/ripgrep's postinstall downloads rg from GitHub, which is unreachable offline; it first
  # looks for the tarball in its cache under os.tmpdir(), so we put Debian's rg there.
  tmp_root=${TMPDIR:-/tmp}
  case "$(uname -m)" in
    x86_64) rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-gnu ;;
    *) rg_target="" ;;
  esac
  if [ -n "$rg_target" ]; then
    cache="$tmp_root/vscode-ripgrep-cache-$RG_PKG_VERSION"
    tarball="$cache/ripgrep-$RG_RELEASE-$rg_target.tar.gz"
    if ! [ -s "$tarball" ]; then
      mkdir -p "$cache"
      stage=$(mktemp -d)
      cp "$(command -v rg)" "$stage/rg"
      tar -czf "$tarball.tmp" -C "$stage" rg
      mv "$tarball.tmp" "$tarball"
      rm -rf "$stage"
    fi
  fi
  # A folder of its own with its own package.json: keeps ~320 MB out of the extension's node_modules.
  if ! [ -f "$DEST/package.json" ]; then
    printf '{ "name": "code-server-host", "private": true }\n' > "$DEST/package.json"
  fi
  # npm 11 as root: unsafe_perm lets code-server's postinstall run, yes lets its inner `npx node-gyp` proceed.
  (
    cd "$DEST"
    npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  if ! [ -x "$DEST/node_modules/.bin/code-server" ]; then
    log "code-server was not installed ($DEST/node_modules/.bin/code-server missing)"; exit 1
  fi
  touch "$MARKER"
fi

log "done in $(( $(date +%s) - started )) s"
