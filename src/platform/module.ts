// What a module hands the composition root (src/app.ts): its door (the service other modules and
// the root call), its HTTP routes, its listeners of the event log and its background jobs. The root
// wires these and does nothing else.
import type { DomainEvent, EventListener } from './events/index.ts';
import type { HttpServer } from './http/server.ts';

/** Background work of one node: started once the node listens, stopped before it closes. */
export interface Job {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

/** A module as the composition root wires it. */
export interface ParleyModule<Service, E extends DomainEvent = DomainEvent> {
  /** The module's door: what other modules and the root may call. */
  service: Service;
  /** Registers the module's routes. */
  routes?(http: HttpServer): void | Promise<void>;
  /** The module's listeners of the event log, each with its own cursor. */
  listeners?: EventListener<E>[];
  jobs?: Job[];
}

export interface JobLogger {
  error(obj: object, msg: string): void;
}

/** A job that runs `work` every `ms` on this node; a failure is logged and the next run goes on. */
export function everyInterval(name: string, ms: number, work: () => Promise<unknown>, log: JobLogger): Job {
  let timer: NodeJS.Timeout | undefined;
  return {
    name,
    start() {
      timer = setInterval(() => void work().catch((err: unknown) => log.error({ err, job: name }, `${name} failed`)), ms);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
    },
  };
}
