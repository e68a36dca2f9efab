import type { ScenarioReport } from './report.js';

/**
 * The report for people: one self-contained HTML file (inline CSS and SVG, no script, no external
 * asset) with who held the lock over time and the faults, send/receive rates with outages shaded,
 * failover durations, and the anomaly table.
 */
const W = 900;
const COLORS = ['#2b6cb0', '#2f855a', '#b7791f', '#6b46c1', '#c53030', '#2c7a7b', '#975a16', '#553c9a', '#9b2c2c'];

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function x(report: ScenarioReport, ts: number): number {
  const span = Math.max(1, report.endedAt - report.startedAt);
  return 60 + ((ts - report.startedAt) / span) * (W - 80);
}

function faultMarks(report: ScenarioReport, height: number): string {
  return report.faults
    .map((f) => `<line x1="${x(report, f.ts).toFixed(1)}" x2="${x(report, f.ts).toFixed(1)}" y1="0" y2="${height}" stroke="#c53030" stroke-dasharray="4 3"><title>${esc(`${f.action} ${f.detail}`)}</title></line>`)
    .join('');
}

function axis(report: ScenarioReport, y: number): string {
  const seconds = Math.ceil((report.endedAt - report.startedAt) / 1000);
  const step = Math.max(1, Math.ceil(seconds / 10));
  const ticks: string[] = [];
  for (let s = 0; s <= seconds; s += step) {
    const px = x(report, report.startedAt + s * 1000).toFixed(1);
    ticks.push(`<text x="${px}" y="${y}" font-size="10" text-anchor="middle">${s}s</text>`);
  }
  return ticks.join('');
}

function lockChart(report: ScenarioReport): string {
  const holders = [...new Set(report.lock.map((s) => s.holder ?? 'nobody'))].sort();
  const rows = holders.map((h, i) => `<text x="4" y="${24 + i * 22}" font-size="11">${esc(h)}</text>`).join('');
  const bars = report.lock
    .map((s) => {
      const i = holders.indexOf(s.holder ?? 'nobody');
      const color = s.holder === null ? '#a0aec0' : COLORS[i % COLORS.length];
      return `<rect x="${x(report, s.from).toFixed(1)}" y="${12 + i * 22}" width="${Math.max(1, x(report, s.to) - x(report, s.from)).toFixed(1)}" height="16" fill="${color}"><title>${esc(`${s.holder ?? 'nobody'} ${s.to - s.from} ms`)}</title></rect>`;
    })
    .join('');
  const dual = report.dualMaster.fromEvents
    .concat(report.dualMaster.fromPorts)
    .map((d) => `<rect x="${x(report, d.from).toFixed(1)}" y="0" width="${Math.max(2, x(report, d.to) - x(report, d.from)).toFixed(1)}" height="${holders.length * 22 + 8}" fill="#c53030" opacity="0.25"><title>two masters: ${esc(d.brokers.join(', '))}</title></rect>`)
    .join('');
  const h = holders.length * 22 + 30;
  return `<svg viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="lock holder over time">${rows}${bars}${dual}${faultMarks(report, h - 14)}${axis(report, h - 2)}</svg>`;
}

function rateChart(report: ScenarioReport): string {
  const h = 180;
  const plot = 150;
  const max = Math.max(1, ...report.rates.map((r) => Math.max(r.sent, r.received)));
  const bucketMs = report.rates.length > 1 ? report.rates[1]!.ts - report.rates[0]!.ts : 250;
  const line = (key: 'sent' | 'received') =>
    report.rates.map((r) => `${x(report, r.ts + bucketMs / 2).toFixed(1)},${(plot - (r[key] / max) * (plot - 10)).toFixed(1)}`).join(' ');
  const outages = report.outages
    .map((o) => `<rect x="${x(report, o.from).toFixed(1)}" y="0" width="${Math.max(1, x(report, o.to) - x(report, o.from)).toFixed(1)}" height="${plot}" fill="#fed7d7"><title>outage ${o.durationMs} ms</title></rect>`)
    .join('');
  const perSecond = Math.round((max * 1000) / bucketMs);
  return `<svg viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="send and receive rate">${outages}
<polyline fill="none" stroke="#2b6cb0" stroke-width="1.5" points="${line('sent')}"/><polyline fill="none" stroke="#2f855a" stroke-width="1.5" points="${line('received')}"/>
<text x="4" y="12" font-size="10">${perSecond}/s</text><text x="4" y="${plot}" font-size="10">0</text>${faultMarks(report, plot)}${axis(report, h - 16)}
<text x="60" y="${h - 2}" font-size="11" fill="#2b6cb0">receipted sends</text><text x="170" y="${h - 2}" font-size="11" fill="#2f855a">deliveries</text><text x="260" y="${h - 2}" font-size="11" fill="#c53030">shaded: outages, dashed: faults</text></svg>`;
}

