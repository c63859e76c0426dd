/**
 * Order cycles and the webhooks their opening triggers: who receives what (owners of the
 * coordinator and distributors, one job per endpoint) and when OFN stays silent (ofn.md §2.2–2.5).
 */
import type { OfnStore } from "./store.js";
import { formatRailsJson, formatRailsToS, rubyFloat } from "./time-format.js";
import type {
  OfnOrderCycle,
  OfnUser,
  OpenOrderCycleResult,
  OrderCycleInput,
  WebhookDelivery,
} from "./types.js";
import type { WebhookDispatcher } from "./webhooks.js";

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;

export class OrderCycles {
  readonly cycles = new Map<number, OfnOrderCycle>();
  private nextId = 1;

  constructor(
    private readonly store: OfnStore,
    private readonly dispatcher: WebhookDispatcher,
    private readonly timeZone: string,
  ) {}

  /** Stores the cycle and sends `order_cycle.opened` at once, as if the opening job had just run. */
  open(input: OrderCycleInput): OpenOrderCycleResult {
    const id = input.id ?? this.nextId;
    if (this.cycles.has(id)) throw new Error(`order cycle ${id} exists; reopen it instead`);
    this.enterprise(input.coordinatorId);
    for (const distributor of input.distributorIds ?? []) this.enterprise(distributor);
    this.nextId = Math.max(this.nextId, id + 1);
    const ordersOpenAt = input.ordersOpenAt ?? floorToMinute(new Date());
    const cycle: OfnOrderCycle = {
      id,
      name: input.name,
      coordinatorId: input.coordinatorId,
      distributorIds: [...new Set(input.distributorIds ?? [])],
      ordersOpenAt,
      ordersCloseAt:
        input.ordersCloseAt === undefined ? new Date(ordersOpenAt.getTime() + WEEK_MS) : input.ordersCloseAt,
      openedAt: null,
    };
    this.cycles.set(id, cycle);
    return this.fire(cycle, input.openedAt ?? input.ordersOpenAt ?? new Date());
  }

  /**
   * Moves the open time. Only a later time clears `opened_at` (OrderCycle's before_update), so
   * only then does the webhook fire again, with new job ids.
   */
  reopen(
    id: number,
    later: { ordersOpenAt: Date; ordersCloseAt?: Date | null; openedAt?: Date },
  ): OpenOrderCycleResult {
    const cycle = this.cycles.get(id);
    if (!cycle) throw new Error(`unknown order cycle ${id}`);
    const movedLater = cycle.ordersOpenAt === null || later.ordersOpenAt > cycle.ordersOpenAt;
    const previousOpenedAt = cycle.openedAt;
    cycle.ordersOpenAt = later.ordersOpenAt;
    if (later.ordersCloseAt !== undefined) cycle.ordersCloseAt = later.ordersCloseAt;
    if (!movedLater) {
      return {
        orderCycleId: id,
        deliveries: [],
        skipped: "orders_open_at did not move later: OFN does not re-fire",
      };
    }
    cycle.openedAt = null;
    // The opening job runs after the new open time, and after the previous opening.
    const floor = previousOpenedAt ? previousOpenedAt.getTime() + 1000 : 0;
    const openedAt = later.openedAt ?? new Date(Math.max(later.ordersOpenAt.getTime(), floor));
    return this.fire(cycle, openedAt);
  }

  /** Cycles currently open for an enterprise (coordinator or distributor), for the shopfront. */
  openCyclesOf(enterpriseId: number, now = new Date()): OfnOrderCycle[] {
    return [...this.cycles.values()].filter(
      (oc) =>
        (oc.coordinatorId === enterpriseId || oc.distributorIds.includes(enterpriseId)) &&
        oc.openedAt !== null &&
        (oc.ordersCloseAt === null || oc.ordersCloseAt > now),
    );
  }

  /** The Developer Settings test button, which only exists for payment webhooks (ofn.md §2.7). */
  sendTestWebhook(user: OfnUser, url: string): WebhookDelivery {
    const now = new Date();
    return this.dispatcher.enqueue(user.id, url, {
      event: "payment.completed",
      at: formatRailsToS(now, this.timeZone),
      data: {
        payment: {
          updated_at: formatRailsJson(now, this.timeZone),
          amount: rubyFloat(0),
          state: "completed",
        },
        enterprise: {
          abn: "65797115831",
          acn: "",
          name: "TEST Enterprise",
          address: { address1: "1 testing street", address2: "", city: "TestCity", zipcode: "1234" },
        },
        order: {
          number: "R555555555",
          total: rubyFloat(0),
          currency: "AUD",
          line_items: [
            {
              quantity: 1,
              price: rubyFloat(20),
              tax_category_name: "VAT",
              product_name: "Test product",
              name_to_display: "Test product",
              unit_to_display: "1kg",
            },
          ],
        },
      },
    });
  }

  private fire(cycle: OfnOrderCycle, openedAt: Date): OpenOrderCycleResult {
    // TriggerOrderCyclesToOpenJob only looks back one hour: a backdated cycle never fires.
    if (cycle.ordersOpenAt && openedAt.getTime() - cycle.ordersOpenAt.getTime() > HOUR_MS) {
      return {
        orderCycleId: cycle.id,
        deliveries: [],
        skipped: "orders_open_at is more than an hour before the opening: OFN never picks it up",
      };
    }
    cycle.openedAt = openedAt;
    const coordinator = this.enterprise(cycle.coordinatorId);
    const ownerIds = new Set([
      coordinator.ownerId,
      ...cycle.distributorIds.map((d) => this.enterprise(d).ownerId),
    ]);
    const deliveries: WebhookDelivery[] = [];
    for (const ownerId of ownerIds) {
      const owner = this.store.users.get(ownerId);
      if (!owner?.webhookUrl) continue;
      deliveries.push(
        this.dispatcher.enqueue(owner.id, owner.webhookUrl, {
          event: "order_cycle.opened",
          // OpenOrderCycleJob passes opened_at as `at`: same instant, Rails' to_s format.
          at: formatRailsToS(openedAt, this.timeZone),
          data: {
            id: cycle.id,
            name: cycle.name,
            orders_open_at: this.json(cycle.ordersOpenAt),
            opened_at: this.json(openedAt),
            orders_close_at: this.json(cycle.ordersCloseAt),
            coordinator_id: coordinator.id,
            coordinator_name: coordinator.name,
          },
        }),
      );
    }
    return { orderCycleId: cycle.id, deliveries };
  }

  private json(instant: Date | null): string | null {
    return instant ? formatRailsJson(instant, this.timeZone) : null;
  }

  private enterprise(id: number) {
    const enterprise = this.store.enterprises.get(id);
    if (!enterprise) throw new Error(`unknown enterprise ${id}`);
    return enterprise;
  }
}

function floorToMinute(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / 60_000) * 60_000);
}
