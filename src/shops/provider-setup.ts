/**
 * The provider steps: a pasted Mailchimp or Brevo key checked live (a Mailchimp key's datacenter
 * is validated before any request: it becomes part of a hostname), the audience picked from the
 * account's live list, senders read for the campaign step.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { providerConnections } from "../db/schema/index.js";
import { AppError, UpstreamError } from "../errors.js";
import type { Logger } from "../logger.js";
import { parseMailchimpKey } from "../providers/mailchimp/index.js";
import type { Audience, NewsletterProvider, ProviderKind, Sender } from "../providers/types.js";
import type { SyncDeps } from "../sync/run-sync.js";
import { recordAudit } from "./audit.js";
import { saveProviderConnection } from "./connect.js";
import { loadShopContext } from "./context.js";

export interface ProviderSetupDeps {
  db: Db;
  keyring: SyncDeps["keyring"];
  syncDeps: Pick<SyncDeps, "providers">;
  logger: Logger;
}

export type ProviderKeyProblem = "blank" | "format" | "refused" | "unreachable";

export type ProviderKeyResult =
  | { ok: true; accountLabel: string }
  | { ok: false; problem: ProviderKeyProblem };

/** Only the shape every key has: no whitespace inside, a sane length. The provider has the last word. */
const PLAIN_KEY = /^[A-Za-z0-9_.-]{16,200}$/;

function checkShape(kind: ProviderKind, key: string): ProviderKeyProblem | undefined {
  if (key === "") return "blank";
  if (kind === "mailchimp") {
    try {
      parseMailchimpKey(key);
    } catch {
      return "format";
    }
  }
  return PLAIN_KEY.test(key) ? undefined : "format";
}

/**
 * Checks the key against the provider and stores it sealed. The audience chosen before is kept
 * only when the same provider still lists it (a key of another account must not inherit it).
 */
export async function connectProviderKey(
  deps: ProviderSetupDeps,
  shopId: string,
  input: { kind: ProviderKind; apiKey: string },
): Promise<ProviderKeyResult> {
  const key = input.apiKey.trim();
  const problem = checkShape(input.kind, key);
  if (problem) return { ok: false, problem };
  let accountLabel: string;
  let audiences: Audience[];
  try {
    const provider = deps.syncDeps.providers(input.kind, key);
    accountLabel = (await provider.verify()).label;
    audiences = await provider.listAudiences();
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    const problem: ProviderKeyProblem = error.options.authFailed ? "refused" : "unreachable";
    deps.logger.info({ shopId, provider: input.kind, problem }, "provider key not accepted");
    return { ok: false, problem };
  }
  const [current] = await deps.db
    .select()
    .from(providerConnections)
    .where(eq(providerConnections.shopId, shopId));
  const kept =
    current?.provider === input.kind
      ? audiences.find((audience) => audience.id === current.audienceId)
      : undefined;
  await saveProviderConnection(deps, shopId, {
    provider: input.kind,
    apiKey: key,
    accountLabel,
    ...(kept ? { audienceId: kept.id, audienceName: kept.name } : {}),
  });
  await recordAudit(deps.db, shopId, "provider.connected", { provider: input.kind, keyLast4: key.slice(-4) });
  return { ok: true, accountLabel };
}

async function shopProvider(deps: ProviderSetupDeps, shopId: string) {
  const context = await loadShopContext(deps, shopId);
  if (!context.connection || !context.providerApiKey) {
    throw new AppError("CONFLICT", "no provider connected");
  }
  const provider: NewsletterProvider = deps.syncDeps.providers(
    context.connection.provider,
    context.providerApiKey,
  );
  return { provider, connection: context.connection };
}

/** The connected account's audiences/lists, read live; the current choice marked. */
export async function listShopAudiences(
  deps: ProviderSetupDeps,
  shopId: string,
): Promise<{ provider: ProviderKind; audiences: Audience[]; currentId: string | null }> {
  const { provider, connection } = await shopProvider(deps, shopId);
  return {
    provider: provider.kind,
    audiences: await provider.listAudiences(),
    currentId: connection.audienceId,
  };
}

/** Stores the chosen audience; an id the account does not list is refused (VALIDATION). */
export async function chooseAudience(
  deps: ProviderSetupDeps,
  shopId: string,
  audienceId: string,
): Promise<Audience> {
  const { provider } = await shopProvider(deps, shopId);
  const audience = (await provider.listAudiences()).find((item) => item.id === audienceId);
  if (!audience) throw new AppError("VALIDATION", "unknown audience");
  await deps.db
    .update(providerConnections)
    .set({ audienceId: audience.id, audienceName: audience.name, updatedAt: new Date() })
    .where(eq(providerConnections.shopId, shopId));
  await recordAudit(deps.db, shopId, "setup.audience", { audienceId: audience.id });
  return audience;
}

/** Sender addresses the campaign step offers (verified ones first). */
export async function listShopSenders(deps: ProviderSetupDeps, shopId: string): Promise<Sender[]> {
  const { provider } = await shopProvider(deps, shopId);
  const senders = await provider.listSenders();
  return [...senders].sort((a, b) => Number(b.verified) - Number(a.verified));
}
