/**
 * The template context described as data, so that templates can be checked against it before they run
 * and so that what reaches Handlebars is exactly the documented shape: absent optional fields become
 * `null` (strict mode then reads them as empty instead of throwing) and undocumented extras are dropped.
 */
import type { NotificationKind } from '../domain/types.js';
import {
  isOrderKind,
  KIND_FIELDS,
  type KindField,
  type TemplateContext,
  type TemplateDigest,
  type TemplateDigestShipment,
  type TemplateEvent,
  type TemplateLinks,
  type TemplateOrder,
  type TemplateOrderItem,
  type TemplateProof,
  type TemplateRecipient,
  type TemplateShipment,
} from './context.js';
import { TemplateContextError } from './errors.js';

export type SchemaNode =
  | { type: 'scalar' }
  | { type: 'any' }
  | { type: 'array'; of: SchemaNode }
  | { type: 'object'; fields: Record<string, SchemaField> };

export interface SchemaField {
  node: SchemaNode;
  /** May be `null` or absent, so reading *inside* it needs an `{{#if}}` first. */
  nullable: boolean;
}

const scalar: SchemaNode = { type: 'scalar' };
const required = (node: SchemaNode): SchemaField => ({ node, nullable: false });
const optional = (node: SchemaNode): SchemaField => ({ node, nullable: true });
const object = (fields: Record<string, SchemaField>): SchemaNode => ({ type: 'object', fields });

// `satisfies` ties each description to its TSDoc'd interface: adding a field there fails here until described.
const recipient = object({
  id: required(scalar),
  name: required(scalar),
  role: required(scalar),
  locale: required(scalar),
  timezone: required(scalar),
} satisfies Record<keyof TemplateRecipient, SchemaField>);

const item = object({
  name: required(scalar),
  quantity: required(scalar),
  price: required(scalar),
} satisfies Record<keyof TemplateOrderItem, SchemaField>);

const order = object({
  id: required(scalar),
  items: required({ type: 'array', of: item }),
  total: required(scalar),
  currency: required(scalar),
} satisfies Record<keyof TemplateOrder, SchemaField>);

const event = object({
  time: required(scalar),
  description: required(scalar),
  location: optional(scalar),
  status: required(scalar),
} satisfies Record<keyof TemplateEvent, SchemaField>);

const shipment = object({
  id: required(scalar),
  carrier: required(scalar),
  trackingNumber: required(scalar),
  trackingUrl: required(scalar),
  status: required(scalar),
  subStatus: optional(scalar),
  eta: optional(scalar),
  lastEvent: optional(event),
} satisfies Record<keyof TemplateShipment, SchemaField>);

const proof = object({
  time: optional(scalar),
  signedBy: optional(scalar),
  photoUrl: optional(scalar),
  location: optional(scalar),
} satisfies Record<keyof TemplateProof, SchemaField>);

const links = object({
  track: required(scalar),
  preferences: required(scalar),
  unsubscribe: required(scalar),
} satisfies Record<keyof TemplateLinks, SchemaField>);

const digestShipment = object({
  carrier: required(scalar),
  trackingNumber: required(scalar),
  trackingUrl: required(scalar),
  events: required({ type: 'array', of: event }),
} satisfies Record<keyof TemplateDigestShipment, SchemaField>);

const digest = object({
  shipments: required({ type: 'array', of: digestShipment }),
} satisfies Record<keyof TemplateDigest, SchemaField>);

function rootFields(orderNullable: boolean, shipmentNullable: boolean) {
  return {
    recipient: required(recipient),
    order: { node: order, nullable: orderNullable },
    shipment: { node: shipment, nullable: shipmentNullable },
    proof: optional(proof),
    links: required(links),
    kind: required(scalar),
    digest: optional(digest),
  } satisfies Record<Exclude<keyof TemplateContext, KindField>, SchemaField>;
}

/** Fields only one kind's templates see, always present for that kind. */
const kindFields = {
  invalidTrackingNumber: required(scalar),
} satisfies Record<KindField, SchemaField>;

function fieldsOf(kind: NotificationKind): Record<string, SchemaField> {
  return Object.fromEntries(Object.entries(kindFields).filter(([name]) => KIND_FIELDS[name as KindField] === kind));
}

/** The context as a template of `kind` sees it; `undefined` means a layout shared by every kind. */
export function contextSchema(kind: NotificationKind | undefined): SchemaNode {
  if (kind === undefined) return object(rootFields(true, true));
  return object({ ...(isOrderKind(kind) ? rootFields(false, true) : rootFields(true, false)), ...fieldsOf(kind) });
}

/** Layouts also get the rendered part (`body`) and, for HTML, the subject for `<title>`. */
export function layoutSchema(): SchemaNode {
  const root = contextSchema(undefined);
  if (root.type !== 'object') return root;
  return object({ ...root.fields, body: required(scalar), subject: required(scalar) });
}

/**
 * Copy `ctx` into exactly the documented shape. Objects come out without a prototype, so no template
 * can reach `constructor` or `__proto__` whatever Handlebars' own checks do.
 */
export function projectContext(kind: NotificationKind, ctx: TemplateContext): Record<string, unknown> {
  if (isOrderKind(kind) ? !ctx.order : !ctx.shipment) {
    const missing = isOrderKind(kind) ? 'order' : 'shipment';
    throw new TemplateContextError(`A "${kind}" message needs context.${missing}, but it is ${String(ctx[missing])}.`);
  }
  for (const name of Object.keys(fieldsOf(kind)) as KindField[]) {
    if (typeof ctx[name] !== 'string' || ctx[name] === '') throw new TemplateContextError(`A "${kind}" message needs context.${name}, but it is ${String(ctx[name])}.`);
  }
  return project(contextSchema(kind), { ...ctx, kind }) as Record<string, unknown>;
}

/** Projection used for layouts: the already-projected context plus the layout's own fields. */
export function withLayoutFields(projected: Record<string, unknown>, body: string, subject: string): Record<string, unknown> {
  return Object.assign(bare(), projected, { body, subject });
}

/**
 * A prototype-free object. Handlebars' strict-mode message (`"x" not defined in <object>`) converts the
 * object to a string, which a bare object cannot do; a symbol key, invisible to templates, allows it.
 */
function bare(): Record<string, unknown> {
  return Object.defineProperty(Object.create(null) as Record<string, unknown>, Symbol.toPrimitive, { value: () => '[context]' });
}

function project(node: SchemaNode, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (node.type) {
    case 'any':
      return value;
    case 'scalar':
      if (value instanceof Date) return value.toISOString();
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
    case 'array':
      return Array.isArray(value) ? value.map((entry) => project(node.of, entry)) : [];
    case 'object': {
      if (typeof value !== 'object') return null;
      const source = value as Record<string, unknown>;
      const out = bare();
      for (const [name, field] of Object.entries(node.fields)) {
        out[name] = Object.hasOwn(source, name) ? project(field.node, source[name]) : null;
      }
      return out;
    }
  }
}
