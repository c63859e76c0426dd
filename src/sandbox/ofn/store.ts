/**
 * In-memory OFN data. Customers sit in one array per enterprise, sorted by id (ids only grow), so a
 * page is a slice: benchmarks page through 100,000 customers and the simulator must not be the
 * bottleneck.
 */
import type {
  OfnCustomer,
  OfnCustomerAttributes,
  OfnCustomerInput,
  OfnEnterprise,
  OfnUser,
  OfnUserInput,
} from "./types.js";

const API_KEY = /^[0-9a-f]{48}$/;

export class OfnStore {
  readonly users = new Map<number, OfnUser>();
  readonly enterprises = new Map<number, OfnEnterprise>();
  private readonly usersByKey = new Map<string, OfnUser>();
  private readonly customersByEnterprise = new Map<number, OfnCustomer[]>();
  private readonly customersById = new Map<number, OfnCustomer>();
  /** OFN's unique index on (email, enterprise_id). */
  private readonly emailsByEnterprise = new Map<number, Set<string>>();
  /** Per-user merged lists for `/api/v1/customers` without a filter, rebuilt after any change. */
  private readonly mergedByUser = new Map<number, { version: number; list: OfnCustomer[] }>();
  private version = 0;
  private nextUserId = 1;
  private nextCustomerId = 1;

  addUser(input: OfnUserInput): OfnUser {
    if (!API_KEY.test(input.apiKey)) throw new Error("OFN API keys are 48 lowercase hex characters");
    if (this.usersByKey.has(input.apiKey)) throw new Error("API key already belongs to another user");
    const id = this.nextUserId++;
    const user: OfnUser = {
      id,
      apiKey: input.apiKey,
      email: input.email ?? `user${id}@example.org`,
      enterpriseIds: [],
      webhookUrl: null,
    };
    for (const e of input.enterprises) {
      // An enterprise seen before keeps its owner; this user becomes one more manager.
      if (!this.enterprises.has(e.id)) {
        const email = e.email ?? `hello@${e.permalink}.example.org`;
        this.enterprises.set(e.id, { id: e.id, name: e.name, permalink: e.permalink, email, ownerId: id });
        this.customersByEnterprise.set(e.id, []);
        this.emailsByEnterprise.set(e.id, new Set());
      }
      if (!user.enterpriseIds.includes(e.id)) user.enterpriseIds.push(e.id);
    }
    this.users.set(id, user);
    this.usersByKey.set(user.apiKey, user);
    return user;
  }

  userByKey(apiKey: string): OfnUser | undefined {
    return this.usersByKey.get(apiKey);
  }

  /** A user id, or an API key. */
  resolveUser(ref: string | number): OfnUser {
    const user = typeof ref === "number" ? this.users.get(ref) : this.usersByKey.get(ref);
    if (!user) throw new Error(`unknown OFN user ${typeof ref === "number" ? ref : "(by API key)"}`);
    return user;
  }

  /** Like OFN's "Regenerate Key": the old key stops working at once. */
  replaceApiKey(user: OfnUser, newKey: string): void {
    if (!API_KEY.test(newKey)) throw new Error("OFN API keys are 48 lowercase hex characters");
    this.usersByKey.delete(user.apiKey);
    user.apiKey = newKey;
    this.usersByKey.set(newKey, user);
  }

  addCustomers(
    enterpriseId: number,
    inputs: OfnCustomerInput[],
    options: { rawEmail?: boolean } = {},
  ): OfnCustomer[] {
    const list = this.customersByEnterprise.get(enterpriseId);
    const emails = this.emailsByEnterprise.get(enterpriseId);
    if (!list || !emails) throw new Error(`unknown enterprise ${enterpriseId}`);
    const added: OfnCustomer[] = [];
    for (const { rawEmail, ...input } of inputs) {
      const email = storedEmail(input.email, rawEmail ?? options.rawEmail);
      if (emails.has(email)) throw new Error(`email ${email} already taken in enterprise ${enterpriseId}`);
      const customer: OfnCustomer = {
        first_name: null,
        last_name: null,
        code: null,
        allow_charges: false,
        terms_and_conditions_accepted_at: null,
        tags: [],
        billing_address: null,
        shipping_address: null,
        ...input,
        email,
        id: this.nextCustomerId++,
        enterprise_id: enterpriseId,
      };
      emails.add(email);
      list.push(customer);
      this.customersById.set(customer.id, customer);
      added.push(customer);
    }
    this.version += 1;
    return added;
  }

  updateCustomer(id: number, patch: Partial<OfnCustomerAttributes> & { rawEmail?: boolean }): void {
    const customer = this.customersById.get(id);
    if (!customer) throw new Error(`unknown customer ${id}`);
    const { rawEmail, id: _id, enterprise_id, ...fields } = patch;
    if (enterprise_id !== undefined && enterprise_id !== customer.enterprise_id) {
      throw new Error("a customer belongs to one enterprise; add a new customer instead");
    }
    if (fields.email !== undefined) {
      const emails = this.emailsByEnterprise.get(customer.enterprise_id)!;
      const email = storedEmail(fields.email, rawEmail);
      if (email !== customer.email && emails.has(email)) throw new Error(`email ${email} already taken`);
      emails.delete(customer.email);
      emails.add(email);
      fields.email = email;
    }
    Object.assign(customer, fields);
    this.version += 1;
  }

  removeCustomer(id: number): void {
    const customer = this.customersById.get(id);
    if (!customer) throw new Error(`unknown customer ${id}`);
    const list = this.customersByEnterprise.get(customer.enterprise_id)!;
    const index = lowerBound(list, id);
    if (list[index]?.id === id) list.splice(index, 1);
    this.emailsByEnterprise.get(customer.enterprise_id)!.delete(customer.email);
    this.customersById.delete(id);
    this.version += 1;
  }

  customers(enterpriseId: number): OfnCustomer[] {
    return this.customersByEnterprise.get(enterpriseId) ?? [];
  }

  /** OFN's scope for `GET /api/v1/customers`: the user's enterprises, optionally one of them, by id. */
  customersVisibleTo(user: OfnUser, enterpriseId?: number): readonly OfnCustomer[] {
    if (enterpriseId !== undefined) {
      return user.enterpriseIds.includes(enterpriseId) ? this.customers(enterpriseId) : [];
    }
    if (user.enterpriseIds.length === 1) return this.customers(user.enterpriseIds[0]!);
    const cached = this.mergedByUser.get(user.id);
    if (cached && cached.version === this.version) return cached.list;
    const list = user.enterpriseIds.flatMap((e) => this.customers(e)).sort((a, b) => a.id - b.id);
    this.mergedByUser.set(user.id, { version: this.version, list });
    return list;
  }

  customerCount(enterpriseId: number): number {
    return this.customers(enterpriseId).length;
  }
}

/** OFN downcases on save; seeds may keep the raw text to exercise the bridge's own normalisation. */
function storedEmail(email: string, raw: boolean | undefined): string {
  return raw ? email : email.trim().toLowerCase();
}

function lowerBound(list: readonly OfnCustomer[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
