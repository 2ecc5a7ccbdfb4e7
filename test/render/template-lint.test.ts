import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import type { NotificationKind } from '../../src/domain/types.js';
import { contextSchema, layoutSchema } from '../../src/render/context-schema.js';
import { lintTemplate } from '../../src/render/template-lint.js';

const PARTIALS: Record<string, string> = {
  tracking: '{{#with shipment}}{{carrier}} {{trackingNumber}}{{/with}}',
  careless: 'ETA {{shipment.eta}} for {{order.id}}',
  label: '<b>{{label}}</b>',
  loop: '{{> loop}}',
};

function lint(source: string, options: { kind?: NotificationKind; mode?: 'html' | 'text'; layout?: boolean } = {}) {
  return lintTemplate({
    file: 'templates/en/shipped/email.html.hbs',
    ast: Handlebars.parse(source),
    mode: options.mode ?? 'html',
    schema: options.layout ? layoutSchema() : contextSchema(options.kind ?? 'shipped'),
    layout: options.layout ?? false,
    partialNames: Object.keys(PARTIALS),
    partial: (name) => (PARTIALS[name] === undefined ? undefined : { file: `templates/partials/${name}.hbs`, ast: Handlebars.parse(PARTIALS[name]!) }),
  }).map((problem) => problem.message);
}

const FILE = 'templates/en/shipped/email.html.hbs';

