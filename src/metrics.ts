/**
 * Prometheus metrics (prom-client) in a registry of our own. One bridge per process, so the
 * counters are module singletons; queue gauges are read from the database at scrape time.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export const registry = new Registry();
// Per-process memory, CPU, event-loop lag and heap (bridge_process_*, bridge_nodejs_*): with
// several replicas, these are what tells one process's trouble from the others'.
collectDefaultMetrics({ register: registry, prefix: "bridge_" });

export const metrics = {
  syncs: new Counter({
    name: "bridge_syncs_total",
    help: "Customer syncs finished, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  }),
  contactsWritten: new Counter({
    name: "bridge_contacts_written_total",
    help: "Contacts written to a provider (new or updated), by provider",
    labelNames: ["provider"] as const,
    registers: [registry],
  }),
  webhookDeliveries: new Counter({
    name: "bridge_webhook_deliveries_total",
    help: "OFN webhook deliveries received, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  }),
  intakeBatchesSplit: new Counter({
    name: "bridge_webhook_batches_split_total",
    help: "Batches of webhook deliveries the database refused whole, then recorded one delivery at a time",
    registers: [registry],
  }),
  campaigns: new Counter({
    name: "bridge_campaigns_total",
    help: "Campaigns that reached a final state, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  }),
  providerErrors: new Counter({
    name: "bridge_provider_errors_total",
    help: "Errors from OFN, Mailchimp or Brevo, by service and code",
    labelNames: ["service", "code"] as const,
    registers: [registry],
  }),
  queueDepth: new Gauge({
    name: "bridge_queue_depth",
    help: "Work waiting or running, by queue",
    labelNames: ["queue"] as const,
    registers: [registry],
  }),
  queueOldestAge: new Gauge({
    name: "bridge_queue_oldest_age_seconds",
    help: "Age of the oldest waiting item, by queue",
    labelNames: ["queue"] as const,
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: "bridge_http_request_duration_seconds",
    help: "HTTP request latency, by method, route pattern and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
};
