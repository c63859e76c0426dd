/**
 * Which opened order cycles a shop announces, and under which of its enterprises' names.
 *
 * OFN sends `order_cycle.opened` to the owner of the coordinator and to the owner of each
 * distributor, always with the coordinator's id and name (ofn.md §2.2). So:
 * 1. the coordinator is one of the shop's enterprises: announce when that enterprise has
 *    "announce cycles" on, under its own name and shop URL;
 * 2. the coordinator is someone else's (the shop distributes that cycle): announce when at least
 *    one of the shop's enterprises has "announce cycles" on and the coordinator is not in the
 *    shop's excluded coordinators; the first such enterprise (lowest OFN id) names the shop.
 * docs/campaigns.md states the same rule for shops.
 */

export interface AnnounceEnterprise {
  enterpriseId: number;
  name: string;
  shopUrl: string | null;
  announceCycles: boolean;
}

export type AnnounceDecision =
  | { announce: true; enterprise: AnnounceEnterprise; viaDistributor: boolean }
  | { announce: false; reason: "enterprise_off" | "coordinator_excluded" | "no_enterprise_announces" };

export function decideAnnouncement(
  enterprises: AnnounceEnterprise[],
  coordinatorId: number,
  excludedCoordinatorIds: readonly number[],
): AnnounceDecision {
  const own = enterprises.find((e) => e.enterpriseId === coordinatorId);
  if (own) {
    return own.announceCycles
      ? { announce: true, enterprise: own, viaDistributor: false }
      : { announce: false, reason: "enterprise_off" };
  }
  if (excludedCoordinatorIds.includes(coordinatorId))
    return { announce: false, reason: "coordinator_excluded" };
  const first = enterprises
    .filter((e) => e.announceCycles)
    .sort((a, b) => a.enterpriseId - b.enterpriseId)[0];
  return first
    ? { announce: true, enterprise: first, viaDistributor: true }
    : { announce: false, reason: "no_enterprise_announces" };
}