describe('lintTemplate', () => {
  it('accepts documented fields, guarded nullables, helpers, blocks and partials', () => {
    const source = [
      '<p>Hi {{recipient.name}}, your {{#if order}}order #{{order.id}}{{/if}} ships with {{shipment.carrier}}.</p>',
      '{{#if shipment.eta}}{{formatDate shipment.eta style="short"}}{{/if}}',
      '{{#with shipment.lastEvent}}{{description}}{{#if location}} in {{location}}{{/if}} at {{formatDateTime time}}{{/with}}',
      '{{#if order}}{{#each order.items as |item i|}}{{i}}: {{item.name}} {{formatMoney item.price @root.order.currency}}{{/each}}{{/if}}',
      '{{#with order}}{{#each items}}{{@index}} {{name}} {{formatMoney price ../currency}}{{/each}}{{/with}}',
      '{{#if (eq recipient.role "seller")}}seller{{else if (eq recipient.role "admin")}}admin{{else}}buyer{{/if}}',
      '{{#unless proof}}no proof{{else}}{{proof.signedBy}}{{/unless}}',
      '{{> tracking}} {{> label label="Track"}} {{!-- a comment --}}',
    ].join('\n');
    expect(lint(source)).toEqual([]);
  });

  it('refuses an unknown helper with its line and column', () => {
    expect(lint('line one\n  {{shout recipient.name}}')).toEqual([
      `${FILE}:2:5: unknown helper "shout"; available: formatDate, formatDateTime, formatMoney, eq, subStatusText, statusText, pluralize`,
    ]);
    expect(lint('{{#if (loud recipient.name)}}x{{/if}}')[0]).toMatch(/:1:8: unknown helper "loud"/);
  });

  it('refuses lookup and log, which the engine removes', () => {
    expect(lint('{{lookup shipment "carrier"}}')[0]).toMatch(/unknown helper "lookup"/);
    expect(lint('{{log recipient.name}}')[0]).toMatch(/unknown helper "log"/);
  });

  it('checks helper arity and options', () => {
    expect(lint('{{formatMoney order.total}}', { kind: 'order_confirmed' })[0]).toMatch(/helper "formatMoney" takes 2 arguments, got 1/);
    expect(lint('{{formatDate shipment.eta zone="UTC"}}')[0]).toMatch(/helper "formatDate" has no option "zone"; it accepts style=/);
  });

  it('refuses unknown fields, including inside {{#if}} where strict mode looks leniently', () => {
    expect(lint('{{shipment.etaa}}')[0]).toMatch(/:1:3: unknown field "shipment.etaa"; shipment has id, carrier, trackingNumber/);
    expect(lint('{{#if shipment.etaa}}x{{/if}}')[0]).toMatch(/unknown field "shipment.etaa"/);
    expect(lint('{{customer.name}}')[0]).toMatch(/unknown field "customer.name"; the context has recipient, order, shipment, proof, links, kind/);
    expect(lint('{{#each order.items}}{{sku}}{{/each}}', { kind: 'order_confirmed' })[0]).toMatch(/unknown field "sku"; order.items\[\] has name, quantity, price/);
  });

  it('refuses prototype paths as unknown fields', () => {
    expect(lint('{{constructor.name}}')[0]).toMatch(/unknown field "constructor.name"/);
    expect(lint('{{this.__proto__}}')[0]).toMatch(/unknown field "this.__proto__"/);
    expect(lint('{{recipient.constructor}}')[0]).toMatch(/unknown field "recipient.constructor"/);
  });

  it('insists on a test before reading inside a value that may be null for this kind', () => {
    expect(lint('{{order.id}}')[0]).toMatch(/:1:3: "order" can be empty here; test it before reading inside it: \{\{#if order\}\}/);
    expect(lint('{{#if order.id}}x{{/if}}')[0]).toMatch(/"order" can be empty here/);
    expect(lint('{{shipment.lastEvent.location}}')[0]).toMatch(/"shipment.lastEvent" can be empty here/);
    // On order kinds the order is always there, but the shipment may not be.
    expect(lint('{{order.id}}', { kind: 'order_confirmed' })).toEqual([]);
    expect(lint('{{shipment.carrier}}', { kind: 'order_confirmed' })[0]).toMatch(/"shipment" can be empty here/);
    // A terminal optional field reads as empty, so it needs no test.
    expect(lint('{{shipment.eta}}')).toEqual([]);
  });

  it('follows guards through {{else}}: the inverse of {{#if}} is not guarded, the inverse of {{#unless}} is', () => {
    expect(lint('{{#if order}}{{else}}{{order.id}}{{/if}}')[0]).toMatch(/"order" can be empty here/);
    expect(lint('{{#unless order}}none{{else}}{{order.id}}{{/unless}}')).toEqual([]);
  });

  it('checks partials where they are included, with the caller\u2019s guards', () => {
    const problems = lint('{{> careless}}');
    expect(problems).toEqual([`templates/partials/careless.hbs:1:28: "order" can be empty here; test it before reading inside it: {{#if order}}…{{/if}}`]);
    expect(lint('{{#if order}}{{> careless}}{{/if}}')).toEqual([]);
    expect(lint('{{> missing}}')[0]).toMatch(/unknown partial "missing"; available: tracking, careless, label, loop/);
    expect(lint('{{> loop}}')[0]).toMatch(/partial "loop" includes itself/);
    expect(lint('{{> (lookup recipient "role")}}')[0]).toMatch(/partials must be named directly/);
  });

  it('refuses triple-stash in HTML except the layout body slot, and allows it in text parts', () => {
    expect(lint('<p>{{{recipient.name}}}</p>')[0]).toMatch(/:1:4: triple-stash \{\{\{…\}\}\} writes raw HTML/);
    expect(lint('<p>{{&recipient.name}}</p>')[0]).toMatch(/triple-stash/);
    expect(lint('{{{recipient.name}}}', { mode: 'text' })).toEqual([]);
    expect(lint('<main>{{{body}}}</main><title>{{subject}}</title>', { layout: true })).toEqual([]);
    expect(lint('{{{body}}}')[0]).toMatch(/triple-stash/);
  });

  it('refuses blocks that are not if, unless, each or with, and decorators', () => {
    expect(lint('{{#shipment}}{{carrier}}{{/shipment}}')[0]).toMatch(/\{\{#shipment\}\} is not a known block; use \{\{#if\}\}, \{\{#unless\}\}, \{\{#each\}\} or \{\{#with\}\}/);
    expect(lint('{{#formatDate shipment.eta}}x{{/formatDate}}')[0]).toMatch(/"formatDate" is not a block helper/);
    expect(lint('{{if shipment.eta}}')[0]).toMatch(/"if" is a block helper/);
    expect(lint('{{#each shipment}}x{{/each}}')[0]).toMatch(/\{\{#each\}\} needs a list, and "shipment" is not one/);
    expect(lint('{{#if}}x{{/if}}')[0]).toMatch(/\{\{#if\}\} takes exactly one argument/);
    expect(lint('{{#*inline "x"}}y{{/inline}}')[0]).toMatch(/decorators/);
    expect(lint('{{#> tracking}}fallback{{/tracking}}')[0]).toMatch(/partial blocks/);
  });

  it('knows which data variables exist where', () => {
    expect(lint('{{@index}}')[0]).toMatch(/unknown data variable "@index"; available: @root$/);
    expect(lint('{{@root.recipient.name}} {{#each shipment.trackingUrl}}{{/each}}')[0]).toMatch(/needs a list/);
    expect(lint('{{../recipient.name}}')[0]).toMatch(/climbs above the top-level context/);
  });
});
