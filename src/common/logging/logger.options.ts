import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { redactedPaths, scrubCpr, scrubUrl, scrubValue } from './redaction';

const INFO = 30;
const START_UP_DETAIL = new Set(['RoutesResolver', 'RouterExplorer', 'InstanceLoader']);

/** A log line of Nest's own start-up detail: the routes it maps and the modules it loads. */
export function isStartUpDetail(first: unknown): boolean {
  const context = typeof first === 'object' && first !== null ? (first as { context?: unknown }).context : undefined;
  return typeof context === 'string' && START_UP_DETAIL.has(context);
}

/** Structured JSON logs; credentials removed by path, CPR-like values by pattern, search terms from URLs. */
export function loggerOptions(level: string): Params {
  return {
    pinoHttp: {
      level,
      redact: { paths: redactedPaths, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        // A given id that looks like a CPR number is not taken: the id is logged and audited as it is.
        return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) && scrubCpr(given) === given ? given : randomUUID();
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: scrubUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || (req.url ?? '').startsWith('/static/') },
      hooks: {
        logMethod(args, method, level) {
          const cleaned = args.map((arg: unknown) => scrubValue(arg));
          // Nest maps every route and module at start-up (some 190 lines): detail for debugging, not the start's news.
          if (level === INFO && isStartUpDetail(cleaned[0])) return this.debug(...(cleaned as Parameters<typeof method>));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
      formatters: { level: (label: string) => ({ level: label }) },
    },
  };
}
