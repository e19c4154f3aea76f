#!/usr/bin/env bash
# Re-makes the README's screenshots of the sample site (headless Chromium and chromedriver, as
# for the browser tests): home, report, department and search pages, zh and en, 1280 and 375 px.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "$(fc-list :lang=zh)" ]; then
  echo "no Chinese font: the pictures would show boxes. Install one first, e.g." >&2
  echo "  apt-get install fonts-noto-cjk   (or the smaller fonts-wqy-microhei)" >&2
  exit 1
fi
cargo test --test screenshots -- --ignored make_screenshots
ls -l docs/screenshots/*.png
