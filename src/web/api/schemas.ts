/**
 * The JSON API's shapes, as zod schemas. They validate what comes in, shape what goes out (a
 * response is parsed through its schema, so a field not listed here never leaves the bridge), and
 * the OpenAPI document is generated from them. Each named schema becomes a component.
 */
import { z } from "zod";
import { SHOP_STATUSES } from "../../admin/health.js";
import { settingsPatchSchema } from "../../api/settings.js";
import { campaignSettingsSchema, mappingSchema, syncSettingsSchema } from "../../shops/settings.js";

/** Named output schemas: components of the OpenAPI document. */
export const responseSchemas = z.registry<{ id: string; description?: string }>();
/** Named request bodies, described as input (defaults make fields optional). */
export const requestSchemas = z.registry<{ id: string; description?: string }>();

const named = <T extends z.ZodType>(schema: T, id: string, description?: string): T => {
  responseSchemas.add(schema, { id, description });
  return schema;
};

const instant = z.iso.datetime();
const id = z.guid();

export const errorSchema = named(
  z.object({
    error: z.object({
      code: z
        .string()
        .meta({ description: "VALIDATION, UNAUTHORIZED, NOT_FOUND, CONFLICT, RATE_LIMITED, ..." }),
      message: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  }),
  "Error",
  "Every error: a code, a message safe to show, and the request id to give the operator.",
);

export const lastSyncSchema = named(
  z.object({
    id,
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    trigger: z.string(),
    queuedAt: instant,
    startedAt: instant.nullable(),
    finishedAt: instant.nullable(),
    progress: z.object({ done: z.int(), total: z.int() }),
    counts: z
      .record(z.string(), z.number())
      .meta({ description: "fetched, new, updated, unchanged, invalid, failed, ..." }),
    error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
  }),
  "SyncRunSummary",
);

export const shopSchema = named(
  z.object({
    id,
    name: z.string(),
    ofnInstance: z.string(),
    ofnKeyLast4: z.string().meta({ description: "The last 4 characters of the OFN key: never more." }),
    locale: z.string(),
    timeZone: z.string(),
    status: z.enum(SHOP_STATUSES),
    statusMessage: z.string().nullable(),
    hasWebhook: z.boolean(),
    createdAt: instant,
    nextSyncAt: instant.nullable(),
    provider: z
      .object({
        kind: z.string(),
        status: z.string(),
        statusMessage: z.string().nullable(),
        keyLast4: z.string(),
        audienceName: z.string().nullable(),
      })
      .nullable(),
    lastSync: lastSyncSchema.nullable(),
    pendingCampaigns: z.int(),
    lastWebhook: z.object({ event: z.string(), outcome: z.string(), receivedAt: instant }).nullable(),
    lastError: z.string().nullable(),
  }),
  "Shop",
  "A shop with its health.",
);

export const shopListSchema = named(
  z.object({ items: z.array(shopSchema), total: z.int(), page: z.int(), pageSize: z.int() }),
  "ShopList",
);

export const syncRunSchema = named(
  lastSyncSchema.extend({
    attempts: z.int(),
    invalidEmailCount: z.int(),
    warnings: z.array(z.string()),
  }),
  "SyncRun",
);

export const syncRunListSchema = named(z.object({ items: z.array(syncRunSchema) }), "SyncRunList");

export const syncRequestedSchema = named(
  z.object({
    run: syncRunSchema,
    created: z.boolean().meta({ description: "False: a run was already queued or running." }),
  }),
  "SyncRequested",
);

export const campaignSchema = named(
  z.object({
    id,
    kind: z.string(),
    status: z.string(),
    orderCycleId: z.int(),
    orderCycleName: z.string(),
    openedAt: instant,
    subject: z.string().nullable(),
    providerUrl: z.string().nullable(),
    runAt: instant,
    scheduledFor: instant.nullable(),
    sentAt: instant.nullable(),
    reason: z.string().nullable(),
    simulated: z.boolean(),
    canRetry: z.boolean(),
  }),
  "Campaign",
);

export const campaignListSchema = named(z.object({ items: z.array(campaignSchema) }), "CampaignList");

export const campaignRetriedSchema = named(z.object({ id, status: z.string() }), "CampaignRetried");

export const deliveryListSchema = named(
  z.object({
    items: z.array(
      z.object({
        id,
        deliveryId: z.string(),
        event: z.string(),
        orderCycleId: z.int().nullable(),
        openedAt: instant.nullable(),
        outcome: z.string(),
        isTest: z.boolean(),
        receivedCount: z.int(),
        receivedAt: instant,
        lastReceivedAt: instant,
      }),
    ),
  }),
  "WebhookDeliveryList",
);

export const settingsSchema = named(
  z.object({
    sync: syncSettingsSchema.extend({ mapping: mappingSchema }),
    campaigns: campaignSettingsSchema,
  }),
  "Settings",
);

export const shopStatusChangeSchema = named(
  z.object({ id, status: z.enum(SHOP_STATUSES), changed: z.boolean() }),
  "ShopStatusChange",
);

export const deletedSchema = named(z.object({ id, deleted: z.literal(true) }), "Deleted");

requestSchemas.add(settingsPatchSchema, {
  id: "SettingsPatch",
  description: "Only the fields sent change; unknown fields are refused.",
});

export { settingsPatchSchema };

export const shopParams = z.object({ shopId: id });
export const runParams = shopParams.extend({ runId: id });
export const campaignParams = shopParams.extend({ campaignId: id });

const pageSize = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const shopListQuery = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta({ description: "Part of the name, instance or contact email, or a shop id." }),
  status: z.enum(SHOP_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: pageSize(100, 50),
});

export const limitQuery = (max: number, fallback: number) => z.object({ limit: pageSize(max, fallback) });
