/**
 * Node.js process metrics as observable instruments, read at each collection: resident memory,
 * heap used, event-loop delay p99, CPU seconds and uptime. Hand-written rather than
 * `@opentelemetry/host-metrics`: that package measures the whole host (system CPU, network) under
 * unprefixed names and has no event-loop delay, while five readings of `process` and perf_hooks
 * give exactly the figures an operator of one gateway replica needs.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';

/** The event-loop delay sampler's resolution: fine enough for a p99 in milliseconds. */
const EVENT_LOOP_RESOLUTION_MS = 10;

export function observeProcess(meter: Meter): void {
  const eventLoopDelay = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  eventLoopDelay.enable();

  meter
    .createObservableGauge('ccag.process.resident_memory_bytes', { description: 'Resident set size of the gateway process.', unit: 'By' })
    .addCallback((result) => result.observe(process.memoryUsage.rss()));
  meter
    .createObservableGauge('ccag.process.heap_used_bytes', { description: 'V8 heap in use.', unit: 'By' })
    .addCallback((result) => result.observe(process.memoryUsage().heapUsed));
  meter
    .createObservableGauge('ccag.process.event_loop_delay_p99_ms', {
      description: 'p99 event-loop delay beyond the 10 ms sampling interval, since the previous collection (by any reader).',
      unit: 'ms',
    })
    .addCallback((result) => {
      // The sampler records whole intervals between its timer's runs; the delay is what exceeds the
      // interval. Reset after each reading, so the value describes the recent past, not all uptime.
      if (eventLoopDelay.count > 0) result.observe(Math.max(0, eventLoopDelay.percentile(99) / 1e6 - EVENT_LOOP_RESOLUTION_MS));
      eventLoopDelay.reset();
    });
  meter
    .createObservableCounter<{ mode: 'user' | 'system' }>('ccag.process.cpu_seconds', { description: 'CPU time used by the process, by mode.', unit: 's' })
    .addCallback((result) => {
      const { user, system } = process.cpuUsage();
      result.observe(user / 1e6, { mode: 'user' });
      result.observe(system / 1e6, { mode: 'system' });
    });
  meter
    .createObservableGauge('ccag.process.uptime_seconds', { description: 'Seconds since the process started.', unit: 's' })
    .addCallback((result) => result.observe(process.uptime()));
}
