// Loads every built-in family into the registry.
import "./comparison.ts";
import "./arithmetic.ts";
import "./aggregates.ts";
