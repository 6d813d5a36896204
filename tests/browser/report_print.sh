#!/usr/bin/env bash
# The reference model's HTML report printed to PDF by headless Chromium, as a
# reader would print it: A4 pages, a few tens of them (not one table row per
# page), a table of contents and page numbers "N / TOTAL". The PDF is kept in
# WORK for a person to look at.
# Usage: report_print.sh IMOZURU FLOWS_DIR WORK
set -euo pipefail
imozuru="$1" flows="$2" work="$3"
chromium="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "report print: $chromium is missing; run tools/setup.sh" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work"
fail=0
for lang in en ja; do
  "$imozuru" report "$flows" --at 2026-01-01 --lang "$lang" -o "$work/report_$lang.html" 2>/dev/null
  timeout 180 "$chromium" --headless=new --no-sandbox --disable-gpu --no-pdf-header-footer \
    --user-data-dir="$work/profile" --print-to-pdf="$work/report_$lang.pdf" "file://$work/report_$lang.html" \
    >/dev/null 2>&1
  info="$(pdfinfo "$work/report_$lang.pdf")"
  pages="$(awk '/^Pages:/{print $2}' <<<"$info")"
  size="$(grep '^Page size:' <<<"$info")"
  echo "report ($lang): $pages pages, $size"
  grep -q '(A4)' <<<"$size" || { echo "report ($lang): not A4" >&2; fail=1; }
  if [ "$pages" -lt 10 ] || [ "$pages" -gt 45 ]; then
    echo "report ($lang): $pages pages, expected a few tens (10 to 45)" >&2
    fail=1
  fi
  first="$(pdftotext -f 1 -l 1 -layout "$work/report_$lang.pdf" -)"
  contents=$([ "$lang" = en ] && echo Contents || echo 目次)
  grep -q "$contents" <<<"$first" || { echo "report ($lang): no table of contents on page 1" >&2; fail=1; }
  grep -q "1 / $pages" <<<"$first" || { echo "report ($lang): no page number '1 / $pages' on page 1" >&2; fail=1; }
  last="$(pdftotext -f "$pages" -l "$pages" "$work/report_$lang.pdf" -)"
  grep -q "$pages / $pages" <<<"$last" || { echo "report ($lang): no '$pages / $pages' on the last page" >&2; fail=1; }
done
exit "$fail"
