// `npm run db:migrate`: applies pending migrations to DATABASE_URL or the embedded database.
import { openDatabase, redactUrl } from "../lib/db/open.ts";

const db = await openDatabase();
console.log(`${redactUrl(db.url)}: ${db.migrated.length ? `applied ${db.migrated.join(", ")}` : "up to date"}`);
await db.close();
