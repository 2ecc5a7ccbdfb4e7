/**
 * The admin pages' shell: a wider page than the buyer-facing one (templates and logs are tables), a
 * navigation bar, and the sign-out form (a POST with the CSRF field, never a GET link another site could fire).
 */
import type { FastifyRequest } from 'fastify';
import { csrfField } from '../admin-session.js';
import type { HttpDeps } from '../deps.js';
import { escapeHtml } from '../pages/html.js';

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;color:#1b1b1b}
nav{display:flex;gap:1rem;align-items:center;border-bottom:1px solid #ddd;padding-bottom:.5rem}nav form{margin-left:auto}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
textarea{width:100%;font:13px/1.4 ui-monospace,monospace;box-sizing:border-box}
button{font:inherit;padding:.35rem .9rem;border-radius:6px;border:1px solid #555;background:#f4f4f4;cursor:pointer}
button.primary{background:#0b57d0;color:#fff;border-color:#0b57d0}
.error{background:#fde7e7;border:1px solid #c62828;padding:.5rem 1rem;border-radius:6px}
.ok{background:#e6f4ea;border:1px solid #2e7d32;padding:.5rem 1rem;border-radius:6px}.note{color:#555;font-size:.9rem}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem;border-radius:6px}
iframe{width:100%;height:24rem;border:1px solid #ccc;border-radius:6px;background:#fff}.tag{font-size:.8rem;padding:0 .4rem;border-radius:4px;background:#eee}
.tag.override{background:#fff3cd}`;

/** `body` is already-escaped HTML; `title` is escaped here. `head` may add same-origin scripts. */
export function adminPage(deps: HttpDeps, request: FastifyRequest, title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · shipment-notifier admin</title><style>${STYLE}</style>${head}</head>
<body><nav><strong>shipment-notifier</strong><a href="/admin">Templates</a><a href="/admin/defaults">Defaults</a><a href="/admin/notifications">Notification log</a><a href="/admin/shipments">Shipments</a><a href="/admin/queues">Queues</a>
<form method="post" action="/admin/logout">${csrfField(deps, request)}<button type="submit">Sign out</button></form></nav>
<main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}
