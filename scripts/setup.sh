#!/usr/bin/env bash
# Installs what mi needs on Debian when it is missing, then checks the Swift
# toolchain. Safe to run repeatedly: it only touches what is not there yet.
set -euo pipefail

packages=(
  libopenblas-dev          # BLAS for the engine (cblas.h, libopenblas)
  libreadline-dev          # the REPL
  libgnuplot-iostream-dev  # brings gnuplot, which draws every figure
  dataset-fashion-mnist    # images for the representation-learning notebooks
  zlib1g-dev               # reading the gzipped IDX image files
  libcmark-gfm-dev         # GitHub's CommonMark library: the rendered documents' HTML pages
  libcmark-gfm-extensions-dev  # its tables, strikethrough and autolinks
  pkg-config               # how SwiftPM finds the system libraries
  tmux                     # terminal tests of the REPL and step mode
  qemu-user                # portability test: mi on CPUs without AVX2 or AVX-512
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    [ -x "$dir/swift" ] && export PATH="$dir:$PATH"
  done
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "setup: no Swift toolchain found. Install Swift 6 (https://www.swift.org/install/linux/)" \
       "and put its usr/bin on PATH." >&2
  exit 1
fi
command -v gnuplot >/dev/null || { echo "setup: gnuplot is still missing" >&2; exit 1; }
echo "setup: ok ($(swift --version 2>/dev/null | head -1))" >&2
