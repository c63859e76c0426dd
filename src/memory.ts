/**
 * A full garbage collection between the phases of a big job (a sync: after reading OFN, before
 * writing), when the process runs with --expose-gc as `npm start` and the Docker image do.
 *
 * Why: V8 lets the heap grow to a multiple of what was live at its last full collection before
 * collecting again. A 50,000-customer sync has ~30 MB live but left alone peaked at 250-330 MB of
 * RSS; collecting when a phase has just dropped its data keeps that multiple small. One collection
 * costs milliseconds to tens of milliseconds, after each phase of a big sync, so small jobs ask
 * with `small` (below). Without the flag this does nothing.
 */
export function releaseMemory(options: { small?: boolean } = {}): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (typeof collect !== "function") return;
  if (options.small && performance.now() - collectedAt < SMALL_JOBS_INTERVAL_MS) return;
  collect();
  collectedAt = performance.now();
}

/**
 * `small`: the job's own data is a few MB (a sync of fewer than 5,000 customers). A collection walks
 * the whole heap whatever the job's size: 1,000 syncs of 200 customers, four collections each, spent
 * half of the bridge's CPU in bench:scale. Small jobs' requests are served at most once a second,
 * which still keeps many of them at once from growing the heap; a big job's always are (skipping
 * them let a 50,000-customer sync peak 30 MB higher).
 */
const SMALL_JOBS_INTERVAL_MS = 1_000;
let collectedAt = Number.NEGATIVE_INFINITY;
