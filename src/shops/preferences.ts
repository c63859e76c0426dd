/** Saving the choices of the consent, schedule and campaign steps (validated by the settings schema). */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { shops } from "../db/schema/index.js";
import { AppError } from "../errors.js";
import { planNextSync } from "../jobs/scheduler.js";
import { recordAudit } from "./audit.js";
import {
  type CampaignSettings,
  readShopSettings,
  type ShopSettings,
  type SyncSettings,
  shopSettingsSchema,
} from "./settings.js";

/** The shop's stored settings with defaults filled in (also used by the JSON API). */
export async function getShopSettings(db: Db, shopId: string): Promise<ShopSettings> {
  const [shop] = await db
    .select({ settings: shops.settings })
    .from(shops)
    .where(eq(shops.id, shopId))
    .limit(1);
  if (!shop) throw new AppError("NOT_FOUND", "shop not found");
  return readShopSettings(shop.settings);
}

async function writeSettings(
  db: Db,
  shopId: string,
  next: ShopSettings,
  extra: Partial<Pick<typeof shops.$inferInsert, "timeZone" | "locale">> = {},
): Promise<void> {
  const settings = shopSettingsSchema.parse(next);
  await db
    .update(shops)
    .set({ settings, ...extra, updatedAt: new Date() })
    .where(eq(shops.id, shopId));
}

/** Consent policy for new contacts, the optional OFN tag filter and what happens to gone customers. */
export async function saveConsentPolicy(
  db: Db,
  shopId: string,
  policy: Pick<SyncSettings, "consent" | "requireTag" | "goneCustomers"> &
    Partial<Pick<SyncSettings, "brevoDoiTemplateId">>,
): Promise<void> {
  const current = await getShopSettings(db, shopId);
  await writeSettings(db, shopId, { ...current, sync: { ...current.sync, ...policy } });
  await recordAudit(db, shopId, "setup.consent", { ...policy });
}

/** Interval or cron (cron wins when set) in the shop's time zone; the next run is planned at once. */
export async function saveSchedule(
  db: Db,
  shopId: string,
  schedule: { intervalHours: number; cron: string | null; timeZone: string },
): Promise<Date | undefined> {
  const current = await getShopSettings(db, shopId);
  await writeSettings(
    db,
    shopId,
    { ...current, sync: { ...current.sync, intervalHours: schedule.intervalHours, cron: schedule.cron } },
    { timeZone: schedule.timeZone },
  );
  await recordAudit(db, shopId, "setup.schedule", { ...schedule });
  return planNextSync(db, shopId);
}

/** Campaign options chosen next to the template: sender, delivery, language. */
export async function saveCampaignOptions(
  db: Db,
  shopId: string,
  options: Partial<CampaignSettings>,
  locale?: "en" | "fr",
): Promise<void> {
  const current = await getShopSettings(db, shopId);
  await writeSettings(
    db,
    shopId,
    { ...current, campaigns: { ...current.campaigns, ...options } },
    locale ? { locale } : {},
  );
  await recordAudit(db, shopId, "setup.campaigns", { ...options, ...(locale ? { locale } : {}) });
}
