"use client";
// Allow/deny volume per bucket (stacked bars) with the deny rate (line, right axis), policy-version
// changes as reference lines, and a Brush: releasing it writes the selected buckets as from/to into
// the URL (the explorer's parameters), so the whole page narrows to that window.
import { useRouter } from "next/navigation";
import { useRef, useTransition } from "react";
import { Bar, Brush, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { VersionMarker, VolumePoint } from "@/lib/trends/dashboard";
import type { ExplorerFilters } from "@/lib/explorer/query-params";
import { brushWindow, bucketOf, type TrendBucket, trendsHref } from "@/lib/views/trends-links";

interface Props {
  volume: VolumePoint[];
  markers: VersionMarker[];
  bucket: TrendBucket;
  filters: ExplorerFilters;
}

const pad = (n: number) => String(n).padStart(2, "0");

function tickLabel(iso: string, bucket: TrendBucket): string {
  const d = new Date(iso);
  const day = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return bucket === "day" ? day : `${day} ${pad(d.getUTCHours())}:00`;
}

function shortRef(ref: string): string {
  return ref.length > 14 ? `${ref.slice(0, 12)}…` : ref;
}

export function VolumeChart({ volume, markers, bucket, filters }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const range = useRef<{ startIndex?: number; endIndex?: number }>({});
  const data = volume.map((p) => ({ ...p, denyPct: p.denyRate === null ? null : Math.round(p.denyRate * 1000) / 10 }));
  const buckets = volume.map((p) => p.bucket);
  const present = new Set(buckets);
  // Versions first seen in the same bucket share one line (labels would overlap).
  const grouped = new Map<string, string[]>();
  for (const m of markers) {
    const x = bucketOf(m.firstSeen, bucket);
    if (present.has(x)) grouped.set(x, [...(grouped.get(x) ?? []), m.sourceRef]);
  }
  const byBucket = [...grouped.entries()];

  function commit() {
    const { startIndex, endIndex } = range.current;
    if (startIndex === undefined || endIndex === undefined) return;
    if (startIndex === 0 && endIndex === buckets.length - 1) return;
    const w = brushWindow(buckets, startIndex, endIndex, bucket);
    if (!w) return;
    startTransition(() => router.push(trendsHref({ ...filters, from: w.from, to: w.to }, bucket)));
  }

  return (
    <div className="chart-box" aria-busy={pending} data-testid="volume-chart">
      {pending ? (
        <p className="table-loading" role="status">
          Loading…
        </p>
      ) : null}
      <ResponsiveContainer width="100%" height={340}>
        <ComposedChart data={data} margin={{ top: 16, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" tickFormatter={(v: string) => tickLabel(v, bucket)} minTickGap={24} fontSize={11} />
          <YAxis yAxisId="n" allowDecimals={false} fontSize={11} />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} unit="%" fontSize={11} />
          <Tooltip labelFormatter={(v) => `${tickLabel(String(v), bucket)} UTC`} />
          <Legend />
          <Bar yAxisId="n" dataKey="allow" name="allow" stackId="v" fill="#2e9a5a" isAnimationActive={false} />
          <Bar yAxisId="n" dataKey="deny" name="deny" stackId="v" fill="#c9343d" isAnimationActive={false} />
          <Bar yAxisId="n" dataKey="other" name="other" stackId="v" fill="#d49a1a" isAnimationActive={false} />
          <Line yAxisId="rate" type="monotone" dataKey="denyPct" name="deny rate %" stroke="#1d2330" dot={false} strokeWidth={2} connectNulls isAnimationActive={false} />
          {byBucket.map(([x, refs]) => (
            <ReferenceLine
              key={x}
              yAxisId="n"
              x={x}
              stroke="#2456c7"
              strokeDasharray="4 3"
              label={{ value: refs.length === 1 ? `policy ${shortRef(refs[0])}` : `${refs.length} policy versions`, position: "insideTopLeft", fontSize: 10, fill: "#2456c7" }}
            />
          ))}
          <Brush
            dataKey="bucket"
            height={28}
            stroke="#2456c7"
            tickFormatter={(v: string) => tickLabel(v, bucket)}
            onChange={(r) => {
              range.current = { startIndex: r.startIndex, endIndex: r.endIndex };
            }}
            onDragEnd={commit}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
