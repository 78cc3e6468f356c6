// Where an app keeps its bearer token: sessionStorage (this tab only, gone when it closes; never a
// cookie, so no other site's request can carry it), and the API client that sends it as
// Authorization. Storage can be off: the session then lasts as long as the page.
import { setBearerToken } from '../../../console/src/api/http.ts';

/** The token kept under `key`: keep() sets it (null drops it), read() gives the one this tab kept. */
export function tokenStore(key: string): { keep(token: string | null): void; read(): string | null } {
  return {
    keep(token) {
      setBearerToken(token);
      try {
        if (token) sessionStorage.setItem(key, token);
        else sessionStorage.removeItem(key);
      } catch {
        // No storage: the token stays with the API client only.
      }
    },
    read() {
      try {
        return sessionStorage.getItem(key);
      } catch {
        return null;
      }
    },
  };
}
