/** What the fallback page tells the user to run so that web mode serves the app. */
export const BUILD_APP_HINT = 'the app (the renderer) is not built, so web mode serves a plain status page: run `npm run build:app` in the project folder, then reload';

/**
 * The page web mode serves where the renderer could not be built (`out/renderer` missing): the
 * cluster's brokers and the lock, live from the LabApi WebSocket, under a notice saying why it is
 * not the app and how to get the app. It uses only the public API, like the renderer.
 */
export const STATUS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Failover Lab</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:4px 12px;border-bottom:1px solid #ddd;text-align:left}.master{font-weight:bold;color:#0a0}code{background:#eee;padding:0 3px}</style></head>
<body><h1>Failover Lab</h1>
<p id="not-built" style="padding:8px 12px;border:1px solid #c90;background:#fff6e0">This is not the app: the app (the renderer) is
not built, so web mode serves this plain status page. Run <code>npm run build:app</code> in the project folder
(<code>npm ci</code> runs it too, and says why when it cannot), then reload.</p>
<p id="lock">lock: ?</p>
<table><thead><tr><th>broker</th><th>role</th><th>pid</th><th>ports</th></tr></thead><tbody id="brokers"></tbody></table>
<h2>Events</h2><pre id="log"></pre>
<script>
const token = new URLSearchParams(location.search).get('token');
const api = (cmd, body) => fetch('/api/' + cmd + '?token=' + token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body || {}) }).then((r) => r.json());
const text = (s) => String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
async function refresh() {
  const r = await api('cluster/status');
  if (!r.ok) { document.getElementById('lock').textContent = r.error.message; return; }
  const s = r.result;
  document.getElementById('lock').textContent = 'lock: ' + (s.lock ? s.lock.holder + ' (epoch ' + s.lock.epoch + ')' : 'nobody') + ' - store ' + s.store.kind;
  document.getElementById('brokers').innerHTML = s.brokers.map((b) => '<tr class="' + b.role + '"><td>' + text(b.name) + '</td><td>' + b.role + '</td><td>' + (b.pid ?? '') + '</td><td>' + b.connectors.map((c) => c.port).join(', ') + '</td></tr>').join('');
}
const ws = new WebSocket('ws://' + location.host + '/api/events?token=' + token);
ws.onmessage = (m) => {
  const e = JSON.parse(m.data);
  if (e.type === 'metrics' || e.type === 'lock') return;
  const log = document.getElementById('log');
  log.textContent = new Date(e.ts).toISOString().slice(11, 23) + ' ' + e.type + ' ' + (e.broker || '') + ' ' + (e.role || e.msg || e.detail || '') + '\\n' + log.textContent.slice(0, 20000);
  if (e.type === 'broker-state') refresh();
};
refresh();
setInterval(refresh, 1000);
</script></body></html>
`;
