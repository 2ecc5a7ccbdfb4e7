/**
 * Shared pieces of the public pages: escaping, the page shell, security headers and the choice between an
 * HTML answer (a person in a browser) and a JSON one (a mail client or script following the link).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every interpolated value goes through this, attribute or text alike. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * No script, no external asset, forms only back to us, never framed (clickjacking a one-click button).
 * `no-referrer` because the signed token is in the URL and must not leak to any site the page links to.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}fieldset{border:1px solid #ccc;border-radius:6px;margin:1rem 0;padding:.75rem 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eee}
button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #555;background:#f4f4f4;cursor:pointer}
button.primary{background:#0b57d0;color:#fff;border-color:#0b57d0}.error{background:#fde7e7;border:1px solid #c62828;padding:.5rem 1rem;border-radius:6px}
.ok{background:#e6f4ea;border:1px solid #2e7d32;padding:.5rem 1rem;border-radius:6px}.note{color:#555;font-size:.9rem}`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

/** Browsers ask for text/html; mail clients' one-click POSTs and scripts usually do not. */
export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').toLowerCase().includes('text/html');
}

export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** A refusal as a page for people, or the API's `{error}` body for everyone else. */
export function sendRefusal(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, field = 'token'): FastifyReply {
  if (wantsHtml(request)) return sendPage(reply, status, page('This link cannot be used', `<p class="error">${escapeHtml(message)}</p>`));
  return reply.code(status).send({ error: { code, message, details: [{ field, message }] } });
}
