// The production server (`npm start` runs it through scripts/with-db.ts): Next's request handler behind
// a plain node:http server, so that every request carries the address of the socket it arrived on.
// `next start` only fills X-Forwarded-For when the client did not send one, so a client could write any
// address into the audit trail and dodge per-address sign-in limits; here the proxy reads
// x-hindsight-peer, which this server sets on every request, overwriting whatever the client sent.
// Usage: tsx scripts/serve.ts  (PORT, HOST as for `next start`)
import http from "node:http";
import next from "next";
import { PEER_HEADER } from "../lib/auth/context.ts";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "127.0.0.1";
process.env.HINDSIGHT_PEER_HEADER = "1"; // tells the proxy (same process) the header is ours

const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
  void handle(req, res);
});
server.listen(port, hostname, () => {
  console.log(`▲ Hindsight ready on http://${hostname}:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
