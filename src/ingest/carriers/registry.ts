/**
 * The adapters of the carriers whose credentials are configured. A carrier with no credentials is not
 * polled at all; its shipments are never scheduled.
 */
import { createDhlAdapter } from './dhl.js';
import { createFedexAdapter } from './fedex.js';
import type { CarrierAdapter, CarrierSlug } from './types.js';
import { createUpsAdapter } from './ups.js';
import { createUspsAdapter } from './usps.js';

export interface CarrierCredentials {
  usps?: { clientId: string; clientSecret: string; baseUrl: string } | undefined;
  ups?: { clientId: string; clientSecret: string; baseUrl: string } | undefined;
  fedex?: { apiKey: string; secretKey: string; baseUrl: string } | undefined;
  dhl?: { apiKey: string; baseUrl: string } | undefined;
}

export function createCarrierAdapters(credentials: CarrierCredentials, options: { timeoutMs?: number } = {}): Map<CarrierSlug, CarrierAdapter> {
  const adapters = new Map<CarrierSlug, CarrierAdapter>();
  if (credentials.usps) adapters.set('usps', createUspsAdapter({ ...credentials.usps, ...options }));
  if (credentials.ups) adapters.set('ups', createUpsAdapter({ ...credentials.ups, ...options }));
  if (credentials.fedex) adapters.set('fedex', createFedexAdapter({ ...credentials.fedex, ...options }));
  if (credentials.dhl) adapters.set('dhl', createDhlAdapter({ ...credentials.dhl, ...options }));
  return adapters;
}
