// Loads every built-in family into the registry.
import "./comparison.ts";
import "./arithmetic.ts";
import "./aggregates.ts";
import "./strings.ts";
import "./sprintf.ts";
import "./types.ts";
import "./collections.ts";
import "./encoding.ts";
import "./regex.ts";
import "./glob.ts";
import "./time.ts";
import "./units.ts";
import "./net.ts";
import "./misc.ts";
import "./crypto.ts";
import "./jwt.ts";
