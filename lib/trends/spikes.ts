// Deny spikes: an hour whose denials stand well above the trailing baseline of the hours before it.
// Pure: takes a zero-filled hourly series so empty hours count toward the baseline, as they should.

export interface SpikeConfig {
  /** Hours of history that form the baseline. */
  baselineHours: number;
  /** Standard deviations above the baseline mean. */
  sigma: number;
  /** And at least this many times the mean (guards a flat, near-zero baseline). */
  minRatio: number;
  /** And at least this many denials (ignores blips of one or two). */
  minCount: number;
}

export const DEFAULT_SPIKE_CONFIG: SpikeConfig = { baselineHours: 24, sigma: 3, minRatio: 2, minCount: 5 };

export interface Spike {
  from: string;
  to: string;
  denials: number;
  baselineMean: number;
  baselineStdDev: number;
}

export function detectSpikes(series: { bucket: string; deny: number }[], config: SpikeConfig = DEFAULT_SPIKE_CONFIG): Spike[] {
  const spikes: Spike[] = [];
  for (let i = 0; i < series.length; i++) {
    const history = series.slice(Math.max(0, i - config.baselineHours), i).map((p) => p.deny);
    // Too little history says nothing about what is normal.
    if (history.length < Math.min(6, config.baselineHours)) continue;
    const mean = history.reduce((a, b) => a + b, 0) / history.length;
    const sd = Math.sqrt(history.reduce((a, b) => a + (b - mean) ** 2, 0) / history.length);
    const count = series[i].deny;
    if (count >= config.minCount && count > mean + config.sigma * sd && count >= config.minRatio * Math.max(mean, 0.5)) {
      const from = new Date(series[i].bucket);
      spikes.push({
        from: from.toISOString(),
        to: new Date(from.getTime() + 3_600_000).toISOString(),
        denials: count,
        baselineMean: Math.round(mean * 100) / 100,
        baselineStdDev: Math.round(sd * 100) / 100,
      });
    }
  }
  return spikes;
}
