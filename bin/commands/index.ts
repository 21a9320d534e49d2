import { registerCommand } from "../cli.ts";

// One line per subcommand. Keep alphabetical.
