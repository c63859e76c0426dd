/**
 * OFN API client. OFN has no SDK, no rate limiter and 30 s server timeouts, so: bounded
 * concurrency per instance, our own timeout, backoff with jitter on 5xx/504/timeouts/HTML pages,
 * and never a response body in a log or an error (OFN echoes the key in its 401 body).
 */
import { UpstreamError } from "../errors.js";
import { type Limiter, withRetry } from "../limiter.js";
import type { OfnCustomer, OfnEnterprise, OfnShopInfo } from "./types.js";

export interface OfnClientOptions {
  /** An allow-listed instance base URL (checked by the caller with `resolveOfnInstance`). */
  instance: string;
  apiKey: string;
  /** Shared by every client of the same instance in this process. */
  limiter: Limiter;
  timeoutMs?: number;
  attempts?: number;
  retryBaseMs?: number;
  fetch?: typeof fetch;
}

export interface CustomerPage {
  customers: OfnCustomer[];
  /** Records in the whole list, from the first page's meta (for progress). */
  total: number;
}

export interface OfnClient {
  /** The key owner's enterprises (DFC organizations endpoint). */
  listEnterprises(): Promise<OfnEnterprise[]>;
  /** Public shopfront data: name and the shop URL path. */
  getShop(enterpriseId: number): Promise<OfnShopInfo | undefined>;
  /** Every customer of one enterprise, page by page, following links.next until null. */
  customerPages(enterpriseId: number): AsyncGenerator<CustomerPage>;
  /** How many HTTP requests this client made (benchmarks). */
  readonly requestCount: number;
}

/** Normalises a shop-supplied instance URL and checks it against the operator's allow-list. */
export function resolveOfnInstance(allowList: string[], input: string): string | undefined {
  if (!URL.canParse(input.trim())) return undefined;
  const origin = new URL(input.trim()).origin;
  return allowList.find((allowed) => new URL(allowed).origin === origin);
}

/** One page of customers and where the next one is (links.next). */
interface PageRead {
  page: CustomerPage;
  next: string | null;
}

const AUTH_MESSAGE =
  "OFN refused the API key. It may have been regenerated in OFN: paste the current key from Account > Developer settings.";

export function createOfnClient(options: OfnClientOptions): OfnClient {
  const base = new URL(options.instance);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let requestCount = 0;

  async function getJson(url: URL, authenticated: boolean): Promise<unknown> {
    // Never send the key anywhere but the configured instance, whatever a `links.next` says.
    if (url.origin !== base.origin) {
      throw new UpstreamError("ofn", "OFN returned a link to another host; refused.", {
        retryable: false,
        permanent: true,
      });
    }
    return withRetry(
      () =>
        options.limiter.run(async () => {
          requestCount += 1;
          let response: Response;
          try {
            response = await doFetch(url, {
              headers: {
                accept: "application/json",
                ...(authenticated ? { "X-Api-Token": options.apiKey } : {}),
              },
              redirect: "manual",
              signal: AbortSignal.timeout(timeoutMs),
            });
          } catch (error) {
            const timedOut =
              error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
            throw new UpstreamError(
              "ofn",
              timedOut ? "OFN did not answer in time." : "OFN could not be reached.",
              {
                retryable: true,
              },
            );
          }
          return readResponse(response);
        }),
      {
        attempts: options.attempts ?? 5,
        baseMs: options.retryBaseMs ?? 500,
        maxMs: 15_000,
        shouldRetry: (error) => error instanceof UpstreamError && error.retryable,
      },
    );
  }

  async function readResponse(response: Response): Promise<unknown> {
    const status = response.status;
    if (status === 401) {
      await response.body?.cancel();
      throw new UpstreamError("ofn", AUTH_MESSAGE, { status, retryable: false, authFailed: true });
    }
    if (status >= 300 && status < 400) {
      await response.body?.cancel();
      throw new UpstreamError(
        "ofn",
        `OFN answered with a redirect (${status}); check the instance address.`,
        {
          status,
          retryable: false,
        },
      );
    }
    if (status === 404) {
      await response.body?.cancel();
      throw new UpstreamError("ofn", "OFN does not know this resource.", { status, retryable: false });
    }
    const text = await response.text();
    // nginx answers 500/502/504 and maintenance with an HTML page: transient, never parsed.
    if (status >= 500 || status === 429) {
      throw new UpstreamError("ofn", `OFN is unavailable right now (HTTP ${status}).`, {
        status,
        retryable: true,
      });
    }
    if (status >= 400) {
      throw new UpstreamError("ofn", `OFN rejected the request (HTTP ${status}).`, {
        status,
        retryable: false,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new UpstreamError("ofn", "OFN answered with something that is not JSON.", {
        status,
        retryable: true,
      });
    }
  }

  return {
    get requestCount() {
      return requestCount;
    },

    async listEnterprises() {
      const body = (await getJson(new URL("/api/dfc/organizations", base), true)) as {
        "@graph"?: Array<Record<string, unknown>>;
      };
      const graph = Array.isArray(body["@graph"]) ? body["@graph"] : [];
      return graph
        .filter((node) => node["@type"] === "dfc-b:Organization")
        .map((node) => ({
          id: Number(
            String(node["@id"] ?? "")
              .split("/")
              .pop(),
          ),
          name: String(node["dfc-b:name"] ?? ""),
        }))
        .filter((enterprise) => Number.isInteger(enterprise.id) && enterprise.id > 0);
    },

    async getShop(enterpriseId) {
      try {
        const body = (await getJson(new URL(`/api/v0/shops/${enterpriseId}`, base), false)) as {
          name?: string;
          hash?: string;
          path?: string;
        };
        const permalink = body.hash ?? "";
        const path = body.path ?? `/${permalink}/shop`;
        return { id: enterpriseId, name: body.name ?? "", permalink, url: new URL(path, base).toString() };
      } catch (error) {
        if (error instanceof UpstreamError && error.options.status === 404) return undefined;
        throw error;
      }
    },

    async *customerPages(enterpriseId) {
      let total = 0;
      const read = async (url: string): Promise<PageRead> => {
        const body = (await getJson(new URL(url), true)) as {
          data?: Array<{ attributes?: OfnCustomer }>;
          meta?: { pagination?: { results?: number } };
          links?: { next?: string | null };
        };
        if (!Array.isArray(body.data)) {
          throw new UpstreamError("ofn", "OFN answered without a customer list.", { retryable: true });
        }
        total = body.meta?.pagination?.results ?? total;
        const customers = body.data
          .map((item) => item.attributes)
          .filter((customer): customer is OfnCustomer =>
            Boolean(customer && typeof customer.email === "string"),
          );
        // Follow links.next, never offsets from meta.per_page: OFN's page size bug makes them lie.
        return { page: { customers, total }, next: body.links?.next ?? null };
      };
      let reading: Promise<PageRead> | undefined = read(
        new URL(`/api/v1/enterprises/${enterpriseId}/customers?per_page=100`, base).toString(),
      );
      while (reading) {
        const current: PageRead = await reading;
        // The next page is requested while the caller works on this one (still one at a time
        // per enterprise, in links.next order).
        reading = current.next ? read(current.next) : undefined;
        // Until the caller comes back for it, a failure of the read ahead has nobody to go to
        // (Node would call it unhandled and end the process); it is thrown at the next await, or
        // dropped when the caller stops early.
        reading?.catch(() => undefined);
        yield current.page;
      }
    },
  };
}
