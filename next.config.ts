import type { NextConfig } from "next";

/**
 * Headers for every page and route. The CSP only carries directives that cannot break Next's inline
 * hydration scripts (a script-src policy needs per-request nonces, which comes with access control):
 * no framing (clickjacking), no <base> or plugin injection, forms post only to this origin.
 */
export const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const MiB = 1024 * 1024;
/**
 * Next's proxy (proxy.ts) buffers each request body for the route handler and silently cuts it at
 * `proxyClientMaxBodySize` (default 10 MB): a 17 MB Cerbos push was answered 200 with 40% of its records
 * missing, and a shipper does not re-send an acknowledged chunk. Let through more than the largest body
 * any handler accepts (read when the server starts), so the handler sees bodies whole and answers 413 above
 * its own limit itself.
 */
const largestAcceptedBody = Math.max(
  Number(process.env.HINDSIGHT_MAX_BODY_BYTES) || 32 * MiB, // lib/ingest/http.ts
  Number(process.env.HINDSIGHT_UPLOAD_MAX_BYTES) || 64 * MiB, // lib/explorer/upload-limits.ts
);

const nextConfig: NextConfig = {
  // Native/WASM and stream packages run in Node as they are; bundling them breaks their file lookups.
  serverExternalPackages: ["pg", "pg-copy-streams", "@electric-sql/pglite", "@electric-sql/pglite-socket", "@prisma/client"],
  poweredByHeader: false,
  experimental: { proxyClientMaxBodySize: largestAcceptedBody + MiB },
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
