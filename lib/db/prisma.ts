// Prisma client for ordinary queries, over the same DATABASE_URL as the pg pool.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client.ts";

const globalForPrisma = globalThis as unknown as { hindsightPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  if (!globalForPrisma.hindsightPrisma) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set (start the app with `npm start`, which provides one)");
    globalForPrisma.hindsightPrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 4 }) });
  }
  return globalForPrisma.hindsightPrisma;
}

export async function disconnectPrisma(): Promise<void> {
  await globalForPrisma.hindsightPrisma?.$disconnect();
  globalForPrisma.hindsightPrisma = undefined;
}
