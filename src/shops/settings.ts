/** Everything a shop configures, stored as JSON on the shop row and validated here. */
import { validate } from "node-cron";
import { z } from "zod";

export const mappingSchema = z.object({
  names: z.boolean().default(true),
  phone: z.boolean().default(true),
  address: z.boolean().default(true),
  code: z.boolean().default(true),
  /** OFN customer tags become provider tags. */
  ofnTags: z.boolean().default(true),
  /** The enterprise's name becomes a tag, so a multi-enterprise shop can target each one. */
  enterpriseTag: z.boolean().default(true),
  /** Prefix for OFN tags in the provider (e.g. "ofn:"), to keep them apart from the shop's own. */
  tagPrefix: z.string().max(20).default(""),
});

export const syncSettingsSchema = z.object({
  /** What a NEW contact gets. Default: no marketing consent assumed (OFN stores none). */
  consent: z.enum(["subscribed", "double_opt_in", "non_marketing"]).default("non_marketing"),
  /** Only customers carrying this OFN tag are synced (e.g. "newsletter"). */
  requireTag: z.string().trim().max(100).nullable().default(null),
  /** Customers gone from OFN: keep them untouched, or take the bridge's tags off them. */
  goneCustomers: z.enum(["keep", "remove_tag"]).default("keep"),
  mapping: mappingSchema.default(mappingSchema.parse({})),
  brevoTagMode: z.enum(["attribute", "lists"]).default("attribute"),
  brevoDoiTemplateId: z.number().int().positive().nullable().default(null),
  /** Hours between scheduled syncs (the start minute is spread per shop). */
  intervalHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 7)
    .default(24),
  /** Or a cron expression (5 fields), which wins over intervalHours when set. */
  cron: z
    .string()
    .trim()
    .max(100)
    .refine(
      (value) => validate(value) && value.split(/\s+/).length === 5,
      "expected a 5-field cron expression",
    )
    .nullable()
    .default(null),
});

export const campaignSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  announceReopenings: z.boolean().default(false),
  delivery: z.enum(["send_now", "schedule", "draft"]).default("send_now"),
  delayMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60),
  lastCallEnabled: z.boolean().default(false),
  lastCallHoursBefore: z.number().int().min(1).max(168).default(24),
  /** Only contacts with this tag receive the newsletter (null = the whole audience). */
  recipientsTag: z.string().trim().max(100).nullable().default(null),
  fromName: z.string().trim().max(100).default(""),
  replyTo: z.string().trim().max(254).default(""),
  /** Addresses for "send me a test". */
  testEmails: z.array(z.string().email()).max(5).default([]),
  /** Coordinators whose cycles this shop distributes but does not announce (docs/campaigns.md). */
  excludedCoordinatorIds: z.array(z.number().int().positive()).max(500).default([]),
});

export const shopSettingsSchema = z.object({
  sync: syncSettingsSchema.default(syncSettingsSchema.parse({})),
  campaigns: campaignSettingsSchema.default(campaignSettingsSchema.parse({})),
});

export type MappingSettings = z.infer<typeof mappingSchema>;
export type SyncSettings = z.infer<typeof syncSettingsSchema>;
export type CampaignSettings = z.infer<typeof campaignSettingsSchema>;
export type ShopSettings = z.infer<typeof shopSettingsSchema>;

/** Reads stored settings, filling defaults for anything missing (older rows, new options). */
export function readShopSettings(stored: unknown): ShopSettings {
  const parsed = shopSettingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : shopSettingsSchema.parse({});
}
