// Password rules, shared by the server (passwords.ts) and the forms (no native code here).
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** Why a new password is unacceptable, or null. Length is what matters (NIST SP 800-63B), not symbol rules. */
export function passwordProblem(password: string, username?: string): string | null {
  if (typeof password !== "string" || password.length < MIN_PASSWORD_LENGTH) {
    return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (username && password.toLowerCase().includes(username.toLowerCase())) return "password must not contain the user name";
  if (/^(.)\1+$/.test(password)) return "password must not be one repeated character";
  return null;
}
