// The console's stylesheet: a dark theme with contrast above WCAG AA, tables that scroll sideways on a
// phone, and the colours of the charts (the SVGs carry classes, never inline styles, which the
// content security policy refuses).
export const STYLE = `:root{color-scheme:dark;--bg:#0f1115;--panel:#171a21;--line:#2d3340;--field:#5a6375;--text:#e6e8ec;--muted:#a9b0bd;--link:#8cc4ff;--ok:#5fd38d;--warn:#f0b24a;--bad:#ff8a80;--accent:#2b5fa8}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
.skip{position:absolute;left:-9999px}
.skip:focus{left:.5rem;top:.5rem;background:var(--panel);padding:.25rem .5rem;z-index:2}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;padding:.6rem 1rem;border-bottom:1px solid var(--line);background:var(--panel)}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--text)}
nav ol{display:flex;flex-wrap:wrap;gap:.3rem;list-style:none;margin:0;padding:0}
nav li+li::before{content:"/";color:var(--muted);margin-right:.3rem}
.live{margin-left:auto;color:var(--muted);font-size:.85rem}
.live.on::before{content:"\\25CF";color:var(--ok);margin-right:.3rem}
main{padding:1rem;max-width:80rem;margin:0 auto}
footer{padding:1rem;color:var(--muted);font-size:.85rem;text-align:center;overflow-wrap:anywhere}
h1{font-size:1.4rem;margin:.2rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
p{margin:.4rem 0}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:6px;background:var(--panel)}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:.45rem .6rem;text-align:left;border-bottom:1px solid var(--line);white-space:nowrap;vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:.85rem}
.n{text-align:right}
tbody tr:last-child>*{border-bottom:0}
td.empty{color:var(--muted);white-space:normal}
pre{margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
td.wrap{white-space:normal;min-width:14rem;max-width:40rem}
.muted{color:var(--muted)}
.spark{display:block}
.spark polyline{fill:none;stroke:var(--link);stroke-width:1.5}
.spark circle{fill:var(--link)}
.bar{width:8rem;height:.6rem;display:inline-block;vertical-align:middle;margin-left:.4rem}
.bar rect{fill:var(--link)}
.bar .track{fill:var(--line)}
dl.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.6rem;margin:0}
dl.cards div{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.45rem .7rem}
dl.cards dt{color:var(--muted);font-size:.8rem}
dl.cards dd{margin:0;font-size:1.3rem;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
dl.settings{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}
dl.settings dt{color:var(--muted)}
dl.settings dd{margin:0;overflow-wrap:anywhere}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr));gap:1rem 2rem}
form.stack{display:grid;gap:.6rem;max-width:40rem;margin-top:.8rem}
.row{display:flex;flex-wrap:wrap;gap:.6rem}
.row>label{flex:1 1 10rem}
label{display:grid;gap:.2rem;color:var(--muted);font-size:.9rem}
label>span{display:block}
input,textarea,select{font:inherit;color:var(--text);background:var(--bg);border:1px solid var(--field);border-radius:4px;padding:.4rem .5rem;width:100%}
textarea{min-height:6rem;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
:focus-visible{outline:2px solid var(--link);outline-offset:2px}
button,.button{font:inherit;border:0;border-radius:4px;padding:.45rem .9rem;background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block;justify-self:start}
.danger{background:#b3261e}
button.link{background:none;color:var(--link);padding:0;text-decoration:underline}
form.inline{display:inline}
.notice{padding:.6rem .8rem;border-radius:6px;border:1px solid;background:var(--panel);overflow-wrap:anywhere}
.notice.ok{border-color:var(--ok)}
.notice.error{border-color:var(--bad)}
.badge{font-size:.75rem;border:1px solid var(--warn);color:var(--warn);border-radius:999px;padding:0 .5rem;white-space:nowrap}
.tag{font-size:.75rem;border:1px solid var(--field);color:var(--muted);border-radius:999px;padding:0 .45rem;margin-left:.4rem;white-space:nowrap}
.bad{color:var(--bad)}
.warn{color:var(--warn)}
svg.shardbar{width:100%;height:2.5rem;display:block;border-radius:4px}
ul.legend{display:flex;flex-wrap:wrap;gap:.2rem 1rem;list-style:none;margin:.4rem 0;padding:0;font-size:.9rem}
.c0 rect{fill:#8cc4ff}.c1 rect{fill:#5fd38d}.c2 rect{fill:#f0b24a}.c3 rect{fill:#c9a7ff}.c4 rect{fill:#ff9e80}.c5 rect{fill:#6fe0e0}
.graph{overflow-x:auto}
svg.lineage{display:block}
.lineage rect{fill:var(--panel);stroke:var(--field)}
.lineage .open rect{stroke:var(--ok);stroke-width:2}
.lineage text{fill:var(--text);font-size:12px;text-anchor:middle}
.lineage .closed text{fill:var(--muted)}
.edges path{fill:none;stroke:var(--muted)}
ol.tail{list-style:none;margin:0;padding:0}
ol.tail li{padding:.3rem .6rem;border-bottom:1px solid var(--line)}
ol.tail li:last-child{border-bottom:0}
progress{width:100%;max-width:30rem;height:1rem}
@media (max-width:40rem){main{padding:.6rem}th,td{padding:.35rem .45rem}.wide{display:none}}
`;
