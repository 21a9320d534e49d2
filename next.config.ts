import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native/WASM and stream packages run in Node as they are; bundling them breaks their file lookups.
  serverExternalPackages: ["pg", "pg-copy-streams", "@electric-sql/pglite", "@electric-sql/pglite-socket", "@prisma/client"],
  poweredByHeader: false,
};

export default nextConfig;
