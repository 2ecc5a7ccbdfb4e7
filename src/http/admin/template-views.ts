/**
 * HTML for the template list and the editor. Rendering only: the routes in `template-routes.ts` decide
 * what to show. Every interpolated value is escaped; an HTML preview goes into a sandboxed iframe's
 * `srcdoc` (no scripts, no same-origin), so a template can never run code in the admin's session.
 */
import { NOTIFICATION_KINDS, type NotificationKind } from '../../domain/types.js';
import type { TemplatePart } from '../../render/template-files.js';
import { TEMPLATE_PARTS } from '../../render/template-files.js';
import type { TemplateVersion } from '../../store/template-overrides.js';
import type { ErrorDetail } from '../errors.js';
import { escapeHtml } from '../pages/html.js';
import type { PartPreview } from '../template-preview.js';

export interface TemplateRow {
  locale: string;
  kind: NotificationKind;
  part: TemplatePart;
  origin: 'file' | 'override';
  version: number | null;
}

export const editorPath = (locale: string, kind: string, part: string) =>
  `/admin/templates/${encodeURIComponent(locale)}/${encodeURIComponent(kind)}/${encodeURIComponent(part)}`;

export function listView(locales: readonly string[], rows: readonly TemplateRow[]): string {
  const byKey = new Map(rows.map((r) => [`${r.locale}/${r.kind}/${r.part}`, r]));
  return locales
    .map((locale) => {
      const body = NOTIFICATION_KINDS.map((kind) => {
        const cells = TEMPLATE_PARTS.map((part) => {
          const r = byKey.get(`${locale}/${kind}/${part}`);
          const tag = r?.origin === 'override' ? `<span class="tag override">override v${escapeHtml(r.version)}</span>` : '<span class="tag">file</span>';
          return `<td><a href="${escapeHtml(editorPath(locale, kind, part))}">${escapeHtml(part)}</a> ${tag}</td>`;
        }).join('');
        return `<tr><th scope="row">${escapeHtml(kind)}</th>${cells}</tr>`;
      }).join('\n');
      return `<h2>Locale ${escapeHtml(locale)}</h2>
<table><thead><tr><th scope="col">Kind</th>${TEMPLATE_PARTS.map((p) => `<th scope="col">${escapeHtml(p)}</th>`).join('')}</tr></thead><tbody>
${body}
</tbody></table>`;
    })
    .join('\n');
}

/** The preview of one part, shaped by its channel: HTML sandboxed, SMS with its segments. */
export function previewView(preview: PartPreview | undefined): string {
  if (!preview) return '<p class="note">Press Preview (or type, with JavaScript on) to render the draft with the sample data.</p>';
  if (preview.part === 'email.html') return `<iframe sandbox="" title="HTML preview" id="preview-frame" srcdoc="${escapeHtml(preview.output)}"></iframe>`;
  const meta =
    preview.part === 'sms'
      ? `<p class="note" id="preview-meta">${escapeHtml(preview.segments)} segment${preview.segments === 1 ? '' : 's'}, ${escapeHtml(preview.encoding)}, ${escapeHtml([...preview.output].length)} characters</p>`
      : '';
  return `<pre id="preview-text">${escapeHtml(preview.output)}</pre>${meta}`;
}

export function problemsView(problems: readonly ErrorDetail[] | undefined): string {
  if (!problems || problems.length === 0) return '';
  const items = problems
    .map((p) => {
      const d = p as ErrorDetail & { line?: number; column?: number; reason?: string };
      const where = d.line !== undefined ? `Line ${d.line}, column ${d.column ?? '?'}: ` : '';
      return `<li>${escapeHtml(where)}${escapeHtml(d.reason ?? d.message)}</li>`;
    })
    .join('');
  return `<div class="error" role="alert" id="problems"><strong>Not saved.</strong><ul>${items}</ul></div>`;
}

export interface EditorModel {
  locale: string;
  kind: NotificationKind;
  part: TemplatePart;
  origin: 'file' | 'override';
  version: number | null;
  source: string;
  csrf: string;
  csrfField: string;
  versions: readonly TemplateVersion[];
  preview?: PartPreview;
  problems?: readonly ErrorDetail[];
  notice?: string;
}

function versionsView(m: EditorModel, action: string): string {
  if (m.versions.length === 0) return '<p class="note">No saved versions: this template renders from its file.</p>';
  const rows = [...m.versions]
    .reverse()
    .map((v) => {
      const current = m.origin === 'override' && v.version === m.version;
      const how = v.action === 'rollback' ? `rollback to v${v.from ?? '?'}` : 'save';
      const button = current
        ? '<em>current</em>'
        : `<form method="post" action="${escapeHtml(action)}/rollback">${m.csrfField}<input type="hidden" name="version" value="${escapeHtml(v.version)}"><button type="submit" name="rollback" value="${escapeHtml(v.version)}">Roll back to v${escapeHtml(v.version)}</button></form>`;
      return `<tr><td>v${escapeHtml(v.version)}</td><td>${escapeHtml(v.savedAt)}</td><td>${escapeHtml(v.by)}</td><td>${escapeHtml(how)}</td><td><pre>${escapeHtml(v.source.slice(0, 200))}</pre></td><td>${button}</td></tr>`;
    })
    .join('\n');
  return `<table><thead><tr><th>Version</th><th>Saved</th><th>By</th><th>How</th><th>Text</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function editorView(m: EditorModel): string {
  const action = editorPath(m.locale, m.kind, m.part);
  const origin = m.origin === 'override' ? `override v${m.version}` : 'file default';
  const revert =
    m.origin === 'override'
      ? `<form method="post" action="${escapeHtml(action)}/revert">${m.csrfField}<button type="submit">Use the file default again</button></form>`
      : '';
  return `${m.notice ? `<p class="ok" role="status">${escapeHtml(m.notice)}</p>` : ''}
<p><a href="/admin">← All templates</a> · Now rendering from: <strong id="origin">${escapeHtml(origin)}</strong></p>
${problemsView(m.problems)}
<div class="cols">
<form method="post" action="${escapeHtml(action)}" id="editor" data-kind="${escapeHtml(m.kind)}" data-locale="${escapeHtml(m.locale)}" data-part="${escapeHtml(m.part)}" data-csrf="${escapeHtml(m.csrf)}">
${m.csrfField}
<p><label for="source">Template source (Handlebars)</label><br>
<textarea id="source" name="source" rows="18" spellcheck="false">${escapeHtml(m.source)}</textarea></p>
<p><button type="submit" name="action" value="preview">Preview</button> <button class="primary" type="submit" name="action" value="save">Save</button></p>
</form>
<section aria-live="polite"><h2>Preview (${escapeHtml(m.part)}, sample data)</h2><div id="preview">${previewView(m.preview)}</div></section>
</div>
${revert}
<h2>Version history</h2>
${versionsView(m, action)}`;
}
