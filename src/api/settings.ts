/**
 * Reading and changing a shop's settings through the API. A change is a partial document: only
 * the fields sent are changed, every other one keeps its value, and the result is validated by
 * the same schema the setup pages use.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Actor } from "../admin/actions.js";
import type { Db } from "../db/client.js";
import { shops } from "../db/schema/index.js";
import { planNextSync } from "../jobs/scheduler.js";
import { recordAudit } from "../shops/audit.js";
import { getShopSettings } from "../shops/preferences.js";
import {
  campaignSettingsSchema,
  mappingSchema,
  type ShopSettings,
  shopSettingsSchema,
  syncSettingsSchema,
} from "../shops/settings.js";

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

/**
 * The same fields with their defaults taken off and every one optional. (A plain `.partial()`
 * would still fill defaults for absent fields, and a change would reset them.)
 */
function patchOf<S extends z.ZodRawShape>(
  schema: z.ZodObject<S>,
): z.ZodObject<PatchShape<S>, z.core.$strict> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => {
      const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
      return [key, inner.optional()];
    }),
  );
  return z.strictObject(shape) as unknown as z.ZodObject<PatchShape<S>, z.core.$strict>;
}

export const settingsPatchSchema = z.strictObject({
  sync: patchOf(syncSettingsSchema)
    .extend({ mapping: patchOf(mappingSchema).optional() })
    .optional(),
  campaigns: patchOf(campaignSettingsSchema).optional(),
});

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export { getShopSettings };

/** Applies a partial change and returns the whole new settings; a schedule change re-plans the next sync. */
export async function updateShopSettings(
  db: Db,
  shopId: string,
  patch: SettingsPatch,
  actor: Actor,
): Promise<ShopSettings> {
  const current = await getShopSettings(db, shopId);
  const { mapping, ...sync } = patch.sync ?? {};
  const next = shopSettingsSchema.parse({
    sync: { ...current.sync, ...sync, mapping: { ...current.sync.mapping, ...mapping } },
    campaigns: { ...current.campaigns, ...patch.campaigns },
  });
  await db.update(shops).set({ settings: next, updatedAt: new Date() }).where(eq(shops.id, shopId));
  const fields = [
    ...Object.keys(sync).map((key) => `sync.${key}`),
    ...Object.keys(mapping ?? {}).map((key) => `sync.mapping.${key}`),
    ...Object.keys(patch.campaigns ?? {}).map((key) => `campaigns.${key}`),
  ];
  // Field names only: values can be personal data (test addresses).
  await recordAudit(db, shopId, "settings.updated", { fields }, actor);
  if ("intervalHours" in sync || "cron" in sync) await planNextSync(db, shopId);
  return next;
}
