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

const nextConfig: NextConfig = {
  // Native/WASM and stream packages run in Node as they are; bundling them breaks their file lookups.
  serverExternalPackages: ["pg", "pg-copy-streams", "@electric-sql/pglite", "@electric-sql/pglite-socket", "@prisma/client"],
  poweredByHeader: false,
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
