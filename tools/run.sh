#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job on
# the bundled reference model: validate it, write diagrams and the 芋づる
# report into out/, and regenerate docs/gallery, docs/gallery.md and
# docs/findings.md (with their Japanese pages in docs/ja/).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
tools/build.sh build
tools/main_job.sh build/imozuru flows out --gallery
