#!/usr/bin/env bash
# Packs `seqlab` as a .NET tool (libtorch included; the Debian 12 libstdc++ fix applied at pack time)
# and installs it globally: afterwards `seqlab` is on PATH (~/.dotnet/tools).
# Usage: scripts/install-tool.sh [PACKAGE_DIR]   (the .nupkg is about 350 MB: libtorch is large)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/package}
dotnet pack src/SeqLab.Cli -c Release -o "$out"
dotnet tool uninstall --global SeqLab.Cli >/dev/null 2>&1 || true
dotnet tool install --global --add-source "$out" SeqLab.Cli
echo "installed: run \`seqlab --help\` (add ~/.dotnet/tools to PATH if it is not there)" >&2
