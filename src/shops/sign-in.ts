/**
 * Signing a shop in with its OFN key: the key is checked live against the instance (a blank or
 * malformed key never leaves the process), then the shop is created or found again.
 */
import type { Config } from "../config.js";
import type { Keyring } from "../crypto/keyring.js";
import type { Db } from "../db/client.js";
import { AppError, UpstreamError } from "../errors.js";
import type { Logger } from "../logger.js";
import { createOfnClient, type OfnClient, resolveOfnInstance } from "../ofn/client.js";
import type { SyncDeps } from "../sync/run-sync.js";
import { connectShop, findShopByOfnKey, normaliseOfnKey, replaceOfnKey } from "./connect.js";

export interface SignInDeps {
  db: Db;
  keyring: Keyring;
  config: Pick<Config, "OFN_INSTANCES">;
  syncDeps: Pick<SyncDeps, "ofnLimiters" | "ofnFetch" | "ofnRetryBaseMs">;
  logger: Logger;
}

/** Why a pasted OFN key was not accepted; each has its own message telling the shop what to do. */
export type OfnKeyProblem = "instance" | "blank" | "format" | "refused" | "unreachable" | "taken";

export type KeyCheck<T> = { ok: true; value: T } | { ok: false; problem: OfnKeyProblem };

/** An OFN client for a person waiting at a form: fewer retries and a shorter timeout than a sync. */
export function interactiveOfnClient(
  deps: Pick<SignInDeps, "syncDeps">,
  instance: string,
  apiKey: string,
): OfnClient {
  return createOfnClient({
    instance,
    apiKey,
    limiter: deps.syncDeps.ofnLimiters.for(new URL(instance).origin),
    fetch: deps.syncDeps.ofnFetch,
    retryBaseMs: deps.syncDeps.ofnRetryBaseMs,
    attempts: 2,
    timeoutMs: 15_000,
  });
}

function checkKeyShape(
  deps: SignInDeps,
  instanceInput: string,
  rawKey: string,
): KeyCheck<{ instance: string; key: string }> {
  const instance = resolveOfnInstance(deps.config.OFN_INSTANCES, instanceInput);
  if (!instance) return { ok: false, problem: "instance" };
  if (rawKey.trim() === "") return { ok: false, problem: "blank" };
  try {
    return { ok: true, value: { instance, key: normaliseOfnKey(rawKey) } };
  } catch (error) {
    if (error instanceof AppError && error.code === "VALIDATION") return { ok: false, problem: "format" };
    throw error;
  }
}

function upstreamProblem(error: unknown): OfnKeyProblem {
  if (error instanceof UpstreamError && error.service === "ofn") {
    return error.options.authFailed ? "refused" : "unreachable";
  }
  throw error;
}

/** Validates the key live and creates or finds the shop. Never logs or returns the key. */
export async function signInWithOfnKey(
  deps: SignInDeps,
  input: { instance: string; apiKey: string; locale: string },
): Promise<KeyCheck<{ shopId: string; created: boolean }>> {
  const shape = checkKeyShape(deps, input.instance, input.apiKey);
  if (!shape.ok) return shape;
  const { instance, key } = shape.value;
  try {
    const ofn = interactiveOfnClient(deps, instance, key);
    const { shopId, created } = await connectShop(deps, { instance, apiKey: key, ofn, locale: input.locale });
    deps.logger.info({ shopId, created }, "shop signed in");
    return { ok: true, value: { shopId, created } };
  } catch (error) {
    const problem = upstreamProblem(error);
    deps.logger.info({ problem, instance }, "OFN key not accepted");
    return { ok: false, problem };
  }
}

/** Replaces a shop's OFN key after checking the new one live; refuses a key another shop uses. */
export async function replaceShopOfnKey(
  deps: SignInDeps,
  shop: { id: string; ofnInstance: string },
  rawKey: string,
): Promise<KeyCheck<null>> {
  const shape = checkKeyShape(deps, shop.ofnInstance, rawKey);
  if (!shape.ok) return shape;
  const { instance, key } = shape.value;
  try {
    await interactiveOfnClient(deps, instance, key).listEnterprises();
  } catch (error) {
    return { ok: false, problem: upstreamProblem(error) };
  }
  const owner = await findShopByOfnKey(deps, instance, key);
  if (owner && owner.id !== shop.id) return { ok: false, problem: "taken" };
  await replaceOfnKey(deps, shop.id, instance, key);
  deps.logger.info({ shopId: shop.id }, "OFN key replaced");
  return { ok: true, value: null };
}
