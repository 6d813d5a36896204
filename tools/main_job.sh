#!/usr/bin/env bash
# The main job (README command 1, via tools/run.sh):
#
#   tools/main_job.sh IMOZURU_BINARY MODEL_DIR OUT_DIR [--gallery] [--at DATE]
#
# Validates the model (--strict), prints its summary, and writes into OUT_DIR
# the key diagrams (sector overview, whole ecosystem and linkage map, ja and en,
# SVG and PNG), slides for a talk in talk/ (a 2016/2020/2026 time-lapse PDF,
# a sectors slide, both in the sectors view's slide form --brief, whose text
# stays readable on a projector; the certificate serial's chain built up hop
# by hop; 16:9)
# and the 芋づる report (report.html and report.md). With --gallery (as
# tools/run.sh passes) it also regenerates the committed gallery and findings
# (docs/gallery/ and its index docs/gallery.md, docs/findings.md, and their
# Japanese pages in docs/ja/) with tools/gallery.py, so a change to the model
# updates them; for an unchanged model they come out byte-identical.
set -euo pipefail

usage() { echo "usage: $0 IMOZURU_BINARY MODEL_DIR OUT_DIR [--gallery] [--at YYYY-MM-DD]" >&2; exit 1; }
[[ $# -ge 3 ]] || usage
imozuru=$1 model=$2 out=$3
shift 3
gallery=0 at=2026-01-01
while [[ $# -gt 0 ]]; do
  case $1 in
    --gallery) gallery=1 ;;
    --at) [[ $# -ge 2 ]] || usage; at=$2; shift ;;
    *) usage ;;
  esac
  shift
done
[[ -x $imozuru ]] || { echo "main_job: $imozuru is not an executable" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dpi=110

echo "== imozuru validate $model --strict"
"$imozuru" validate "$model" --strict
echo
echo "== imozuru info $model --at $at"
"$imozuru" info "$model" --at "$at"
echo

mkdir -p "$out"
written=()
echo "== diagrams as of $at"
for view in sectors flows linkage; do
  for lang in ja en; do
    for ext in svg png; do
      f="$out/${view}_${at}_${lang}.$ext"
      extra=()
      [[ $ext == png ]] && extra=(--dpi "$dpi")
      "$imozuru" render "$model" -o "$f" --view "$view" --at "$at" --lang "$lang" "${extra[@]}"
      written+=("$f")
    done
  done
done

echo "== for a talk (16:9): the story over time, and a chain built up hop by hop"
mkdir -p "$out/talk"
for lang in ja en; do
  f="$out/talk/sectors_2016-2020-2026_16x9_${lang}.pdf"
  "$imozuru" render "$model" -o "$f" --view sectors --dates 2016-01-01,2020-01-01,2026-01-01 \
    --brief --canvas 16:9 --lang "$lang"
  written+=("$f")
  f="$out/talk/sectors_${at}_16x9_${lang}.png"
  "$imozuru" render "$model" -o "$f" --view sectors --brief --at "$at" --canvas 16:9 --dpi "$dpi" --lang "$lang"
  written+=("$f")
  f="$out/talk/serial_to_vaccination_${lang}.png"
  "$imozuru" render "$model" -o "$f" --at "$at" --view chain --from identifier:jpki_serial \
    --to data:vaccination -k 1 --only --steps --canvas 16:9 --dpi "$dpi" --lang "$lang"
  written+=("${f%.png}-NN.png")
done

echo "== 芋づる report"
for ext in html md; do
  "$imozuru" report "$model" -o "$out/report.$ext" --at "$at"
  written+=("$out/report.$ext")
done

if [[ $gallery == 1 ]]; then
  echo "== gallery and findings (docs/)"
  /usr/bin/python3 "$here/gallery.py" "$imozuru" --model "$model" \
    --gallery "$root/docs/gallery" --docs "$root/docs"
  written+=("$root/docs/gallery/" "$root/docs/gallery.md" "$root/docs/findings.md"
            "$root/docs/ja/gallery.md" "$root/docs/ja/findings.md")
fi

echo
echo "== written"
printf '  %s\n' "${written[@]}"
