#!/usr/bin/env bash
# The screenshots in docs/: the report of data/reports + data/found (its first screen and the
# national charts) and of the 31 provincial reports, as an analyst sees them in Chromium at
# 1400 px. Needs Debian's chromium and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
shot() {  # shot PAGE PNG HEIGHT
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,"$3" \
    --virtual-time-budget=3000 --screenshot="$2" "file://$1" 2>/dev/null
}
.venv/bin/targets report data/reports data/found --output "$out/series" --quiet
.venv/bin/targets report data/provincial-2026 --output "$out/provincial" --quiet
shot "$out/series/report.html" docs/report-first-screen.png 1800
shot "$out/provincial/report.html" docs/report-provincial.png 1800
# the charts of the first region: everything else on the page hidden
sed 's|</body>|<script>(function(){var c=document.querySelector(".charts"),d=c.closest("details.region");d.open=true;document.querySelectorAll("main > *").forEach(function(e){if(e!==d)e.style.display="none"});var keep=false;Array.prototype.forEach.call(d.children,function(e){if(e.tagName==="SUMMARY")return;if(e.tagName==="H3"\&\&e.nextElementSibling\&\&e.nextElementSibling.classList.contains("legend"))keep=true;if(!keep)e.style.display="none"});document.querySelector("header.top").style.display="none"})()</script></body>|' \
  "$out/series/report.html" > "$out/series/charts.html"
shot "$out/series/charts.html" docs/report-charts.png 1500
rm -rf "$out"
ls -l docs/report-*.png
