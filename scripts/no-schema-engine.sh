#!/bin/sh
echo "Prisma's native schema engine is not installed (it cannot be downloaded offline)." >&2
echo "Use 'npm run db:migration -- <name>' to author and 'npm run db:migrate' to apply migrations." >&2
exit 1
