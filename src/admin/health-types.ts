/** What the operator sees of a shop's health (see health.ts for how it is read). */
export const SHOP_STATUSES = ["active", "paused", "broken"] as const;
export type ShopStatus = (typeof SHOP_STATUSES)[number];

export interface ShopHealth {
  id: string;
  name: string;
  ofnInstance: string;
  ofnKeyLast4: string;
  contactEmail: string | null;
  locale: string;
  timeZone: string;
  status: string;
  statusMessage: string | null;
  hasWebhook: boolean;
  createdAt: Date;
  nextSyncAt: Date | null;
  provider: {
    kind: string;
    status: string;
    statusMessage: string | null;
    keyLast4: string;
    accountLabel: string | null;
    audienceName: string | null;
  } | null;
  lastSync: {
    id: string;
    status: string;
    trigger: string;
    queuedAt: Date;
    startedAt: Date | null;
    finishedAt: Date | null;
    progressDone: number;
    progressTotal: number;
    counts: Record<string, number>;
    errorCode: string | null;
    errorMessage: string | null;
  } | null;
  pendingCampaigns: number;
  lastWebhook: { event: string; outcome: string; receivedAt: Date } | null;
  /** The most telling problem: the shop's, else the provider's, else the last failed sync's. */
  lastError: string | null;
}

export interface ShopSearch {
  /** Part of the name, instance or contact email, or a whole shop id. */
  q?: string;
  status?: ShopStatus;
  page: number;
  pageSize: number;
}

export interface ShopPage {
  items: ShopHealth[];
  total: number;
  page: number;
  pageSize: number;
}