function failoverChart(report: ScenarioReport): string {
  if (report.failovers.length === 0) return '<p>No fault hit a master.</p>';
  const max = Math.max(1, ...report.failovers.flatMap((f) => [f.clientGapMs ?? 0, f.connectorsOpenMs ?? 0, f.newMasterLockMs ?? 0]));
  const scale = (ms: number) => (ms / max) * (W - 260);
  const rows = report.failovers.map((f, i) => {
    const y = i * 58;
    const bar = (label: string, ms: number | null, dy: number, color: string) =>
      ms === null ? '' : `<rect x="200" y="${y + dy}" width="${Math.max(1, scale(ms)).toFixed(1)}" height="12" fill="${color}"/><text x="${(205 + scale(ms)).toFixed(1)}" y="${y + dy + 10}" font-size="10">${label} ${ms} ms</text>`;
    return `<text x="4" y="${y + 22}" font-size="11">${esc(`${i + 1}. ${f.fault} ${f.broker ?? 'database'} → ${f.newMaster ?? '?'}`)}</text>
${bar('lock taken', f.newMasterLockMs, 4, '#b7791f')}${bar('connectors open', f.connectorsOpenMs, 18, '#6b46c1')}${bar('client gap', f.clientGapMs, 32, '#2b6cb0')}`;
  });
  const h = report.failovers.length * 58 + 6;
  return `<svg viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="failover durations">${rows.join('')}</svg>`;
}

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p>None.</p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderHtmlReport(report: ScenarioReport): string {
  const v = report.verdict;
  const verdictRows = [
    ['sent', v.sent], ['receipted', v.receipted], ['delivered', v.delivered], ['lost', v.lost], ['duplicated', v.duplicated],
    ['  flagged redeliveries', v.duplicatedFlagged], ['  unflagged duplicates', v.duplicatedUnflagged], ['unexpected', v.unexpected],
    ['recovered', v.recovered], ['reordered', v.reordered], ['indeterminate sends', v.indeterminate], ['dual master (ms)', report.dualMasterMs],
    ['aborted (transactions)', v.aborted], ['master changes', report.masterChanges.length], ['  without a fault', report.masterChanges.filter((c) => c.fault === null).length],
  ].map(([k, n]) => [String(k), String(n)]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(report.scenario.name)}: ${report.passed ? 'passed' : 'FAILED'}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:960px;color:#1a202c}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.pass{color:#2f855a}.fail{color:#c53030}table{border-collapse:collapse}td,th{border:1px solid #cbd5e0;padding:3px 8px;text-align:left;white-space:pre}svg{display:block;background:#f7fafc}</style></head>
<body><h1>${esc(report.scenario.name)} <span class="${report.passed ? 'pass' : 'fail'}">${report.passed ? 'PASSED' : 'FAILED'}</span></h1>
<p>${esc(report.scenario.description)}</p>
<p>${esc(`${report.brokers} brokers, ${report.locker}, store ${report.store}${report.seed !== null ? `, seed ${report.seed}` : ''}; ${new Date(report.startedAt).toISOString()}, ${(report.durationMs / 1000).toFixed(1)} s`)}</p>
${report.explanations.length ? `<h2>What happened</h2><ul>${report.explanations.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
<h2>Expectations</h2>${table(['expectation', 'limit', 'actual', 'result'], report.expectations.map((e) => [e.name, `${e.kind === 'max' ? '≤' : '≥'} ${e.limit}`, String(e.actual), e.passed ? 'ok' : 'FAILED']))}
<h2>Verdict</h2>${table(['', 'count'], verdictRows)}
<h2>Who held the lock</h2>${lockChart(report)}
<h2>Send and receive rate</h2>${rateChart(report)}
<h2>Failovers</h2>${failoverChart(report)}
${table(['fault', 'old master', 'old master gone', 'new master', 'lock taken', 'connectors open', 'first client success', 'client gap'], report.failovers.map((f) => [`${f.fault} ${f.broker ?? ''}`, f.oldMaster ?? '-', ms(f.oldMasterGoneMs), f.newMaster ?? '-', ms(f.newMasterLockMs), ms(f.connectorsOpenMs), ms(f.firstClientSuccessMs), ms(f.clientGapMs)]))}
<h2>Faults</h2>${table(['at', 'action', 'target', 'detail'], report.faults.map((f) => [`${f.ts - report.startedAt} ms`, f.action + (f.random ? ' (random)' : ''), f.target, f.ok ? f.detail : `not done: ${f.detail}`]))}
<h2>Outages</h2>${table(['from', 'duration'], report.outages.map((o) => [`${o.from - report.startedAt} ms`, `${o.durationMs} ms`]))}
<h2>Anomalies</h2>${table(['kind', 'group', 'producer', 'seq', 'detail'], report.anomalies.map((a) => [a.kind, a.group ?? '', a.producer, String(a.seq), a.detail]))}
${report.notes.length ? `<h2>Notes</h2><ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

function ms(n: number | null): string {
  return n === null ? '-' : `${n} ms`;
}
