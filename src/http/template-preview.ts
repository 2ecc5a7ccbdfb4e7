/**
 * What the template API renders with: the documented sample data, or a real shipment laid over it (the
 * recipient and links stay the sample's, so a preview never signs links for a real person).
 */
import type { NotificationKind } from '../domain/types.js';
import { sampleContext, type TemplateContext } from '../render/context.js';
import type { TemplateEngine, TemplatePart } from '../render/engine.js';
import { TemplateContextError, TemplateError, type TemplateProblem } from '../render/errors.js';
import { smsSegments } from '../render/sms-segments.js';
import { TEMPLATE_PARTS } from '../render/template-files.js';
import type { HttpDeps } from './deps.js';
import { ApiError } from './errors.js';

export interface PartPreview {
  part: TemplatePart;
  output: string;
  /** SMS only: how the body is sent and billed. */
  encoding?: 'GSM-7' | 'UCS-2';
  segments?: number;
}

/** 422 listing every problem, each with its line, column and reason; the first one is the message. */
export function templateRefusal(problems: readonly TemplateProblem[]): ApiError {
  const details = problems.map((p) => ({ field: 'source', message: p.message, file: p.file, line: p.line, column: p.column, reason: p.reason }));
  return new ApiError(422, 'invalid_template', `The template was refused: ${problems[0]?.reason ?? 'invalid'}`, details);
}

/** The sample context for `kind`, or that kind with a real shipment's data. */
export async function previewContext(deps: HttpDeps, kind: NotificationKind, locale: string, shipmentId?: string): Promise<TemplateContext> {
  const ctx = sampleContext(kind, locale);
  if (!shipmentId) return ctx;
  const shipment = await deps.stores.shipments.get(shipmentId);
  if (!shipment) throw new ApiError(404, 'shipment_not_found', `No shipment "${shipmentId}".`, [{ field: 'shipmentId', message: 'unknown shipment' }]);
  const order = await deps.stores.orders.get(shipment.orderId);
  const last = shipment.events[shipment.events.length - 1];
  ctx.shipment = {
    id: shipment.id,
    carrier: shipment.carrierName ?? shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    trackingUrl: shipment.trackingUrl,
    status: shipment.status,
    ...(shipment.subStatus ? { subStatus: shipment.subStatus } : {}),
    ...(shipment.eta ? { eta: shipment.eta } : {}),
    ...(last ? { lastEvent: { time: last.time, description: last.description, status: last.status, ...(last.location ? { location: last.location } : {}) } } : {}),
  };
  ctx.order = order ? { id: order.orderId, items: order.items, total: order.total, currency: order.currency } : null;
  ctx.proof = shipment.proof ?? null;
  ctx.links = { ...ctx.links, track: shipment.trackingUrl ?? ctx.links.track };
  return ctx;
}

function describe(part: TemplatePart, output: string): PartPreview {
  if (part !== 'sms') return { part, output };
  const { encoding, segments } = smsSegments(output);
  return { part, output, encoding, segments };
}

/** Run `render`, turning template and context failures into 422s the editor can show. */
export function guarded<T>(render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (error instanceof TemplateError) throw templateRefusal(error.problems);
    if (error instanceof TemplateContextError) throw new ApiError(422, error.code, error.message, [{ field: 'shipmentId', message: error.message }]);
    throw error;
  }
}

/** Every part as it would be sent now (overrides included), or one draft `source` for `part`. */
export function renderPreview(
  engine: TemplateEngine,
  kind: NotificationKind,
  locale: string,
  ctx: TemplateContext,
  draft?: { part: TemplatePart; source: string },
): PartPreview[] {
  if (draft) return [describe(draft.part, guarded(() => engine.preview(locale, kind, draft.part, draft.source, ctx)))];
  return TEMPLATE_PARTS.map((part) => describe(part, guarded(() => engine.renderPart(locale, kind, part, ctx))));
}
