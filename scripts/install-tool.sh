#!/usr/bin/env bash
# Packs `seqlab` as a .NET tool (libtorch included; the Debian 12 libstdc++ fix applied at pack time)
# and installs it globally: afterwards `seqlab` is on PATH (~/.dotnet/tools).
# `dotnet pack` writes one package per platform (SeqLab.Cli.linux-x64 is about 136 MB, win-x64 88 MB,
# osx-arm64 68 MB) and a small pointer package, SeqLab.Cli, from which `dotnet tool install` picks yours.
# Usage: scripts/install-tool.sh [PACKAGE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/package}
dotnet pack src/SeqLab.Cli -c Release -o "$out"
dotnet tool uninstall --global SeqLab.Cli >/dev/null 2>&1 || true
dotnet tool install --global --add-source "$out" SeqLab.Cli --version "$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)"
echo "installed: run \`seqlab --help\` (add ~/.dotnet/tools to PATH if it is not there)" >&2
