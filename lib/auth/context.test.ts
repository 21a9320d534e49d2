import { describe, expect, it } from "vitest";
import { clientAddress, decodeUser, encodeUser } from "./context.ts";

describe("clientAddress", () => {
  const served = { HINDSIGHT_PEER_HEADER: "1" };
  it("uses the socket peer stamped by scripts/serve.ts and ignores a forged X-Forwarded-For", () => {
    expect(clientAddress("::ffff:192.0.2.10", "6.6.6.6", served)).toBe("192.0.2.10");
    expect(clientAddress("2001:db8::1", null, served)).toBe("2001:db8::1");
  });
  it("walks back through trusted proxies, never further than the chain", () => {
    // client 203.0.113.5 → proxy (appends) → app; the socket peer is the proxy.
    expect(clientAddress("10.0.0.2", "6.6.6.6, 203.0.113.5", { ...served, HINDSIGHT_TRUSTED_PROXIES: "1" })).toBe("203.0.113.5");
    expect(clientAddress("10.0.0.2", "203.0.113.5", { ...served, HINDSIGHT_TRUSTED_PROXIES: "5" })).toBe("203.0.113.5");
  });
  it("falls back to X-Forwarded-For without the serving script, and to null without either", () => {
    expect(clientAddress("192.0.2.10", "198.51.100.1", {})).toBe("198.51.100.1");
    expect(clientAddress(null, null, {})).toBeNull();
  });
});

describe("user header", () => {
  it("round-trips and refuses garbage", () => {
    const user = { sessionId: "s", userId: "u", username: "a", displayName: null, roles: ["auditor"], method: "password", csrf: "c" };
    expect(decodeUser(encodeUser(user))).toEqual(user);
    expect(decodeUser("%%%not-base64-json")).toBeNull();
    expect(decodeUser(null)).toBeNull();
  });
});
