// The node's logger: pino, with secrets kept out (authorization and cookie headers, passwords,
// tokens, and the query parameters the specs put secrets in).
import pino, { type Logger } from 'pino';

// Query parameters that carry secrets (the spec puts some in URLs); their values never reach a log.
const SECRET_PARAMS = /([?&](?:client_secret|access_token|token|jwt|code|password|SAMLRequest|SAMLResponse|Ssotoken|chat_id_robot|ticket|marker|return_to|params[^=&]*)=)[^&#]*/gi;

/** Creates the node's logger at `level`. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; host?: string; ip?: string }) => ({
        method: req.method,
        url: req.url?.replace(SECRET_PARAMS, '$1[redacted]'),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
  });
}
