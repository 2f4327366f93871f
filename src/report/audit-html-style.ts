/**
 * The report's inline stylesheet. Chart colours live here (SVG elements carry classes), so light and
 * dark mode share one set of charts. Blue/orange are distinguishable with common colour-vision deficits.
 */
export const auditCss = `
:root { --fg:#1f2328; --muted:#59636e; --bg:#ffffff; --card:#f6f8fa; --line:#d1d9e0;
  --instr:#f0883e; --resp:#2f6fde; --share:#1a9c8c; --over:#d1242f; --fits:#6e62d9; --ok:#1f883d; --warn:#bf8700; }
@media (prefers-color-scheme: dark) {
  :root { --fg:#e6edf3; --muted:#9198a1; --bg:#0d1117; --card:#161b22; --line:#3d444d; }
}
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg);
  font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif; }
main { max-width:980px; margin:0 auto; padding:32px 24px 64px; }
h1 { font-size:26px; margin:0 0 4px; }
h2 { font-size:19px; margin:36px 0 8px; padding-bottom:6px; border-bottom:1px solid var(--line); }
.meta { color:var(--muted); margin:0 0 20px; word-break:break-all; }
.cards { display:grid; grid-template-columns:repeat(auto-fit,minmax(170px,1fr)); gap:12px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.card .k { color:var(--muted); font-size:13px; }
.card .v { font-size:22px; font-weight:600; font-variant-numeric:tabular-nums; }
.card .s { color:var(--muted); font-size:13px; }
figure { margin:12px 0 0; }
figcaption { color:var(--muted); font-size:13px; margin-top:4px; }
svg.chart { display:block; width:100%; max-width:760px; height:auto; }
svg text { fill:var(--fg); font-size:12px; font-family:inherit; }
svg .tick, svg .axis-label, svg .empty { fill:var(--muted); }
svg .axis-label { font-size:12px; font-style:italic; }
svg .value-label { font-variant-numeric:tabular-nums; }
svg .grid { stroke:var(--line); stroke-width:1; stroke-dasharray:2 3; }
svg .axis { stroke:var(--muted); stroke-width:1; }
svg .seg-instruction { fill:var(--instr); }
svg .seg-response { fill:var(--resp); }
svg .seg-share { fill:var(--share); }
svg .seg-fits { fill:var(--fits); }
svg .seg-over { fill:var(--over); }
svg .seg-target { fill:var(--instr); }
svg .seg-built { fill:var(--share); }
svg .ref-mark { stroke:var(--fg); stroke-width:2.5; }
svg .max-line { stroke:var(--over); stroke-width:2; stroke-dasharray:5 3; }
svg .max-label { fill:var(--over); font-weight:600; }
svg .track { fill:var(--card); stroke:var(--line); }
svg .band { fill:var(--ok); opacity:.18; }
svg .gauge-fill.on-target { fill:var(--ok); }
svg .gauge-fill.off-target { fill:var(--warn); }
svg .target-mark { stroke:var(--fg); stroke-width:3; }
svg .mark-label { font-size:13px; }
svg .strong { font-weight:600; }
svg rect.bar:hover { opacity:.8; }
.table-wrap { overflow-x:auto; }
table { border-collapse:collapse; width:100%; margin-top:12px; font-size:14px; }
th, td { padding:6px 10px; border-bottom:1px solid var(--line); text-align:right; white-space:nowrap;
  font-variant-numeric:tabular-nums; }
th { color:var(--muted); font-weight:600; }
th:first-child, td:first-child { text-align:left; white-space:normal; word-break:break-all; }
tfoot td { font-weight:600; border-top:2px solid var(--line); }
td.ref { color:var(--muted); }
.note { color:var(--muted); font-size:13px; }
`;
