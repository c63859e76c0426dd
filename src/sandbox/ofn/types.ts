/** Shapes of the in-memory OFN instance; attribute names follow OFN's JSON so serialising is a copy. */

export interface OfnCodeName {
  code: string;
  name: string;
}

/** Address as `Api::V1::AddressSerializer` renders it inside a customer. */
export interface OfnAddress {
  phone: string | null;
  latitude?: number | null;
  longitude?: number | null;
  first_name: string | null;
  last_name: string | null;
  street_address_1: string;
  street_address_2: string | null;
  postal_code: string;
  locality: string;
  region: OfnCodeName | null;
  country: OfnCodeName;
}

export interface OfnCustomerAttributes {
  id: number;
  enterprise_id: number;
  first_name: string | null;
  last_name: string | null;
  code: string | null;
  email: string;
  allow_charges: boolean;
  /** Shop T&C acceptance (ISO 8601 with offset), not newsletter consent. */
  terms_and_conditions_accepted_at: string | null;
  tags: string[];
  billing_address: OfnAddress | null;
  shipping_address: OfnAddress | null;
  /** Only rendered with `extra_fields[customer]=balance`. */
  balance?: number;
}

export type OfnCustomer = OfnCustomerAttributes;

/** Seed input; `rawEmail` stores the email exactly as given (awkward case/padding for demos). */
export type OfnCustomerInput = Partial<Omit<OfnCustomerAttributes, "id" | "enterprise_id">> & {
  email: string;
  rawEmail?: boolean;
};

export interface OfnEnterprise {
  id: number;
  name: string;
  permalink: string;
  email: string;
  /** The user who added it; only owners receive order-cycle webhooks. */
  ownerId: number;
}

export interface OfnUser {
  id: number;
  apiKey: string;
  email: string;
  /** Enterprises the user manages (owned or added as manager), in the order added. */
  enterpriseIds: number[];
  /** The user's single `order_cycle_opened` endpoint. */
  webhookUrl: string | null;
}

export interface OfnUserInput {
  /** 48 lowercase hex characters, as `Spree::User#generate_api_key` makes. */
  apiKey: string;
  email?: string;
  enterprises: Array<{ id: number; name: string; permalink: string; email?: string }>;
}

export interface OfnOrderCycle {
  id: number;
  name: string;
  coordinatorId: number;
  distributorIds: number[];
  ordersOpenAt: Date | null;
  ordersCloseAt: Date | null;
  openedAt: Date | null;
}

export interface OrderCycleInput {
  id?: number;
  name: string;
  coordinatorId: number;
  distributorIds?: number[];
  ordersOpenAt?: Date;
  /** `undefined` = one week after opening; `null` = no close time. */
  ordersCloseAt?: Date | null;
  /** When OFN's job ran; defaults to `ordersOpenAt` when given, else now. */
  openedAt?: Date;
}

export interface WebhookAttempt {
  /** ISO time the attempt finished. */
  at: string;
  status?: number;
  error?: string;
}

export interface WebhookPayload {
  id: string;
  event: string;
  at: string;
  data: Record<string, unknown>;
}

export interface WebhookDelivery {
  /** ActiveJob id: the same on every retry of this delivery. */
  id: string;
  event: string;
  userId: number;
  url: string;
  body: WebhookPayload;
  /** The exact bytes posted (HTML-escaped JSON, Ruby float notation). */
  rawBody: string;
  attempts: WebhookAttempt[];
  done: boolean;
  gaveUp: boolean;
  /** Epoch ms of the scheduled retry, null when none is pending. */
  nextAttemptAt: number | null;
}

export interface OpenOrderCycleResult {
  orderCycleId: number;
  deliveries: WebhookDelivery[];
  /** Why no webhook was sent although the cycle is stored (OFN's trigger rules). */
  skipped?: string;
}
