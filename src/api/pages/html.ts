/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A complete page with the shared head and navigation (readable on a phone: the wide columns fold away). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:72rem}table{border-collapse:collapse;width:100%}
td,th{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left;font-size:.9rem;overflow-wrap:anywhere}th{background:#f4f4f4;overflow-wrap:normal}
nav a{margin-right:1rem}form{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}input,select,button{font-size:1rem;padding:.3rem}
a.button{display:inline-block;white-space:nowrap;padding:.2rem .6rem;border:1px solid #36c;border-radius:.3rem;text-decoration:none}
.cal{display:grid;grid-template-columns:repeat(7,1fr);gap:2px;max-width:28rem}.cal div{padding:.4rem;text-align:center;font-size:.8rem;background:#eee}
.cal .has{background:#6c6;color:#fff}.bad{color:#b00;font-weight:bold}
code{font-size:.85rem}@media (max-width:40rem){.wide{display:none}}</style></head>
<body><nav><a href="/">files</a><a href="/availability">availability</a><a href="/jobs">jobs</a><a href="/status">status</a><a href="/api/v1/openapi.json">API</a></nav>
${body}</body></html>`;
}

/** The first value of a query parameter as text ('' when absent or repeated). */
export function queryText(query: unknown, key: string): string {
  const value = (query as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}
