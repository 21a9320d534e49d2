"use client";
// Deny rate per policy version (the policy source reference the PDP reported: git hash, bundle revision).
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { VersionRate } from "@/lib/trends/dashboard";

function shortRef(ref: string): string {
  return ref.length > 18 ? `${ref.slice(0, 16)}…` : ref;
}

export function VersionRateChart({ rates }: { rates: VersionRate[] }) {
  // Recharts spreads each data entry onto the bar's <path>: no field may be called `ref` or `key`.
  const data = rates.slice(0, 12).map((r) => ({
    sourceRef: r.sourceRef,
    name: shortRef(r.sourceRef),
    denyPct: r.denyRate === null ? 0 : Math.round(r.denyRate * 1000) / 10,
    allowCount: r.allow,
    denyCount: r.deny,
  }));
  return (
    <div className="chart-box" data-testid="version-chart">
      <ResponsiveContainer width="100%" height={Math.max(160, data.length * 34 + 40)}>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" domain={[0, 100]} unit="%" fontSize={11} />
          <YAxis type="category" dataKey="name" width={150} fontSize={11} />
          <Tooltip
            formatter={(value, _name, item) => [`${value}% (${item.payload.denyCount} denied of ${item.payload.allowCount + item.payload.denyCount})`, "deny rate"]}
            labelFormatter={(_l, payload) => String(payload?.[0]?.payload?.sourceRef ?? "")}
          />
          <Bar dataKey="denyPct" name="deny rate %" fill="#c9343d" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
